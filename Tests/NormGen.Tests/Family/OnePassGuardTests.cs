using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The forward statistics guard forced both ways: rows built so that <see cref="StatisticsGuards.OnePassHolds"/>
/// accepts them (the pivot x[0] near the mean) and rows it must reject (the pivot a few or a thousand standard
/// deviations away, values of 1e6 with the pivot at the edge), each row's branch asserted from the guard's inputs
/// computed in double; then every engine against the reference, for every LayerNorm variant, plain and fused. Rows
/// with NaN or ∞ take the fallback (every comparison with NaN is false) and stay isolated.
/// </summary>
public class OnePassGuardTests
{
    /// <summary>A row of the guard tests: how its pivot sits, and which branch the guard must take.</summary>
    public enum GuardRow
    {
        /// <summary>x[0] set to the mean of the others: offset ≈ 0.</summary>
        PivotAtMean,
        /// <summary>x[0] one standard deviation above the others' mean: offset² ≈ var, inside the bound 3.</summary>
        PivotOneSigmaOff,
        /// <summary>x[0] 1.5 σ off: offset² ≈ 2.25 var, inside.</summary>
        PivotOneAndAHalfSigmaOff,
        /// <summary>x[0] 3 σ off: offset² ≈ 9 var (3.7 var at N = 8, where x[0] weighs in the variance), outside.</summary>
        PivotThreeSigmaOff,
        /// <summary>x[0] 1e3 away from a row in [-1, 1): every digit of the one-pass variance would be lost.</summary>
        PivotFar,
        /// <summary>1e6 + spread 1, x[0] 4 σ off: outside, and the cancellation would take the variance's digits.</summary>
        LargeValuesPivotOff,
        /// <summary>1e4 + spread 1e-2 with x[0] at the mean: inside, the large common part cancels in d = x − x[0].</summary>
        LargeValuesPivotAtMean,
    }

    private static readonly int[] Sizes = [8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769, 1024, 4095, 8191];

    public static IEnumerable<object[]> EngineVariantSize() =>
        from engine in FamilyEngines.UnderTest
        from v in FamilyData.LayerNormVariants
        from n in Sizes
        select new object[] { engine.Name, v, n };

