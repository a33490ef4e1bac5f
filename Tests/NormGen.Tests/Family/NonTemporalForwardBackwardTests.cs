using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The non-temporal forms of the plain forward (y) and the backward (dx, with dgamma and dbeta following dx's
/// partition), forced on small inputs by setting the threshold to 0: every output is bit-identical to the ordinary
/// form's, for every alignment of the output, and nothing outside it is written. The sizes cover the generated kernels'
/// non-temporal plans: 64 and 100 on Vector128 (DOTNET_EnableAVX2=0), 256 unrolled on Vector512, 768, 1024 and 4096
/// streaming on every vector path; 769 has none (a tail) and must be unaffected.
/// </summary>
[Collection(nameof(NonTemporalThreshold))]
public class NonTemporalForwardBackwardTests
{
    private const float Guard = -7.25e-3f;

    private static readonly int[] Sizes = [64, 100, 256, 768, 769, 1024, 4096];

    public static IEnumerable<object[]> EngineVariantSizeKind() =>
        from engine in FamilyEngines.UnderTest
        from v in FamilyData.Variants
        from n in Sizes
        from kind in new[] { RowKind.Random, RowKind.Offset1e4Spread1e2, RowKind.FarPivot }
        select new object[] { engine.Name, v, n, kind };

    [Theory]
    [MemberData(nameof(EngineVariantSizeKind))]
    public void NonTemporalForward_IsBitIdentical_AtEveryAlignment(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        Assert.True(engine.Supports(v, hiddenSize, TestData.DefaultEpsilon));
        const int rows = 5;
        int length = rows * hiddenSize;
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 51);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 53), beta = FamilyData.Beta(v, hiddenSize, seed: 54);
        float[] expectedY = new float[length], expectedMean = FamilyData.HasMean(v) ? new float[rows] : [];
        float[] expectedRstd = new float[rows];
        NonTemporalThreshold.With(int.MaxValue, () => engine.Forward(v, x, gamma, beta, expectedY, expectedMean, expectedRstd,
            hiddenSize, TestData.DefaultEpsilon));

        // Every offset of y in floats mod 16, so every alignment to 64 bytes wherever the array starts.
        for (int offset = 0; offset < 16; offset++)
        {
            float[] yBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
            float[] mean = FamilyData.HasMean(v) ? new float[rows] : [], rstd = new float[rows];
            NonTemporalThreshold.With(0, () => engine.Forward(v, x, gamma, beta, yBuffer.AsSpan(offset, length), mean, rstd,
                hiddenSize, TestData.DefaultEpsilon));

            string at = $"{engineName} {v}, N = {hiddenSize}, {kind}, y at +{offset}";
            NumericAssert.BitIdentical(expectedY, yBuffer.AsSpan(offset, length), "y, " + at);
            NumericAssert.BitIdentical(expectedMean, mean, "mean, " + at);
            NumericAssert.BitIdentical(expectedRstd, rstd, "rstd, " + at);
            AssertGuards(yBuffer, offset, length, "y, " + at);
        }
    }

    [Theory]
    [MemberData(nameof(EngineVariantSizeKind))]
    public void NonTemporalBackward_IsBitIdentical_AtEveryAlignment(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        // 11 rows: more than one block of RowScheduler's, so dgamma and dbeta are reduced from two partials.
        const int rows = 11;
        int length = rows * hiddenSize;
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 61);
        float[] dy = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 62);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 63), beta = FamilyData.Beta(v, hiddenSize, seed: 64);
        float[] mean = FamilyData.HasMean(v) ? new float[rows] : [], rstd = new float[rows];
        engine.Forward(v, x, gamma, beta, new float[length], mean, rstd, hiddenSize, TestData.DefaultEpsilon);
        int parameters = FamilyData.HasGamma(v) ? hiddenSize : 0, biases = FamilyData.HasBeta(v) ? hiddenSize : 0;
        float[] expectedDx = new float[length], expectedDgamma = new float[parameters], expectedDbeta = new float[biases];
        NonTemporalThreshold.With(int.MaxValue, () =>
            engine.Backward(v, dy, x, gamma, mean, rstd, expectedDx, expectedDgamma, expectedDbeta, hiddenSize));

        for (int offset = 0; offset < 16; offset++)
        {
            float[] dxBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
            float[] dgamma = new float[parameters], dbeta = new float[biases];
            NonTemporalThreshold.With(0, () =>
                engine.Backward(v, dy, x, gamma, mean, rstd, dxBuffer.AsSpan(offset, length), dgamma, dbeta, hiddenSize));

            string at = $"{engineName} {v}, N = {hiddenSize}, {kind}, dx at +{offset}";
            NumericAssert.BitIdentical(expectedDx, dxBuffer.AsSpan(offset, length), "dx, " + at);
            NumericAssert.BitIdentical(expectedDgamma, dgamma, "dgamma, " + at);
            NumericAssert.BitIdentical(expectedDbeta, dbeta, "dbeta, " + at);
            AssertGuards(dxBuffer, offset, length, "dx, " + at);
        }
    }

    public static IEnumerable<object[]> EngineVariant() =>
        from engine in FamilyEngines.UnderTest
        from v in FamilyData.Variants
        select new object[] { engine.Name, v };

    [Theory]
    [MemberData(nameof(EngineVariant))]
    public void InPlaceForward_TakesTheOrdinaryForm_AndStaysCorrect(string engineName, Variant v)
    {
        // A non-temporal store evicts the line it writes, and the kernel reads x again after writing y, so in place
        // it keeps ordinary stores.
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        const int hiddenSize = 768, rows = 3;
        float[] x = TestRows.Rows(RowKind.Offset1e4Spread1e2, rows, hiddenSize, seed: 71);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 73), beta = FamilyData.Beta(v, hiddenSize, seed: 74);
        float[] expected = new float[x.Length];
        NonTemporalThreshold.With(int.MaxValue, () =>
            engine.Forward(v, x, gamma, beta, expected, [], [], hiddenSize, TestData.DefaultEpsilon));
        float[] inPlace = (float[])x.Clone();
        NonTemporalThreshold.With(0, () => engine.Forward(v, inPlace, gamma, beta, inPlace, [], [], hiddenSize, TestData.DefaultEpsilon));
        NumericAssert.BitIdentical(expected, inPlace, $"{engineName} {v}: y over x");
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
