using System;
using System.Numerics;

namespace NormGen.Samples.Transformer;

/// <summary>
/// Dot products and scaled adds over one head's slice (16 floats in the sample), the inner loops of attention.
/// Written out rather than called through TensorPrimitives because the slices are so short that a call's
/// overhead costs more than its work.
/// </summary>
/// <remarks>
/// The order of every sum depends on the slice's length only (whole vectors, their lanes, then the tail), so the
/// same slice gives the same bits wherever it sits: a token's scores are the same in any batch.
/// </remarks>
internal static class HeadVectors
{
    // Floats per vector; without hardware vectors, Vector<T> is a slow software loop, so the scalar tails then
    // do all the work (the width is too large for any whole vector to fit).
    private static readonly int VectorWidth =
        Vector.IsHardwareAccelerated ? Vector<float>.Count : int.MaxValue / 4;

    /// <summary>Σ a[c] · b[c].</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = VectorWidth, c = 0;
        var sum = Vector<float>.Zero;
        for (; c + width <= a.Length; c += width)
            sum += new Vector<float>(a[c..]) * new Vector<float>(b[c..]);
        float total = Vector.Sum(sum);
        for (; c < a.Length; c++) total += a[c] * b[c];
        return total;
    }

    /// <summary>y[c] += alpha · x[c].</summary>
    public static void AddScaled(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        int width = VectorWidth, c = 0;
        for (; c + width <= x.Length; c += width)
            (new Vector<float>(y[c..]) + new Vector<float>(x[c..]) * alpha).CopyTo(y[c..]);
        for (; c < x.Length; c++) y[c] += alpha * x[c];
    }
}
