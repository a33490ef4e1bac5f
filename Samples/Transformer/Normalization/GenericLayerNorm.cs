using System;

namespace NormGen.Samples.Transformer;

/// <summary>LayerNorm on NormGen's generic path (<see cref="LayerNorm"/>), for a width known at run time.</summary>
internal sealed class GenericLayerNorm(string name, int width, int maxRows) : LayerNormBase(name, width, maxRows)
{
    private const float Epsilon = 1e-5f;

    protected override void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, Width, Epsilon);

    protected override void ForwardResidualKernel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, Width, Epsilon);

    protected override void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, Width);
}
