using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The 16-bit rows' non-temporal forms, forced on small inputs by setting the threshold to 0: y, the fused form's sum,
/// dx, the statistics, dgamma and dbeta are bit-identical to the ordinary forms' at every alignment of each output
/// (16 element offsets cover every 32-byte alignment of a 16-bit row), and nothing outside an output is written.
/// </summary>
[Collection(nameof(NonTemporalThreshold))]
public class NonTemporal16Tests
{
    private static readonly int[] Sizes = [1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769];

    public static IEnumerable<object[]> TypeAndSize() =>
        from type in new[] { "Half", "BFloat16" }
        from n in Sizes
        select new object[] { type, n };

    [Theory]
    [MemberData(nameof(TypeAndSize))]
    public void EveryOutput_IsBitIdentical_AtEveryAlignment(string type, int n)
    {
        if (type == "Half")
            Check(new HalfGeneric16(), n);
        else
            Check(new BFloat16Generic16(), n);
    }

    private static void Check<T>(Reference16<T> r, int n) where T : unmanaged
    {
        const int rows = 5;
        int length = rows * n;
        T guard = r.FromSingle(-7.25e-3f);
        T[] x = Data16.Uniform(r, length, -2, 2, 21), residual = Data16.Uniform(r, length, -1, 1, 22);
        T[] dy = Data16.Uniform(r, length, -1, 1, 23);
        T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, 24), beta = Data16.Uniform(r, n, -1, 1, 25);

        T[] y = new T[length], sum = new T[length], ySum = new T[length], dx = new T[length];
        float[] mean = new float[rows], rstd = new float[rows], dgamma = new float[n], dbeta = new float[n];
        NonTemporalThreshold.With(int.MaxValue, () =>
        {
            r.LayerNormForward(x, gamma, beta, y, mean, rstd, n);
            r.LayerNormForwardResidual(x, residual, gamma, beta, sum, ySum, n);
            r.LayerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
        });

        for (int offset = 0; offset < 16; offset++)
        {
            string at = $"{r.Name}, N = {n}, output at +{offset}";
            T[] yBuffer = Enumerable.Repeat(guard, length + 32).ToArray();
            T[] sumBuffer = Enumerable.Repeat(guard, length + 32).ToArray();
            T[] ySumBuffer = Enumerable.Repeat(guard, length + 32).ToArray();
            T[] dxBuffer = Enumerable.Repeat(guard, length + 32).ToArray();
            float[] meanS = new float[rows], rstdS = new float[rows], dgammaS = new float[n], dbetaS = new float[n];
            NonTemporalThreshold.With(0, () =>
            {
                // The generic entry points the public overloads call, so that the outputs are windows of the buffers.
                LayerNorm.Forward<T, T>(Full | NormParts.Mean | NormParts.Rstd, x, default, gamma, beta, default,
                    yBuffer.AsSpan(offset, length), meanS, rstdS, n, TestData.DefaultEpsilon);
                LayerNorm.Forward<T, T>(Full | NormParts.Residual, x, residual, gamma, beta,
                    sumBuffer.AsSpan(offset, length), ySumBuffer.AsSpan(offset, length), default, default, n,
                    TestData.DefaultEpsilon);
                LayerNorm.Backward<T, T>(Full | NormParts.Mean, dy, x, gamma, mean, rstd,
                    dxBuffer.AsSpan(offset, length), dgammaS, dbetaS, n);
            });
            Data16.AssertBitIdentical(r, y, yBuffer[offset..(offset + length)], "y, " + at);
            Data16.AssertBitIdentical(r, sum, sumBuffer[offset..(offset + length)], "sum, " + at);
            Data16.AssertBitIdentical(r, ySum, ySumBuffer[offset..(offset + length)], "fused y, " + at);
            Data16.AssertBitIdentical(r, dx, dxBuffer[offset..(offset + length)], "dx, " + at);
            NumericAssert.BitIdentical(mean, meanS, "mean, " + at);
            NumericAssert.BitIdentical(rstd, rstdS, "rstd, " + at);
            NumericAssert.BitIdentical(dgamma, dgammaS, "dgamma, " + at);
            NumericAssert.BitIdentical(dbeta, dbetaS, "dbeta, " + at);
            foreach (T[] buffer in new[] { yBuffer, sumBuffer, ySumBuffer, dxBuffer })
            {
                for (int i = 0; i < buffer.Length; i++)
                {
                    if (i < offset || i >= offset + length)
                        Assert.True(r.Bits(guard) == r.Bits(buffer[i]), $"guard [{i}] written, {at}");
                }
            }
        }
    }

    private const NormParts Full = NormParts.Gamma | NormParts.Beta;
}
