using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// A residual branch of a block, f in h ← h + f(norm(h)): causal self-attention or the MLP. It keeps what its
/// backward needs from the last forward, except its input, which the caller passes again.
/// </summary>
internal abstract class Sublayer
{
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>output = f(input), token rows × width.</summary>
    public abstract void Forward(ReadOnlySpan<float> input, Span<float> output, Batch batch);

    /// <summary>
    /// dInput (overwritten) from dOutput; parameter gradients accumulate. <paramref name="input"/> is the last
    /// forward's.
    /// </summary>
    public abstract void Backward(
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, Span<float> dInput, Batch batch);
}
