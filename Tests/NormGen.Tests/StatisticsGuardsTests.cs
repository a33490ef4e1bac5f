using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The two guards on their own: where they accept and reject, at the boundary offset² = 3 · variance (and
/// (correction · rstd)² = 3), on zero variance and constant rows, and on NaN and ∞, which must always reject so that
/// such rows take the defined fallback.
/// </summary>
public class StatisticsGuardsTests
{
    [Fact]
    public void BoundIsThree()
    {
        Assert.Equal(3f, StatisticsGuards.MaxPivotDistanceSquared);
    }

    [Theory]
    // offset² = 3 · variance exactly (1² = 3 · (1/3) is not exact in float; these are)
    [InlineData(3f, 3f, true)]               // 9 ≤ 9
    [InlineData(-3f, 3f, true)]
    [InlineData(0.75f, 0.1875f, true)]       // 0.5625 ≤ 0.5625
    // one ulp either side of the boundary
    [InlineData(3f, 2.9999998f, false)]
    [InlineData(3.0000002f, 3f, false)]
    [InlineData(2.9999998f, 3f, true)]
    // well inside and well outside
    [InlineData(0f, 1f, true)]
    [InlineData(1f, 1f, true)]
    [InlineData(1.7f, 1f, true)]             // 2.89 ≤ 3
    [InlineData(1.8f, 1f, false)]            // 3.24 > 3
    [InlineData(1e3f, 0.33f, false)]         // a far pivot: offset 1e3 from a row in [-1, 1)
    [InlineData(-1e3f, 0.33f, false)]
    public void OnePassHolds_AcceptsExactlyUpToTheBound(float offset, float variance, bool expected)
    {
        Assert.Equal(expected, StatisticsGuards.OnePassHolds(0f, offset, variance));
        // What the guard computes, in double: it decides as the exact comparison does wherever the float products are exact.
        Assert.Equal((double)offset * offset <= 3.0 * variance, expected);
    }

    [Fact]
    public void OnePassHolds_ConstantRowsAndZeroVariance()
    {
        // A constant row: every d = x − x[0] is 0, so offset = 0 and variance = 0: accepted, and then xhat = 0 exactly.
        Assert.True(StatisticsGuards.OnePassHolds(0f, 0f, 0f));
        Assert.True(StatisticsGuards.OnePassHolds(0f, -0f, 0f));
        Assert.True(StatisticsGuards.OnePassHolds(0f, 0f, -0f));
        // Zero variance with a non-zero offset only comes from cancellation: rejected.
        Assert.False(StatisticsGuards.OnePassHolds(0f, 1e-20f, 0f));     // offset² = 1e-40, a subnormal, > 0
        // ... unless offset² underflows to 0, where the pivot is within 1e-23 of the mean: accepted, harmlessly.
        Assert.True(StatisticsGuards.OnePassHolds(0f, float.Epsilon, 0f));
        // A negative variance (Σd²/N < offset² after rounding) is rejected for any offset, so the one-pass form never
        // returns one: the guard's bound is also the proof that no clamp is needed.
        Assert.False(StatisticsGuards.OnePassHolds(0f, 0f, -1e-30f));
        Assert.False(StatisticsGuards.OnePassHolds(0f, 1f, -1f));
        // Underflow in offset²: accepted, correctly (the pivot is within far less than a standard deviation).
        Assert.True(StatisticsGuards.OnePassHolds(0f, 1e-30f, 1e-30f));
    }

    [Theory]
    [InlineData(float.NaN, 1f)]
    [InlineData(0f, float.NaN)]
    [InlineData(float.NaN, float.NaN)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(float.NegativeInfinity, 1f)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]   // ∞ ≤ ∞ would be true: offset² is ∞, 3 · ∞ is ∞
    [InlineData(1f, float.NegativeInfinity)]
    [InlineData(2e19f, 1f)]                                          // offset² overflows to ∞
    public void OnePassHolds_RejectsNaNAndInfinity(float offset, float variance)
    {
        if (float.IsPositiveInfinity(offset * offset) && float.IsPositiveInfinity(3f * variance))
        {
            // The one case that compares ∞ ≤ ∞: it is accepted, which is harmless: a row whose Σd² overflowed has
            // rstd = 1 / sqrt(∞) = 0 on either branch. Recorded here so that the behaviour is a decision, not an accident.
            Assert.True(StatisticsGuards.OnePassHolds(0f, offset, variance));
            return;
        }
        Assert.False(StatisticsGuards.OnePassHolds(0f, offset, variance));
    }

    [Fact]
    public void OnePassHolds_AFiniteOffsetWithOverflowedSquaresIsAccepted()
    {
        // Σd² overflowed (values near float.MaxValue): variance = ∞ − offset² = ∞. Accepted; rstd is 0 either way
        // (the two-pass form's Σe² overflows the same), so the branch does not change the result.
        Assert.True(StatisticsGuards.OnePassHolds(0f, 0f, float.PositiveInfinity));
        Assert.True(StatisticsGuards.OnePassHolds(0f, 1e10f, float.PositiveInfinity));
    }

    [Theory]
    // |offset| ≤ 8 · (1 + |mean|), mean = pivot + offset: the sums' rounding grows with |offset|, the contract with |mean|.
    [InlineData(-8f, 8f, 100f, true)]            // mean 0: |offset| = 8 ≤ 8 · 1
    [InlineData(-8.000001f, 8.000001f, 100f, false)]
    [InlineData(-100f, 100f, 1e4f, false)]       // mean 0, offset 100: rejected whatever the variance
    [InlineData(-100f, 120f, 1e4f, true)]        // mean 20: 100 ≤ 168
    [InlineData(1e4f, -100f, 1e4f, true)]        // mean 9900, far above the offset
    public void OnePassHolds_BoundsTheOffsetByTheMean(float pivot, float offset, float variance, bool expected)
    {
        Assert.True(offset * offset <= 3f * variance);   // the variance clause accepts: the mean clause decides
        Assert.Equal(expected, StatisticsGuards.OnePassHolds(pivot, offset, variance));
    }

    [Theory]
    [InlineData(0f, 1f, true)]
    [InlineData(1f, 1f, true)]
    [InlineData(-1f, 1.7f, true)]               // 2.89 ≤ 3
    [InlineData(1f, 1.8f, false)]               // 3.24 > 3
    [InlineData(1.7320508f, 1f, true)]          // √3 rounded down: 2.9999998 ≤ 3
    [InlineData(1.7320509f, 1f, false)]         // the next float up: 3.0000002 > 3
    [InlineData(1e-3f, 316.22775f, true)]       // a mean rounded by 1e-3 on a row of σ 3e-3
    [InlineData(1e3f, 1f, false)]               // a mean 1e3 standard deviations away
    [InlineData(0f, 0f, true)]
    [InlineData(0f, 1e30f, true)]               // 0 · anything finite is 0
    public void PivotHolds_AcceptsExactlyUpToTheBound(float correction, float rstd, bool expected)
    {
        Assert.Equal(expected, StatisticsGuards.PivotHolds(correction, rstd, float.MaxValue));
    }

    [Theory]
    [InlineData(float.NaN, 1f)]
    [InlineData(1f, float.NaN)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(float.NegativeInfinity, 1f)]
    [InlineData(1f, float.PositiveInfinity)]
    [InlineData(0f, float.PositiveInfinity)]    // 0 · ∞ is NaN
    [InlineData(float.PositiveInfinity, 0f)]    // ∞ · 0 is NaN
    [InlineData(1e20f, 1e20f)]                  // the product overflows to ∞
    [InlineData(2e19f, 1f)]                     // its square overflows to ∞
    public void PivotHolds_RejectsNaNAndInfinity(float correction, float rstd)
    {
        Assert.False(StatisticsGuards.PivotHolds(correction, rstd, float.MaxValue));
    }

    [Theory]
    // correction² ≤ 3 · spread: the row's own spread bounds the distance where epsilon dominates rstd.
    [InlineData(1f, 1f, 1f / 3f, true)]          // 1 ≤ 3 · 0.33333334
    [InlineData(1f, 1f, 0.3333333f, false)]      // one ulp below
    [InlineData(1e-3f, 316f, 1e-40f, false)]     // 1.25 / rstd off a row of spread 1e-20: rstd accepts, spread rejects
    [InlineData(1e-3f, 316f, 1e-5f, true)]
    [InlineData(0f, 1f, 0f, true)]               // a constant row about its own mean
    [InlineData(1e-3f, 1f, -1e-7f, false)]       // a negative spread (cancellation) always rejects a non-zero distance
    [InlineData(1f, 1f, float.NaN, false)]
    public void PivotHolds_BoundsTheDistanceByTheRowsOwnSpread(float correction, float rstd, float spread, bool expected)
    {
        Assert.True(correction * rstd * correction * rstd <= 3f);   // the rstd clause accepts: the spread clause decides
        Assert.Equal(expected, StatisticsGuards.PivotHolds(correction, rstd, spread));
    }

    [Fact]
    public void PivotHolds_IsSymmetricInTheSignOfTheDistance()
    {
        var random = new Random(5);
        for (int i = 0; i < 1000; i++)
        {
            float correction = (float)(random.NextDouble() * 4 - 2), rstd = (float)(random.NextDouble() * 2);
            Assert.Equal(StatisticsGuards.PivotHolds(correction, rstd, float.MaxValue), StatisticsGuards.PivotHolds(-correction, rstd, float.MaxValue));
            float offset = (float)(random.NextDouble() * 4 - 2), variance = (float)(random.NextDouble() * 2);
            Assert.Equal(StatisticsGuards.OnePassHolds(0f, offset, variance), StatisticsGuards.OnePassHolds(0f, -offset, variance));
        }
    }
}
