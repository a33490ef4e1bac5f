using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// Backward takes its sums about the saved mean, checked by <see cref="StatisticsGuards.PivotHolds"/>. A mean argument
/// that is wrong (0, a thousand standard deviations away, 1e30, float.MaxValue, NaN, ±∞, or the true one rounded
/// badly) must still give the reference's gradients, which recompute the row's centre from x and never read the mean.
/// Each case's branch is asserted from the guard's inputs computed in double, and for the generic path from the kernel.
/// </summary>
public class BackwardPivotTests
{
    /// <summary>What is passed as the saved mean, from each row's true mean m and standard deviation σ = 1 / rstd.</summary>
    public enum MeanArgument
    {
        /// <summary>The forward pass's own mean, rounded to float: accepted.</summary>
        Saved,
        /// <summary>0: accepted on rows centred near 0, rejected on the offset rows.</summary>
        Zero,
        /// <summary>m + 1e3 σ: rejected.</summary>
        FarAbove,
        /// <summary>m − 1e3 σ: rejected.</summary>
        FarBelow,
        /// <summary>1e30: rejected (its distance squared overflows).</summary>
        Huge,
        /// <summary>float.MaxValue: rejected (Σ(x − p) overflows to −∞).</summary>
        Largest,
        /// <summary>NaN: rejected.</summary>
        NaN,
        /// <summary>+∞: rejected.</summary>
        PositiveInfinity,
        /// <summary>−∞: rejected.</summary>
        NegativeInfinity,
        /// <summary>m + 1.25 σ, a mean rounded badly but inside the bound √3: accepted where σ = 1 / rstd is the row's
        /// spread, rejected where epsilon dominates rstd (a row of 1e-20, a constant row, a 1e4-offset row of spread
        /// 3e-3), where 1.25 / rstd is many of the row's own standard deviations.</summary>
        OneAndAQuarterSigmaOff,
        /// <summary>m + 1.25 of the row's own standard deviations (in double): accepted, and the correction recovers it.</summary>
        OneAndAQuarterSpreadsOff,
        /// <summary>m + 1.7 σ, at the bound (1.7² = 2.89): either branch, as the rounding of the sums decides, and both
        /// must be accurate.</summary>
        AtTheBound,
        /// <summary>m − 3 σ: rejected.</summary>
        ThreeSigmaOff,
        /// <summary>m rounded to bfloat16's 8 significant bits: accepted or rejected by the row (on 1e4-offset rows it is
        /// about 10 σ off).</summary>
        RoundedToBFloat16,
    }

    private static readonly RowKind[] Kinds =
        [RowKind.Random, RowKind.Offset1e4Spread1e2, RowKind.Offset1e6Spread1, RowKind.FarPivot, RowKind.MixedScales, RowKind.Constant, RowKind.Tiny];

    public static IEnumerable<object[]> EngineVariantSize() =>
        from engine in FamilyEngines.UnderTest
        from v in FamilyData.LayerNormVariants
        from n in TestData.HiddenSizes
        select new object[] { engine.Name, v, n };

