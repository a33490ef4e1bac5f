using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// A norm in a transformer block, over the rows of a batch: LayerNorm (three implementations), BatchNorm, or
/// none. It keeps what its backward needs from the last forward, except its input, which the caller passes again.
/// </summary>
internal abstract class Normalization
{
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>y = norm(x).</summary>
    public abstract void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch);

    /// <summary>sum = x + residual; y = norm(sum). Backward then takes <paramref name="sum"/> as its input.</summary>
    public abstract void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Batch batch);

    /// <summary>dx (overwritten) from dy; gamma's and beta's gradients accumulate.</summary>
    /// <param name="dy">Gradient of the output.</param>
    /// <param name="input">The x of the last Forward, or the sum of the last ForwardResidual.</param>
    /// <param name="dx">Gradient of the input (of both x and residual, for the fused form).</param>
    /// <param name="batch">The batch of the last forward.</param>
    public abstract void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> input, Span<float> dx, Batch batch);

    /// <summary>
    /// For norms with batch statistics: false switches to the running statistics (inference). LayerNorm has
    /// no batch statistics and ignores it.
    /// </summary>
    public virtual bool Training { get; set; } = true;

    /// <summary>
    /// For norms with running statistics: whether a training-mode forward updates them. The model sets it for the
    /// forward of a training step only, so that evaluating or inspecting a model leaves its statistics as they were.
    /// </summary>
    public virtual bool UpdatesRunningStatistics { get; set; }
}
