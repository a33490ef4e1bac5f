using System;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>Data and assertions for tests written once over a 16-bit element type.</summary>
public static class Data16
{
    /// <summary>Uniform values in [low, high), rounded to T.</summary>
    public static T[] Uniform<T>(Reference16<T> r, int length, float low, float high, int seed) where T : unmanaged =>
        TestRows.Uniform(length, low, high, seed).Select(r.FromSingle).ToArray();

    public static float[] Widen<T>(Reference16<T> r, T[] values) where T : unmanaged =>
        values.Select(r.ToSingle).ToArray();

    /// <summary>The fused kernels' sum: (T)((float)x + (float)residual).</summary>
    public static T[] Sum<T>(Reference16<T> r, T[] x, T[] residual) where T : unmanaged =>
        x.Zip(residual, (a, b) => r.FromSingle(r.ToSingle(a) + r.ToSingle(b))).ToArray();

    /// <summary>LayerNorm of each row in double (the float reference's row code), y rounded once to T.</summary>
    public static (T[] Y, float[] Mean, float[] Rstd) LayerNormInDouble<T>(
        Reference16<T> r, T[] x, T[] gamma, T[] beta, int n) where T : unmanaged
    {
        int rows = x.Length / n;
        var y = new T[x.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        var yRow = new double[n];
        for (int row = 0; row < rows; row++)
        {
            LayerNormReference.ForwardRow(Doubles(r, x.AsSpan(row * n, n)), Doubles(r, gamma), Doubles(r, beta), yRow,
                TestData.DefaultEpsilon, out double meanRow, out double rstdRow);
            for (int i = 0; i < n; i++)
                y[row * n + i] = r.FromDouble(yRow[i]);
            mean[row] = (float)meanRow;
            rstd[row] = (float)rstdRow;
        }
        return (y, mean, rstd);
    }

    /// <summary>RMSNorm of each row in double, y rounded once to T.</summary>
    public static (T[] Y, float[] Rstd) RmsNormInDouble<T>(Reference16<T> r, T[] x, T[] gamma, int n)
        where T : unmanaged
    {
        int rows = x.Length / n;
        var y = new T[x.Length];
        var rstd = new float[rows];
        var yRow = new double[n];
        for (int row = 0; row < rows; row++)
        {
            RmsNormReference.ForwardRow(Doubles(r, x.AsSpan(row * n, n)), Doubles(r, gamma), yRow,
                TestData.DefaultEpsilon, out double rstdRow);
            for (int i = 0; i < n; i++)
                y[row * n + i] = r.FromDouble(yRow[i]);
            rstd[row] = (float)rstdRow;
        }
        return (y, rstd);
    }

    private static double[] Doubles<T>(Reference16<T> r, ReadOnlySpan<T> values) where T : unmanaged
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = r.ToSingle(values[i]);
        return result;
    }

    public static void AssertBitIdentical<T>(Reference16<T> r, T[] expected, T[] actual, string what)
        where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (r.Bits(expected[i]) != r.Bits(actual[i]))
            {
                Assert.Fail($"{what}: [{i}] is {r.ToSingle(actual[i]):R} (0x{r.Bits(actual[i]):X4}), expected " +
                    $"{r.ToSingle(expected[i]):R} (0x{r.Bits(expected[i]):X4})");
            }
        }
    }

    /// <summary>Each T value is the float one rounded to T, or a neighbour of that (at most one T ulp away).</summary>
    public static void AssertWithinOneUlp<T>(Reference16<T> r, float[] expected, T[] actual, string what)
        where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            T rounded = r.FromSingle(expected[i]);
            if (float.IsNaN(expected[i]))
            {
                Assert.True(float.IsNaN(r.ToSingle(actual[i])), $"{what}: [{i}] should be NaN");
                continue;
            }
            int distance = Math.Abs(Ordered(r.Bits(rounded)) - Ordered(r.Bits(actual[i])));
            if (distance > 1)
            {
                Assert.Fail($"{what}: [{i}] is {r.ToSingle(actual[i]):R}, {distance} ulps from " +
                    $"{r.ToSingle(rounded):R} (the float reference's {expected[i]:R} rounded)");
            }
        }
    }

    /// <summary>A 16-bit sign-magnitude pattern as an integer that counts ulps across zero.</summary>
    private static int Ordered(ushort bits) => (bits & 0x8000) != 0 ? -(bits & 0x7FFF) : bits;
}