    /// <summary>The mean argument for a row of true mean <paramref name="mean"/> and standard deviation
    /// <paramref name="spread"/> (double), and saved rstd.</summary>
    internal static float Argument(MeanArgument kind, double mean, double spread, float saved, float rstd)
    {
        double sigma = 1.0 / rstd;
        return kind switch
        {
            MeanArgument.Saved => saved,
            MeanArgument.Zero => 0f,
            MeanArgument.FarAbove => (float)(mean + 1e3 * sigma),
            MeanArgument.FarBelow => (float)(mean - 1e3 * sigma),
            MeanArgument.Huge => 1e30f,
            MeanArgument.Largest => float.MaxValue,
            MeanArgument.NaN => float.NaN,
            MeanArgument.PositiveInfinity => float.PositiveInfinity,
            MeanArgument.NegativeInfinity => float.NegativeInfinity,
            MeanArgument.OneAndAQuarterSigmaOff => (float)(mean + 1.25 * sigma),
            MeanArgument.OneAndAQuarterSpreadsOff => (float)(mean + 1.25 * spread),
            MeanArgument.AtTheBound => (float)(mean + 1.7 * sigma),
            MeanArgument.ThreeSigmaOff => (float)(mean - 3 * sigma),
            MeanArgument.RoundedToBFloat16 => RoundToBFloat16(saved),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static float RoundToBFloat16(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        bits += 0x7FFF + ((bits >> 16) & 1);   // round to nearest even on the upper 16 bits
        return BitConverter.Int32BitsToSingle(bits & unchecked((int)0xFFFF0000));
    }

    /// <summary>Whether the guards accept <paramref name="pivot"/> for a row, decided in double with a 10 % margin
    /// (null near a bound): the correction c = Σ(x − p) / N within √3 / rstd (<see cref="StatisticsGuards.PivotHolds"/>)
    /// and within √3 of the row's spread about p, Σ(x − p)² / N − c² (<see cref="StatisticsGuards.OnePassHolds"/>).
    /// NaN and ∞ give false, as every comparison with them fails.</summary>
    internal static bool? Expected(ReadOnlySpan<float> row, float pivot, float rstd)
    {
        double sum = 0, squares = 0;
        foreach (float v in row)
        {
            double d = v - (double)pivot;
            sum += d;
            squares += d * d;
        }
        double correction = sum / row.Length;
        double distance = correction * rstd;
        double byRstd = distance * distance / StatisticsGuards.MaxPivotDistanceSquared;
        double spread = squares / row.Length - correction * correction;
        if (Underflows(correction))
            return null;   // c² underflows in float: the kernel's guard sees 0 ≤ 3 · spread (harmless either way)
        double bySpread = correction == 0 ? 0 : correction * correction / (StatisticsGuards.MaxPivotDistanceSquared * spread);
        if (double.IsNaN(byRstd) || double.IsNaN(bySpread) || byRstd >= 1.1 || bySpread >= 1.1 || spread < 0)
            return false;
        return byRstd <= 0.9 && bySpread <= 0.9 ? true : null;
    }

    /// <summary>Whether c² is 0 in float although c is not (|c| below about 2.6e-23): the guards then accept, as they
    /// should, a pivot that close.</summary>
    internal static bool Underflows(double correction) => correction != 0 && (float)correction * (float)correction == 0;

    /// <summary>The branch each named case must take; null where it depends on the row.</summary>
    private static bool? Named(MeanArgument kind) => kind switch
    {
        MeanArgument.Saved or MeanArgument.OneAndAQuarterSpreadsOff => true,
        MeanArgument.Zero or MeanArgument.RoundedToBFloat16 or MeanArgument.AtTheBound or MeanArgument.OneAndAQuarterSigmaOff => null,
        _ => false,
    };

    /// <summary>Whether the float argument is within 0.1 σ of the displacement the case names: m − 3 σ with σ = 3e-3
    /// (epsilon's) rounds back to m where the values are 1e6, and such a row cannot express the case.</summary>
    private static bool Representable(MeanArgument kind, float argument, double mean, double spread, float rstd)
    {
        double sigmas = kind switch
        {
            MeanArgument.OneAndAQuarterSigmaOff => 1.25,
            MeanArgument.OneAndAQuarterSpreadsOff => 1.25 * spread * rstd,
            MeanArgument.AtTheBound => 1.7,
            MeanArgument.ThreeSigmaOff => -3,
            MeanArgument.FarAbove => 1e3,
            MeanArgument.FarBelow => -1e3,
            _ => double.NaN,
        };
        return double.IsNaN(sigmas) || Math.Abs((argument - mean) * rstd - sigmas) <= 0.1 * Math.Max(1, Math.Abs(sigmas));
    }

    /// <summary>The reference's true means (double) and saved statistics for rows of one kind.</summary>
    private static (float[] X, double[] TrueMean, double[] Spread, float[] Mean, float[] Rstd) Rows(RowKind kind, int rows, int hiddenSize, int seed)
    {
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed);
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNormReference.ForwardNoAffine(x, new float[x.Length], mean, rstd, hiddenSize);
        var trueMean = new double[rows];
        var spread = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double[] row = x.AsSpan(r * hiddenSize, hiddenSize).ToArray().Select(v => (double)v).ToArray();
            trueMean[r] = row.Average();
            spread[r] = Math.Sqrt(row.Average(v => (v - trueMean[r]) * (v - trueMean[r])));
        }
        return (x, trueMean, spread, mean, rstd);
    }

