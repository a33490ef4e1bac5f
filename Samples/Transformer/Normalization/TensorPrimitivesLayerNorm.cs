using System;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// LayerNorm as a .NET developer would compose it from System.Numerics.Tensors, one TensorPrimitives call per
/// step, row by row, with a centred (two-pass) variance; the residual form is an Add followed by it. The
/// baseline for what NormGen's kernels buy.
/// </summary>
internal sealed class TensorPrimitivesLayerNorm(string name, int width, int maxRows)
    : LayerNormBase(name, width, maxRows)
{
    private const float Epsilon = 1e-5f;
    private readonly float[] _xhat = new float[width], _g = new float[width];

    protected override void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd)
    {
        for (int r = 0; r < mean.Length; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * Width, Width);
            Span<float> yr = y.Slice(r * Width, Width);
            mean[r] = TensorPrimitives.Sum(xr) / Width;
            TensorPrimitives.Subtract(xr, mean[r], yr);                         // y = x − mean
            float variance = TensorPrimitives.SumOfSquares(yr) / Width;
            rstd[r] = 1 / MathF.Sqrt(variance + Epsilon);
            TensorPrimitives.Multiply(yr, rstd[r], yr);                         // y = xhat
            TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);             // y = xhat · gamma + beta
        }
    }

    protected override void ForwardResidualKernel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd)
    {
        TensorPrimitives.Add(x, residual, sum);
        ForwardKernel(sum, gamma, beta, y, mean, rstd);
    }

    protected override void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta)
    {
        Span<float> xhat = _xhat, g = _g;
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < mean.Length; r++)
        {
            ReadOnlySpan<float> dyr = dy.Slice(r * Width, Width);
            Span<float> dxr = dx.Slice(r * Width, Width);
            TensorPrimitives.Subtract(x.Slice(r * Width, Width), mean[r], xhat);
            TensorPrimitives.Multiply(xhat, rstd[r], xhat);                     // xhat = (x − mean) · rstd
            TensorPrimitives.Multiply(dyr, gamma, g);                           // g = dy · gamma
            float meanG = TensorPrimitives.Sum(g) / Width;
            float meanGXhat = TensorPrimitives.Dot(g, xhat) / Width;
            TensorPrimitives.FusedMultiplyAdd(dyr, xhat, dgamma, dgamma);       // dgamma += dy · xhat
            TensorPrimitives.Add(dbeta, dyr, dbeta);                            // dbeta += dy
            TensorPrimitives.FusedMultiplyAdd(xhat, -meanGXhat, g, dxr);        // dx = g − xhat · mean(g xhat)
            TensorPrimitives.Subtract(dxr, meanG, dxr);                         //      − mean(g)
            TensorPrimitives.Multiply(dxr, rstd[r], dxr);                       //      · rstd
        }
    }
}
