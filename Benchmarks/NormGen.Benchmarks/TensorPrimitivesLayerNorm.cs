using System;
using System.Numerics.Tensors;

namespace NormGen.Benchmarks;

/// <summary>
/// LayerNorm as a .NET developer would write it today with System.Numerics.Tensors: one TensorPrimitives
/// call per step, row by row. Two-pass (centred) variance, so it is accurate on ordinary data.
/// </summary>
internal static class TensorPrimitivesLayerNorm
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int hidden, float epsilon)
    {
        int rows = x.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * hidden, hidden);
            Span<float> yr = y.Slice(r * hidden, hidden);
            float mean = TensorPrimitives.Sum(xr) / hidden;
            TensorPrimitives.Subtract(xr, mean, yr);                          // y = x - mean
            float variance = TensorPrimitives.SumOfSquares(yr) / hidden;
            float rstd = 1f / MathF.Sqrt(variance + epsilon);
            TensorPrimitives.Multiply(yr, rstd, yr);                          // y = xhat
            TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);           // y = xhat * gamma + beta
        }
    }

    /// <summary>Backward with the saved mean and rstd; <paramref name="xhat"/> and <paramref name="g"/> are
    /// caller-owned scratch rows of <paramref name="hidden"/> floats.</summary>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta, Span<float> xhat, Span<float> g, int hidden)
    {
        int rows = x.Length / hidden;
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dyr = dy.Slice(r * hidden, hidden);
            Span<float> dxr = dx.Slice(r * hidden, hidden);
            TensorPrimitives.Subtract(x.Slice(r * hidden, hidden), mean[r], xhat);
            TensorPrimitives.Multiply(xhat, rstd[r], xhat);                   // xhat = (x - mean) * rstd
            TensorPrimitives.Multiply(dyr, gamma, g);                         // g = dy * gamma
            float meanG = TensorPrimitives.Sum(g) / hidden;
            float meanGXhat = TensorPrimitives.Dot(g, xhat) / hidden;
            TensorPrimitives.FusedMultiplyAdd(dyr, xhat, dgamma, dgamma);     // dgamma += dy * xhat
            TensorPrimitives.Add(dbeta, dyr, dbeta);                          // dbeta += dy
            TensorPrimitives.FusedMultiplyAdd(xhat, -meanGXhat, g, dxr);      // dx = g - xhat * mean(g xhat)
            TensorPrimitives.Subtract(dxr, meanG, dxr);                       //      - mean(g)
            TensorPrimitives.Multiply(dxr, rstd[r], dxr);                     //      * rstd
        }
    }
}
