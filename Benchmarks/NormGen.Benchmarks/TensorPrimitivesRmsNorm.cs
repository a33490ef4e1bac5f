using System;
using System.Numerics.Tensors;

namespace NormGen.Benchmarks;

/// <summary>
/// RMSNorm as a .NET developer would write it today with System.Numerics.Tensors: one TensorPrimitives call per
/// step, row by row, as <see cref="TensorPrimitivesLayerNorm"/> does for LayerNorm.
/// </summary>
internal static class TensorPrimitivesRmsNorm
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int hidden, float epsilon)
    {
        int rows = x.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * hidden, hidden);
            Span<float> yr = y.Slice(r * hidden, hidden);
            float rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xr) / hidden + epsilon);
            TensorPrimitives.Multiply(xr, rstd, yr);                          // y = x * rstd
            TensorPrimitives.Multiply(yr, gamma, yr);                         // y = xhat * gamma
        }
    }

    /// <summary>Backward with the saved rstd; <paramref name="xhat"/> and <paramref name="g"/> are caller-owned scratch
    /// rows of <paramref name="hidden"/> floats. dx = rstd · (g − xhat · mean(g · xhat)), g = dy · gamma.</summary>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> xhat, Span<float> g, int hidden)
    {
        int rows = x.Length / hidden;
        dgamma.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dyr = dy.Slice(r * hidden, hidden);
            Span<float> dxr = dx.Slice(r * hidden, hidden);
            TensorPrimitives.Multiply(x.Slice(r * hidden, hidden), rstd[r], xhat);   // xhat = x * rstd
            TensorPrimitives.Multiply(dyr, gamma, g);                         // g = dy * gamma
            float meanGXhat = TensorPrimitives.Dot(g, xhat) / hidden;
            TensorPrimitives.FusedMultiplyAdd(dyr, xhat, dgamma, dgamma);     // dgamma += dy * xhat
            TensorPrimitives.FusedMultiplyAdd(xhat, -meanGXhat, g, dxr);      // dx = g - xhat * mean(g xhat)
            TensorPrimitives.Multiply(dxr, rstd[r], dxr);                     //      * rstd
        }
    }
}
