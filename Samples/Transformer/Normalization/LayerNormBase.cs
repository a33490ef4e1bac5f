using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// LayerNorm's parameters, saved statistics and gradient bookkeeping; the subclasses supply the kernels.
/// Every row is normalized on its own, padding included (a zero padding row gives y = beta exactly), so no row
/// depends on any other.
/// </summary>
internal abstract class LayerNormBase : Normalization
{
    private readonly Parameter _gamma, _beta;
    private readonly float[] _mean, _rstd, _dgamma, _dbeta;

    protected LayerNormBase(string name, int width, int maxRows)
    {
        Width = width;
        _gamma = new Parameter(name + ".gamma", width).Fill(1);
        _beta = new Parameter(name + ".beta", width);
        Parameters = [_gamma, _beta];
        _mean = new float[maxRows];
        _rstd = new float[maxRows];
        _dgamma = new float[width];
        _dbeta = new float[width];
    }

    public int Width { get; }
    public override IReadOnlyList<Parameter> Parameters { get; }

    public override void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch)
    {
        int n = batch.Rows * Width;
        ForwardKernel(x[..n], _gamma.Value, _beta.Value, y[..n],
            _mean.AsSpan(0, batch.Rows), _rstd.AsSpan(0, batch.Rows));
    }

    public override void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Batch batch)
    {
        int n = batch.Rows * Width;
        ForwardResidualKernel(x[..n], residual[..n], _gamma.Value, _beta.Value, sum[..n], y[..n],
            _mean.AsSpan(0, batch.Rows), _rstd.AsSpan(0, batch.Rows));
    }

    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> input, Span<float> dx, Batch batch)
    {
        int n = batch.Rows * Width;
        // The kernels overwrite dgamma and dbeta with this call's sums; the parameters accumulate them.
        BackwardKernel(dy[..n], input[..n], _gamma.Value, _mean.AsSpan(0, batch.Rows), _rstd.AsSpan(0, batch.Rows),
            dx[..n], _dgamma, _dbeta);
        TensorPrimitives.Add(_gamma.Gradient, _dgamma, _gamma.Gradient);
        TensorPrimitives.Add(_beta.Gradient, _dbeta, _beta.Gradient);
    }

    protected abstract void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd);

    protected abstract void ForwardResidualKernel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd);

    protected abstract void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);
}
