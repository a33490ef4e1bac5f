using System;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// GELU, tanh form, y = 0.5 · z · (1 + tanh(√(2/π) · (z + 0.044715 · z³))), on the token rows of a batch, one
/// row at a time with TensorPrimitives (whose Tanh is vectorized; a scalar MathF.Tanh per element made GELU most
/// of the step). The forward keeps the tanh for the backward. Padding rows are zero in and zero out.
/// </summary>
internal static class GeluRows
{
    private const float C = 0.7978845608f;   // √(2/π)
    private const float K = 0.044715f;

    /// <summary>y = GELU(z) and t = tanh(√(2/π) · (z + K z³)) on each token row of <paramref name="width"/>.</summary>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y, Span<float> t, Batch batch, int width)
    {
        y[..(batch.Rows * width)].Clear();
        foreach (int row in batch.TokenRowIndices)
        {
            ReadOnlySpan<float> zr = z.Slice(row * width, width);
            Span<float> yr = y.Slice(row * width, width), tr = t.Slice(row * width, width);
            TensorPrimitives.Multiply(zr, zr, tr);            // z²
            TensorPrimitives.Multiply(tr, zr, tr);            // z³
            TensorPrimitives.MultiplyAdd(tr, K, zr, tr);      // z + K z³
            TensorPrimitives.Multiply(tr, C, tr);             // u = √(2/π) (z + K z³)
            TensorPrimitives.Tanh(tr, tr);                    // t = tanh(u)
            TensorPrimitives.Add(tr, 1f, yr);                 // 1 + t
            TensorPrimitives.Multiply(yr, zr, yr);
            TensorPrimitives.Multiply(yr, 0.5f, yr);          // y = 0.5 z (1 + t)
        }
    }

    /// <summary>dz = dy · GELU'(z), GELU'(z) = 0.5 (1 + t) + 0.5 z (1 − t²) √(2/π) (1 + 3K z²); dz may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> z, ReadOnlySpan<float> t, Span<float> dz,
        Batch batch, int width)
    {
        for (int row = 0; row < batch.Rows; row++)
        {
            int start = row * width;
            if (!batch.IsToken(row))
            {
                dz.Slice(start, width).Clear();
                continue;
            }
            for (int i = start; i < start + width; i++)
            {
                float v = z[i], tanh = t[i];
                float derivative = 0.5f * (1 + tanh) + 0.5f * v * (1 - tanh * tanh) * C * (1 + 3 * K * v * v);
                dz[i] = dy[i] * derivative;
            }
        }
    }
}
