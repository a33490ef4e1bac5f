using System;

namespace NormGen.Benchmarks;

/// <summary>Seeded random data: N(0, 1) inputs, gamma near 1, beta near 0.</summary>
internal static class Data
{
    public static float[] Normal(int length, int seed, float mean = 0f, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i += 2)
        {
            // Box-Muller: two independent N(0, 1) samples per pair of uniforms.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = mean + scale * (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < length)
                values[i + 1] = mean + scale * (float)(r * Math.Sin(2 * Math.PI * u2));
        }
        return values;
    }
}

/// <summary>The set-up check: a contender whose output differs from the double reference throws, so it is never timed.</summary>
internal static class Check
{
    /// <summary>Tolerance for NormGen's own kernels (the design's accuracy contract).</summary>
    public const double Ours = 1e-5;

    /// <summary>Tolerance for the peers (TensorPrimitives composition, ONNX Runtime) on random N(0, 1) rows.</summary>
    public const double Peer = 1e-4;

    /// <summary>
    /// For a sum over rows (dgamma, dbeta): throws unless |actual − expected| ≤ tolerance · (1 + Σ|terms|),
    /// the error a float sum of those terms may have; a kernel that sums something else is off by O(|expected|)
    /// and still fails. Where the result misses the design's element-wise bound, tolerance · (1 + |expected|),
    /// a note is printed, so the numerics issue sees it, but the contender is still timed.
    /// </summary>
    public static void CloseSum(string contender, string quantity, string shape, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected,
        ReadOnlySpan<double> magnitude, double tolerance, string reference = nameof(LayerNormReference))
    {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double t = expected[i];
            double error = Math.Abs(actual[i] - t);
            if (!(error <= tolerance * (1 + magnitude[i])))
                throw new InvalidOperationException(
                    $"Set-up check failed: {contender} {quantity} at {shape} differs from {reference} at [{i}]: " +
                    $"{actual[i]:R} vs {t:R} (error {error:E2}, tolerance {tolerance:E0}·(1+Σ|terms|) = {tolerance * (1 + magnitude[i]):E2}). It is not timed.");
            double relative = error / (1 + Math.Abs(t));
            if (relative > worst)
                (worst, worstAt) = (relative, i);
        }
        if (worst > tolerance)
            Console.WriteLine(
                $"NOTE: {contender} {quantity} at {shape}: error {worst:E2}·(1+|t|) at [{worstAt}] exceeds the element-wise bound {tolerance:E0}·(1+|t|) " +
                "(float accumulation over the rows); within the sum's own bound, so it is timed.");
    }

    /// <summary>Throws unless |actual − expected| ≤ tolerance · (1 + |expected|) everywhere.</summary>
    public static void Close(string contender, string quantity, string shape, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance,
        string reference = nameof(LayerNormReference))
    {
        if (actual.Length != expected.Length)
            throw new InvalidOperationException($"{contender} {quantity} at {shape}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < actual.Length; i++)
        {
            double t = expected[i];
            double error = Math.Abs(actual[i] - t);
            if (!(error <= tolerance * (1 + Math.Abs(t))))
                throw new InvalidOperationException(
                    $"Set-up check failed: {contender} {quantity} at {shape} differs from {reference} at [{i}]: " +
                    $"{actual[i]:R} vs {t:R} (error {error:E2}, tolerance {tolerance:E0}·(1+|t|)). It is not timed.");
        }
    }
}
