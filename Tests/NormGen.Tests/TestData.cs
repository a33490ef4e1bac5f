using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>The kinds of rows the accuracy contract covers (DESIGN.md, "Accuracy").</summary>
public enum RowKind
{
    /// <summary>Uniform in [-2, 2).</summary>
    Random,
    /// <summary>1e4 + spread 1e-2: E[x²] − E[x]² loses every digit here.</summary>
    Offset1e4Spread1e2,
    /// <summary>1e6 + spread 1.</summary>
    Offset1e6Spread1,
    /// <summary>Magnitudes log-uniform from 1e-3 to 1e3, random signs.</summary>
    MixedScales,
    /// <summary>Values around 1e-20.</summary>
    Tiny,
    /// <summary>Every value the same.</summary>
    Constant,
    /// <summary>The first element (the pivot) ±1e3 away from the rest, which lie in [-1, 1): every deviation from
    /// the pivot has the same sign and size, so a float sum of them drifts; the corrected second pass must recover it.</summary>
    FarPivot,
}

public static class TestData
{
    public static readonly int[] HiddenSizes = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769, 1024, 4095, 4096, 8191];

    public const float DefaultEpsilon = 1e-5f;

    /// <summary>Rows per case: enough to exercise the row loop and the dgamma/dbeta sums, small enough for the reference.</summary>
    public static int RowsFor(int hiddenSize) => hiddenSize <= 1024 ? 5 : 2;

    /// <summary>Every engine under test × every hidden size × every row kind.</summary>
    public static IEnumerable<object[]> EngineSizeKind() =>
        from engine in Engines.UnderTest
        from n in HiddenSizes
        from kind in Enum.GetValues<RowKind>()
        select new object[] { engine.Name, n, kind };

    public static IEnumerable<object[]> EngineSize() =>
        from engine in Engines.All
        from n in HiddenSizes
        select new object[] { engine.Name, n };

    public static IEnumerable<object[]> AllEngines() => Engines.All.Select(e => new object[] { e.Name });

    public static float[] Rows(RowKind kind, int rows, int hiddenSize, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * hiddenSize];
        for (int r = 0; r < rows; r++)
        {
            float constant = (float)(random.NextDouble() * 2e4 - 1e4);
            for (int i = 0; i < hiddenSize; i++)
            {
                x[r * hiddenSize + i] = kind switch
                {
                    RowKind.Random => Uniform(random, -2, 2),
                    RowKind.Offset1e4Spread1e2 => (float)(1e4 + (random.NextDouble() - 0.5) * 1e-2),
                    RowKind.Offset1e6Spread1 => (float)(1e6 + (random.NextDouble() - 0.5)),
                    RowKind.MixedScales => (float)(Math.Pow(10, Uniform(random, -3, 3)) * (random.Next(2) == 0 ? -1 : 1)),
                    RowKind.Tiny => (float)(1e-20 * (1 + random.NextDouble())),
                    RowKind.Constant => constant,
                    RowKind.FarPivot => i == 0 ? (r % 2 == 0 ? 1e3f : -1e3f) : Uniform(random, -1, 1),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
                };
            }
        }
        return x;
    }

    public static float[] Uniform(int length, float min, float max, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = Uniform(random, min, max);
        return values;
    }

    private static float Uniform(Random random, double min, double max) => (float)(min + random.NextDouble() * (max - min));

    /// <summary>The contract: |a − t| ≤ 1e-5 · (1 + |t|) for every element.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double t = expected[i], a = actual[i];
            double error = Math.Abs(a - t);
            if (!(error <= tolerance * (1 + Math.Abs(t))))
                Assert.Fail($"{what}[{i}]: expected {t:R}, got {a:R}, error {error:E3} > {tolerance:E1}·(1 + |t|)");
        }
    }

    public static void AssertBitIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (not bit-identical)");
        }
    }
}
