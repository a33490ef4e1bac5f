using System;

namespace NormGen.Samples.Transformer;

/// <summary>LayerNorm on the kernels NormGen generated for width 64 (<see cref="TransformerNorm"/>).</summary>
internal sealed class GeneratedLayerNorm(string name, int maxRows)
    : LayerNormBase(name, TransformerNorm.HiddenSize, maxRows)
{
    protected override void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        TransformerNorm.Forward(x, gamma, beta, y, mean, rstd);

    protected override void ForwardResidualKernel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd) =>
        TransformerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd);

    protected override void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta) =>
        TransformerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
}
