using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The generated fused residual kernels' non-temporal form, forced on small inputs by setting the threshold to 0: sum,
/// y and the saved statistics are bit-identical to the ordinary form's, for every alignment of sum and y, and nothing
/// outside them is written. The sizes are those with a non-temporal kernel on at least one path: 64 and 100 on
/// Vector128 (DOTNET_EnableAVX2=0), 768 on every vector path; 769 and 1024 have none and must be unaffected.
/// </summary>
[Collection(nameof(NonTemporalThreshold))]
public class NonTemporalResidualTests
{
    private const float Guard = -7.25e-3f;

    private static readonly int[] Sizes = [64, 100, 768, 769, 1024];

    public static IEnumerable<object[]> VariantSizeKind() =>
        from v in FamilyData.Variants
        from n in Sizes
        from kind in new[] { RowKind.Random, RowKind.Offset1e4Spread1e2, RowKind.MixedScales, RowKind.FarPivot }
        select new object[] { v, n, kind };

    [Theory]
    [MemberData(nameof(VariantSizeKind))]
    public void NonTemporalForm_IsBitIdentical_AtEveryAlignment(Variant v, int hiddenSize, RowKind kind)
    {
        var engine = new GeneratedFamilyEngine();
        Assert.True(engine.Supports(v, hiddenSize, TestData.DefaultEpsilon));
        const int rows = 5;
        int length = rows * hiddenSize;
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 31);
        float[] residual = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 32);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 33), beta = FamilyData.Beta(v, hiddenSize, seed: 34);

        (float[] Sum, float[] Y, float[] Mean, float[] Rstd) expected = default;
        NonTemporalThreshold.With(int.MaxValue, () =>
            expected = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize));

        // Every offset of sum in floats mod 16 (so every alignment to 64 bytes, wherever the array starts), with y at another.
        for (int sumOffset = 0; sumOffset < 16; sumOffset++)
        {
            int yOffset = (sumOffset * 7 + 3) % 16;
            float[] sumBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
            float[] yBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
            float[] mean = FamilyData.HasMean(v) ? new float[rows] : [], rstd = new float[rows];
            NonTemporalThreshold.With(0, () => engine.ForwardResidual(v, x, residual, gamma, beta,
                sumBuffer.AsSpan(sumOffset, length), yBuffer.AsSpan(yOffset, length), mean, rstd, hiddenSize, TestData.DefaultEpsilon));

            string at = $"{v}, N = {hiddenSize}, sum at +{sumOffset}, y at +{yOffset}";
            NumericAssert.BitIdentical(expected.Sum, sumBuffer.AsSpan(sumOffset, length), "sum, " + at);
            NumericAssert.BitIdentical(expected.Y, yBuffer.AsSpan(yOffset, length), "y, " + at);
            NumericAssert.BitIdentical(expected.Mean, mean, "mean, " + at);
            NumericAssert.BitIdentical(expected.Rstd, rstd, "rstd, " + at);
            AssertGuards(sumBuffer, sumOffset, length, "sum, " + at);
            AssertGuards(yBuffer, yOffset, length, "y, " + at);
        }
    }

    public static IEnumerable<object[]> Variants() => FamilyData.Variants.Select(v => new object[] { v });

    [Theory]
    [MemberData(nameof(Variants))]
    public void InPlaceCalls_TakeTheOrdinaryForm_AndStayCorrect(Variant v)
    {
        // The non-temporal form reads x and residual again after writing sum, so in place it would read its own output.
        var engine = new GeneratedFamilyEngine();
        const int hiddenSize = 768, rows = 3;
        float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 41);
        float[] residual = TestRows.Rows(RowKind.Offset1e4Spread1e2, rows, hiddenSize, seed: 42);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 43), beta = FamilyData.Beta(v, hiddenSize, seed: 44);
        (float[] Sum, float[] Y, float[] Mean, float[] Rstd) expected = default;
        NonTemporalThreshold.With(int.MaxValue, () =>
            expected = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize));

        // Each output over each input it may replace, one at a time, and both at once.
        foreach ((string what, bool sumOverX, bool sumOverResidual, bool yOverX, bool yOverResidual) in new[]
        {
            ("sum over x", true, false, false, false),
            ("sum over residual", false, true, false, false),
            ("y over x", false, false, true, false),
            ("y over residual", false, false, false, true),
            ("sum over x and y over residual", true, false, false, true),
        })
        {
            float[] xCopy = (float[])x.Clone(), residualCopy = (float[])residual.Clone();
            float[] sum = sumOverX ? xCopy : sumOverResidual ? residualCopy : new float[x.Length];
            float[] y = yOverX ? xCopy : yOverResidual ? residualCopy : new float[x.Length];
            NonTemporalThreshold.With(0, () =>
                engine.ForwardResidual(v, xCopy, residualCopy, gamma, beta, sum, y, [], [], hiddenSize, TestData.DefaultEpsilon));
            NumericAssert.BitIdentical(expected.Sum, sum, $"{v}, {what}: sum");
            NumericAssert.BitIdentical(expected.Y, y, $"{v}, {what}: y");
        }
    }

    private static void AssertGuards(float[] buffer, int offset, int length, string what)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if (i >= offset && i < offset + length) continue;
            Assert.True(BitConverter.SingleToInt32Bits(buffer[i]) == BitConverter.SingleToInt32Bits(Guard),
                $"{what}: element {i - offset} outside the output was written ({buffer[i]:R})");
        }
    }
}