    /// <summary>Rows of one kind: each row's values, then its pivot set where the kind says.</summary>
    internal static float[] Rows(GuardRow kind, int rows, int hiddenSize, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * hiddenSize];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.AsSpan(r * hiddenSize, hiddenSize);
            double centre = kind == GuardRow.LargeValuesPivotOff ? 1e6 : kind == GuardRow.LargeValuesPivotAtMean ? 1e4 : 0;
            double spread = kind == GuardRow.LargeValuesPivotOff ? 1 : kind == GuardRow.LargeValuesPivotAtMean ? 1e-2 : 2;
            for (int i = 1; i < hiddenSize; i++)
                row[i] = (float)(centre + (random.NextDouble() - 0.5) * spread);
            double mean = 0, squares = 0;
            for (int i = 1; i < hiddenSize; i++)
                mean += row[i];
            mean /= hiddenSize - 1;
            for (int i = 1; i < hiddenSize; i++)
                squares += (row[i] - mean) * (row[i] - mean);
            double sigma = Math.Sqrt(squares / (hiddenSize - 1));
            double sign = r % 2 == 0 ? 1 : -1;
            row[0] = (float)(kind switch
            {
                GuardRow.PivotAtMean or GuardRow.LargeValuesPivotAtMean => mean,
                GuardRow.PivotOneSigmaOff => mean + sign * sigma,
                GuardRow.PivotOneAndAHalfSigmaOff => mean + sign * 1.5 * sigma,
                GuardRow.PivotThreeSigmaOff => mean + sign * 3 * sigma,
                GuardRow.PivotFar => sign * 1e3,
                GuardRow.LargeValuesPivotOff => mean + sign * 4 * sigma,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            });
        }
        return x;
    }

    /// <summary>The guard's inputs for one row, in double: offset = Σ(x − x[0]) / N, variance = Σ(x − x[0])² / N − offset².</summary>
    internal static (double Offset, double Variance) GuardInputs(ReadOnlySpan<float> row)
    {
        double pivot = row[0], sum = 0, squares = 0;
        foreach (float v in row)
        {
            sum += v - pivot;
            squares += (v - pivot) * (v - pivot);
        }
        double offset = sum / row.Length;
        return (offset, squares / row.Length - offset * offset);
    }

    /// <summary>Whether the guard accepts a row, decided in double with a 10 % margin; null near the bound, where
    /// float rounding may decide either way (the test then asserts only the results).</summary>
    internal static bool? Expected(ReadOnlySpan<float> row)
    {
        var (offset, variance) = GuardInputs(row);
        double ratio = offset * offset / variance;
        return ratio <= 0.9 * StatisticsGuards.MaxPivotDistanceSquared ? true
            : ratio >= 1.1 * StatisticsGuards.MaxPivotDistanceSquared ? false
            : null;
    }

    private static bool Accepts(GuardRow kind) =>
        kind is GuardRow.PivotAtMean or GuardRow.PivotOneSigmaOff or GuardRow.PivotOneAndAHalfSigmaOff or GuardRow.LargeValuesPivotAtMean;

    [Fact]
    public void RowsTakeTheBranchTheirKindNames()
    {
        foreach (int n in Sizes)
        {
            foreach (GuardRow kind in Enum.GetValues<GuardRow>())
            {
                float[] x = Rows(kind, 4, n, seed: n + (int)kind);
                for (int r = 0; r < 4; r++)
                {
                    bool? expected = Expected(x.AsSpan(r * n, n));
                    Assert.True(expected == Accepts(kind), $"{kind}, N = {n}, row {r}: the guard in double says {expected?.ToString() ?? "near the bound"}");
                }
            }
        }
    }

    /// <summary>
    /// The generic path's statistics of each row, from the kernel itself: the one-pass branch returns the pivot as the
    /// centre, the fallback pivot + Σd / N. So this sees the branch, which the results alone do not show wherever
    /// both are accurate (mutating the guard to always reject passes every accuracy test).
    /// </summary>
    [Fact]
    public void GenericKernel_TakesTheOnePassBranchExactlyWhereTheGuardAccepts()
    {
        foreach (int n in Sizes)
        {
            foreach (GuardRow kind in Enum.GetValues<GuardRow>())
            {
                float[] x = Rows(kind, 4, n, seed: n + (int)kind);
                for (int r = 0; r < 4; r++)
                {
                    float[] row = x.AsSpan(r * n, n).ToArray();
                    var (centre, _, _, vectorPath) = GenericStatistics(row);
                    if (!vectorPath)
                    {
                        // The scalar path always takes the two-pass form.
                        Assert.Equal(row[0] + (float)GuardInputs(row).Offset, centre, 1e-3f * Math.Max(1f, Math.Abs(centre)));
                        continue;
                    }
                    bool onePass = BitConverter.SingleToInt32Bits(centre) == BitConverter.SingleToInt32Bits(row[0]);
                    Assert.True(onePass == Accepts(kind), $"{kind}, N = {n}, row {r}: one-pass branch {onePass}, centre {centre:R}, pivot {row[0]:R}");
                }
            }
        }
    }

    /// <summary>The generic kernel's statistics of one row on the width the generic path picks for its size.</summary>
    internal static (float Centre, float Offset, float Variance, bool VectorPath) GenericStatistics(float[] row)
    {
        int n = row.Length;
        ref float x = ref row[0];
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            return With(LayerNormRowKernels.Statistics<Simd512, Vector512<float>, PlainInput, float>(ref x, ref x, ref x, n), true);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            return With(LayerNormRowKernels.Statistics<Simd256, Vector256<float>, PlainInput, float>(ref x, ref x, ref x, n), true);
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            return With(LayerNormRowKernels.Statistics<Simd128, Vector128<float>, PlainInput, float>(ref x, ref x, ref x, n), true);
        return With(LayerNormRowKernels.Statistics<Scalar, float, PlainInput, float>(ref x, ref x, ref x, n), false);

        static (float, float, float, bool) With((float Centre, float Offset, float Variance) s, bool vector) =>
            (s.Centre, s.Offset, s.Variance, vector);
    }

    [Theory]
    [MemberData(nameof(EngineVariantSize))]
    public void BothBranches_MatchTheReference(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 4;
        foreach (GuardRow kind in Enum.GetValues<GuardRow>())
        {
            float[] x = Rows(kind, rows, hiddenSize, seed: hiddenSize * 3 + (int)kind);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 1), beta = FamilyData.Beta(v, hiddenSize, seed: 2);
            string what = $"{kind}, N = {hiddenSize}";

            var (yRef, meanRef, rstdRef) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);
            var (y, mean, rstd) = FamilyData.RunForward(engine, v, x, gamma, beta, rows, hiddenSize);
            NumericAssert.Close(yRef, y, "y, " + what);
            NumericAssert.Close(meanRef, mean, "mean, " + what);
            NumericAssert.Close(rstdRef, rstd, "rstd, " + what);

            // The fused form on the same rows: x = rows − residual, so that sum = x + residual is these rows (to a rounding).
            float[] residual = TestRows.Uniform(x.Length, -1e-3f, 1e-3f, seed: 9);
            float[] input = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
                input[i] = x[i] - residual[i];
            var (sumRef, yResRef, meanResRef, rstdResRef) = FamilyData.RunForwardResidual(FamilyEngines.Reference, v, input, residual, gamma, beta, rows, hiddenSize);
            var (sum, yRes, meanRes, rstdRes) = FamilyData.RunForwardResidual(engine, v, input, residual, gamma, beta, rows, hiddenSize);
            NumericAssert.BitIdentical(sumRef, sum, "sum, " + what);
            NumericAssert.Close(yResRef, yRes, "fused y, " + what);
            NumericAssert.Close(meanResRef, meanRes, "fused mean, " + what);
            NumericAssert.Close(rstdResRef, rstdRes, "fused rstd, " + what);
            var (yUnfused, _, _) = FamilyData.RunForward(engine, v, sum, gamma, beta, rows, hiddenSize);
            NumericAssert.BitIdentical(yUnfused, yRes, "fused y against Forward(sum), " + what);
        }
    }

    /// <summary>NaN and ∞ make offset or variance NaN (or offset ∞), which the guard rejects: the row takes the
    /// fallback and gives NaN, and the other rows are bit-identical to a clean run.</summary>
    [Theory]
    [MemberData(nameof(EngineVariantSize))]
    public void NaNAndInfinityRows_TakeTheFallback_AndStayIsolated(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 5;
        float[] clean = Rows(GuardRow.PivotOneSigmaOff, rows, hiddenSize, seed: 77);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 1), beta = FamilyData.Beta(v, hiddenSize, seed: 2);
        var (yClean, meanClean, rstdClean) = FamilyData.RunForward(engine, v, clean, gamma, beta, rows, hiddenSize);

        // (row, element, value): NaN at the pivot, NaN in the middle, +∞ at the end, −∞ at the pivot.
        var poisons = new (int Row, int At, float Value)[]
        {
            (0, 0, float.NaN), (1, hiddenSize / 2, float.NaN), (2, hiddenSize - 1, float.PositiveInfinity), (4, 0, float.NegativeInfinity),
        };
        float[] dirty = (float[])clean.Clone();
        foreach (var (row, at, value) in poisons)
        {
            dirty[row * hiddenSize + at] = value;
            var (offset, variance) = GuardInputs(dirty.AsSpan(row * hiddenSize, hiddenSize));
            Assert.False(StatisticsGuards.OnePassHolds(dirty[row * hiddenSize], (float)offset, (float)variance), $"row {row}: the guard must reject ({offset}, {variance})");
        }
        var (y, mean, rstd) = FamilyData.RunForward(engine, v, dirty, gamma, beta, rows, hiddenSize);

        for (int r = 0; r < rows; r++)
        {
            bool poisoned = poisons.Any(p => p.Row == r);
            ReadOnlySpan<float> yRow = y.AsSpan(r * hiddenSize, hiddenSize);
            if (!poisoned)
            {
                NumericAssert.BitIdentical(yClean.AsSpan(r * hiddenSize, hiddenSize), yRow, $"clean row {r}");
                Assert.Equal(BitConverter.SingleToInt32Bits(meanClean[r]), BitConverter.SingleToInt32Bits(mean[r]));
                Assert.Equal(BitConverter.SingleToInt32Bits(rstdClean[r]), BitConverter.SingleToInt32Bits(rstd[r]));
                continue;
            }
            Assert.True(float.IsNaN(rstd[r]), $"row {r}: rstd {rstd[r]:R}");
            Assert.False(float.IsFinite(mean[r]), $"row {r}: mean {mean[r]:R}");
            foreach (float value in yRow)
                Assert.True(float.IsNaN(value), $"row {r}: y {value:R}");
        }
    }
}