    [Fact]
    public void CasesTakeTheBranchTheirNamesSay()
    {
        foreach (int n in TestData.HiddenSizes)
        {
            foreach (RowKind kind in Kinds)
            {
                const int rows = 3;
                var (x, trueMean, spread, saved, rstd) = Rows(kind, rows, n, seed: n * 7 + (int)kind);
                foreach (MeanArgument argument in Enum.GetValues<MeanArgument>())
                {
                    if (Named(argument) is not bool expected) continue;
                    for (int r = 0; r < rows; r++)
                    {
                        float pivot = Argument(argument, trueMean[r], spread[r], saved[r], rstd[r]);
                        if (!Representable(argument, pivot, trueMean[r], spread[r], rstd[r]))
                            continue;
                        ReadOnlySpan<float> row = x.AsSpan(r * n, n);
                        double sum = 0;
                        foreach (float v in row)
                            sum += v - (double)pivot;
                        if (Underflows(sum / n))
                            continue;
                        bool? actual = Expected(row, pivot, rstd[r]);
                        Assert.True(actual == expected, $"{argument} on {kind}, N = {n}, row {r}: the guard in double says {actual?.ToString() ?? "near the bound"}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The generic path's backward pivot of each row, from the kernel itself: the saved mean where the guard accepts
    /// it (the same bits), a centre from x where it rejects it. The results alone do not show the branch wherever both
    /// are accurate.
    /// </summary>
    [Fact]
    public void GenericKernel_KeepsTheSavedMeanExactlyWhereTheGuardAccepts()
    {
        foreach (int n in TestData.HiddenSizes)
        {
            foreach (RowKind kind in Kinds)
            {
                const int rows = 3;
                var (x, trueMean, spread, saved, rstd) = Rows(kind, rows, n, seed: n * 7 + (int)kind);
                float[] dy = TestRows.Uniform(n, -1, 1, seed: 3), gamma = TestRows.Uniform(n, -2, 2, seed: 4);
                foreach (MeanArgument argument in Enum.GetValues<MeanArgument>())
                {
                    for (int r = 0; r < rows; r++)
                    {
                        float[] row = x.AsSpan(r * n, n).ToArray();
                        float given = Argument(argument, trueMean[r], spread[r], saved[r], rstd[r]);
                        // The branch from the guard's inputs in double, for the argument as it is (rounded to float).
                        bool? expected = Expected(row, given, rstd[r]);
                        if (expected is not bool accepted) continue;
                        float pivot = GenericPivot(dy, row, gamma, given, rstd[r]);
                        bool kept = BitConverter.SingleToInt32Bits(pivot) == BitConverter.SingleToInt32Bits(given);
                        Assert.True(kept == accepted, $"{argument} on {kind}, N = {n}, row {r}: pivot {pivot:R}, mean given {given:R}");
                        if (!accepted)
                            Assert.True(float.IsFinite(pivot), $"{argument} on {kind}, N = {n}, row {r}: the centre from x is {pivot:R}");
                    }
                }
            }
        }
    }

    /// <summary>The generic kernel's backward pivot for one row on the width the generic path picks for its size.</summary>
    private static float GenericPivot(float[] dy, float[] row, float[] gamma, float mean, float rstd)
    {
        int n = row.Length;
        ref float d = ref dy[0];
        ref float x = ref row[0];
        ref float g = ref gamma[0];
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            return LayerNormRowKernels.GradientPivot<Simd512, Vector512<float>, ScaleAndShift, float, float>(ref d, ref x, ref g, n, mean, rstd).Pivot;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            return LayerNormRowKernels.GradientPivot<Simd256, Vector256<float>, ScaleAndShift, float, float>(ref d, ref x, ref g, n, mean, rstd).Pivot;
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            return LayerNormRowKernels.GradientPivot<Simd128, Vector128<float>, ScaleAndShift, float, float>(ref d, ref x, ref g, n, mean, rstd).Pivot;
        return LayerNormRowKernels.GradientPivot<Scalar, float, ScaleAndShift, float, float>(ref d, ref x, ref g, n, mean, rstd).Pivot;
    }

    [Theory]
    [MemberData(nameof(EngineVariantSize))]
    public void WrongMeans_StillGiveTheReferenceGradients(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 3;
        foreach (RowKind kind in Kinds)
        {
            var (x, trueMean, spread, saved, rstd) = Rows(kind, rows, hiddenSize, seed: hiddenSize * 11 + (int)kind);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 5), dy = TestRows.Uniform(x.Length, -1, 1, seed: 6);
            // The reference never reads the mean: its gradients are the truth for every argument.
            var (dxRef, dgammaRef, dbetaRef) = FamilyData.RunBackward(FamilyEngines.Reference, v, dy, x, gamma, saved, rstd, hiddenSize);
            foreach (MeanArgument argument in Enum.GetValues<MeanArgument>())
            {
                var mean = new float[rows];
                for (int r = 0; r < rows; r++)
                    mean[r] = Argument(argument, trueMean[r], spread[r], saved[r], rstd[r]);
                var (dx, dgamma, dbeta) = FamilyData.RunBackward(engine, v, dy, x, gamma, mean, rstd, hiddenSize);
                string what = $"{argument} on {kind}, N = {hiddenSize}";
                NumericAssert.Close(dxRef, dx, "dx, " + what);
                NumericAssert.Close(dgammaRef, dgamma, "dgamma, " + what);
                NumericAssert.Close(dbetaRef, dbeta, "dbeta, " + what);
            }
        }
    }
}
