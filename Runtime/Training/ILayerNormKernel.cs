using System;

namespace NormGen;

/// <summary>
/// A LayerNorm kernel for one hidden size, as static members, so generic code such as
/// <see cref="LayerNormLayer{TKernel}"/> is specialized by the JIT for each kernel.
/// </summary>
/// <remarks>
/// The generator adds a nested <c>Kernel</c> type implementing this interface to every
/// <c>[LayerNorm(N)]</c> class (a static class cannot implement an interface itself):
/// <c>new LayerNormLayer&lt;BertNorm.Kernel&gt;()</c>.
/// </remarks>
public interface ILayerNormKernel
{
    /// <summary>Features per row.</summary>
    static abstract int HiddenSize { get; }

    /// <summary>Added to the variance before the square root.</summary>
    static abstract float Epsilon { get; }

    /// <summary>y = LayerNorm(x) · gamma + beta, row by row.</summary>
    /// <param name="x">Input, rows × <see cref="HiddenSize"/>.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="beta">Shift.</param>
    /// <param name="y">Output; may be <paramref name="x"/>.</param>
    static abstract void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y);

    /// <summary>As the other overload, and saves each row's mean and rstd.</summary>
    /// <param name="x">Input, rows × <see cref="HiddenSize"/>.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="beta">Shift.</param>
    /// <param name="y">Output; may be <paramref name="x"/>.</param>
    /// <param name="mean">Per-row mean.</param>
    /// <param name="rstd">Per-row 1 / sqrt(var + epsilon).</param>
    static abstract void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd);

    /// <summary>Gradients; overwrites <paramref name="dgamma"/> and <paramref name="dbeta"/> with the sums over the rows.</summary>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="mean">Saved per-row mean.</param>
    /// <param name="rstd">Saved per-row rstd.</param>
    /// <param name="dx">Gradient with respect to x.</param>
    /// <param name="dgamma">Gradient with respect to gamma.</param>
    /// <param name="dbeta">Gradient with respect to beta.</param>
    static abstract void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);
}
