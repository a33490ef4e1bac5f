using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// BatchNorm in LayerNorm's place: each feature is normalized with its mean and variance over the batch's token
/// rows (padding left out), then scaled by gamma and shifted by beta. In training a row's output therefore
/// depends on every other token in the batch. Running statistics (momentum 0.1, unbiased variance, as PyTorch
/// keeps them, updated by training steps only) replace the batch's when <see cref="Normalization.Training"/> is
/// false.
/// </summary>
internal sealed class MaskedBatchNorm : Normalization
{
    private const float Epsilon = 1e-5f;
    private const double Momentum = 0.1;
    private readonly int _width;
    private readonly Parameter _gamma, _beta;
    private readonly double[] _sum, _sumDy, _sumDyXhat;
    private readonly float[] _mean, _rstd, _runningMean, _runningVariance;

    public MaskedBatchNorm(string name, int width)
    {
        _width = width;
        _gamma = new Parameter(name + ".gamma", width).Fill(1);
        _beta = new Parameter(name + ".beta", width);
        Parameters = [_gamma, _beta];
        _sum = new double[width];
        _sumDy = new double[width];
        _sumDyXhat = new double[width];
        _mean = new float[width];
        _rstd = new float[width];
        _runningMean = new float[width];
        _runningVariance = new float[width];
        _runningVariance.AsSpan().Fill(1);
    }

    public override IReadOnlyList<Parameter> Parameters { get; }

    public override void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch)
    {
        if (Training) BatchStatistics(x, batch);
        else RunningStatistics();
        ReadOnlySpan<float> gamma = _gamma.Value, beta = _beta.Value;
        for (int row = 0; row < batch.Rows; row++)
            for (int f = 0; f < _width; f++)
            {
                int i = row * _width + f;
                y[i] = (x[i] - _mean[f]) * _rstd[f] * gamma[f] + beta[f];
            }
    }

    public override void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Batch batch)
    {
        int n = batch.Rows * _width;
        TensorPrimitives.Add(x[..n], residual[..n], sum[..n]);
        Forward(sum, y, batch);
    }

    /// <summary>
    /// In training, the gradient through the batch statistics, over the token rows:
    /// dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with g = dy · gamma, per feature; padding gets dx = 0.
    /// With running statistics they are constants: dx = dy · gamma · rstd.
    /// </summary>
    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> input, Span<float> dx, Batch batch)
    {
        ReadOnlySpan<float> gamma = _gamma.Value;
        Array.Clear(_sumDy);
        Array.Clear(_sumDyXhat);
        for (int row = 0; row < batch.Rows; row++)
        {
            if (!batch.IsToken(row)) continue;
            for (int f = 0; f < _width; f++)
            {
                int i = row * _width + f;
                double xhat = (input[i] - _mean[f]) * (double)_rstd[f];
                _sumDy[f] += dy[i];
                _sumDyXhat[f] += dy[i] * xhat;
            }
        }
        for (int f = 0; f < _width; f++)
        {
            _gamma.Gradient[f] += (float)_sumDyXhat[f];
            _beta.Gradient[f] += (float)_sumDy[f];
        }

        int tokens = batch.TokenRows;
        for (int row = 0; row < batch.Rows; row++)
            for (int f = 0; f < _width; f++)
            {
                int i = row * _width + f;
                if (!batch.IsToken(row)) dx[i] = 0;
                else if (!Training) dx[i] = dy[i] * gamma[f] * _rstd[f];
                else
                {
                    double xhat = (input[i] - _mean[f]) * (double)_rstd[f];
                    double g = dy[i] * (double)gamma[f];
                    double meanG = _sumDy[f] * gamma[f] / tokens, meanGXhat = _sumDyXhat[f] * gamma[f] / tokens;
                    dx[i] = (float)(_rstd[f] * (g - meanG - xhat * meanGXhat));
                }
            }
    }

    private void BatchStatistics(ReadOnlySpan<float> x, Batch batch)
    {
        int tokens = batch.TokenRows;
        Array.Clear(_sum);
        for (int row = 0; row < batch.Rows; row++)
            if (batch.IsToken(row))
                for (int f = 0; f < _width; f++) _sum[f] += x[row * _width + f];
        Span<double> mean = stackalloc double[_width];
        for (int f = 0; f < _width; f++)
        {
            mean[f] = _sum[f] / tokens;
            _sum[f] = 0;
        }
        for (int row = 0; row < batch.Rows; row++)       // centred second pass: Σ (x − mean)²
            if (batch.IsToken(row))
                for (int f = 0; f < _width; f++)
                {
                    double d = x[row * _width + f] - mean[f];
                    _sum[f] += d * d;
                }
        for (int f = 0; f < _width; f++)
        {
            double variance = _sum[f] / tokens;
            _mean[f] = (float)mean[f];
            _rstd[f] = (float)(1 / Math.Sqrt(variance + Epsilon));
            if (!UpdatesRunningStatistics) continue;
            double unbiased = tokens > 1 ? variance * tokens / (tokens - 1) : variance;
            _runningMean[f] = (float)((1 - Momentum) * _runningMean[f] + Momentum * mean[f]);
            _runningVariance[f] = (float)((1 - Momentum) * _runningVariance[f] + Momentum * unbiased);
        }
    }

    private void RunningStatistics()
    {
        for (int f = 0; f < _width; f++)
        {
            _mean[f] = _runningMean[f];
            _rstd[f] = 1 / MathF.Sqrt(_runningVariance[f] + Epsilon);
        }
    }
}
