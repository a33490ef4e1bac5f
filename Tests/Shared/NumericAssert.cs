using System;
using Xunit;

namespace NormGen.Testing;

/// <summary>The accuracy contract's assertions, shared by the numerics tests and the generator tests.</summary>
public static class NumericAssert
{
    /// <summary>The contract: |a − t| ≤ tolerance · (1 + |t|) for every element (tolerance 1e-5 by default).</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = 1e-5)
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

    /// <summary>Every element the same bits.</summary>
    public static void BitIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (not bit-identical)");
        }
    }
}
