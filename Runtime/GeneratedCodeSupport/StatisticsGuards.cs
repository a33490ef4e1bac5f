using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// The two guards that let LayerNorm take fewer passes over a row, shared by the generic path and the generated
/// kernels: forward statistics in one pass, and the saved mean as the backward pass's pivot. Each guard accepts only
/// where the short form keeps the 1e-5 contract, and rejects NaN and ∞ (every comparison with NaN is false), so such
/// rows take the defined fallback.
/// </summary>
/// <remarks>Public only so that generated code can call it; not meant for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StatisticsGuards
{
    /// <summary>
    /// c in both guards: the pivot may be at most √c = 1.73 standard deviations from the row's mean. For rows of
    /// independent values and the pivot x[0], that rejects about 8 % of Gaussian rows and 0 % of uniform ones (|z| ≤ √3).
    /// </summary>
    public const float MaxPivotDistanceSquared = 3f;

    /// <summary>
    /// How far the pivot may be from the mean, in units of 1 + |mean|, for the one-pass mean to keep the 1e-5 contract.
    /// </summary>
    public const float MaxPivotDistanceOverMean = 8f;

    /// <summary>
    /// Whether the one-pass statistics of a row hold: with d = x − pivot, offset = Σd / N and
    /// variance = Σd² / N − offset², accept when offset² ≤ c · variance and |offset| ≤ 8 (1 + |pivot + offset|).
    /// </summary>
    /// <remarks>
    /// <para><b>The variance.</b> Let γ be the relative rounding error of the float sums Σd² and Σ|d| (their chains are
    /// at most N / (4 W) + 2 terms deep). Σd² / N = variance + offset² ≤ (1 + c) · variance under the first condition,
    /// so its error is at most (1 + c) γ · variance; offset's error is at most γ Σ|d| / N ≤ γ √((1 + c) · variance)
    /// (Cauchy–Schwarz), which moves offset² by at most 2 γ √(c (1 + c)) · variance. The variance is therefore within
    /// (1 + c + 2 √(c (1 + c))) γ ≈ 11 γ of the truth for c = 3, and rstd within half that. The corrected two-pass form,
    /// which the fallback runs, has about γ. On the vector paths, for N up to 8191, a chain is at most 514 terms, and its
    /// typical γ is √514 · 2⁻²⁴ ≈ 1.4e-6, so rstd's error stays near 7e-6, within the contract.</para>
    /// <para><b>The mean.</b> The terms of Σd all lean the same way by offset, so each chain's partial sums grow like
    /// j · offset and the rounding of the mean, pivot + Σd / N, is about 2⁻²⁴ |offset| √(N / (4 W)) / (3 √(4 W)): up to
    /// 1.1e-7 |offset| on the vector paths for N ≤ 8191. The contract allows 1e-5 (1 + |mean|); the second condition
    /// keeps the error within a tenth of that. It is what rejects rows spread far wider than their mean (values from 1e-3
    /// to 1e3 of either sign: a pivot of 300 within √3 σ of a mean of −1.3 rounded the mean by 2.6e-5). The corrected
    /// two-pass form sums e = x − centre, which do not lean, so its error grows with σ / √N instead.</para>
    /// <para>Without the guard a pivot far from the mean (a first element 1e3 away from a row in [-1, 1)) loses every
    /// digit: Σd² / N and offset² are then both about 1e6 and their difference is the variance, about 0.3.</para>
    /// <para>The first condition also proves variance ≥ 0 (offset² ≥ 0), so the one-pass form needs no clamp. The tests
    /// measure both on the adversarial rows.</para>
    /// </remarks>
    /// <param name="pivot">The row's first element.</param>
    /// <param name="offset">Σ(x − pivot) / N.</param>
    /// <param name="variance">Σ(x − pivot)² / N − offset².</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool OnePassHolds(float pivot, float offset, float variance) =>
        offset * offset <= MaxPivotDistanceSquared * variance
        && MathF.Abs(offset) <= MaxPivotDistanceOverMean * (1f + MathF.Abs(pivot + offset));

    /// <summary>
    /// Whether the saved mean may be the backward pass's pivot p: with correction = Σ(x − p) / N, the distance of p from
    /// the row's mean, and spread = Σ(x − p)² / N − correction², the row's variance as the same pass sees it, accept when
    /// (correction · rstd)² ≤ c and correction² ≤ c · spread.
    /// </summary>
    /// <remarks>
    /// <para>The backward pass forms Σg · xhat as rstd · (Σg (x − p) − correction · Σg). The float sum Σg (x − p) has an
    /// error of about γ Σ|g| |x − p|, and |x − p| ≤ |x − mean| + |correction|: the part from the correction adds at most
    /// γ · rstd · |correction| · Σ|g| ≤ √c γ Σ|g| to Σg · xhat under the first condition. In dx that error is multiplied
    /// by |xhat| / N and by rstd, which keeps it within about √c γ of rstd · |g|, the scale of dx itself: the centred
    /// form's error, to a factor of 1 + √c.</para>
    /// <para>Why the second: rstd = 1 / sqrt(var + eps) measures the distance in units of sqrt(var + eps), far more than
    /// the row's spread where var ≪ eps. There a mean √3 · sqrt(eps) from a row of spread 1e-20 passes the first
    /// condition, but x − p then keeps nothing of x, and Σ(x − p) adds N nearly equal terms whose rounding does not
    /// average out: measured dgamma errors of 3.6e-5 (N = 8191, Vector128 and scalar) on rows of 1e-20 with a mean
    /// 1.25 · sqrt(eps) off, and dx errors of 1.6e-5 on 1e4-offset rows (var ≈ eps) with a mean 1.7 / rstd off, 2.5 of
    /// the row's own standard deviations. The second condition bounds the distance by the row's own spread, as
    /// <see cref="OnePassHolds"/> does for the forward (without its mean clause: the backward outputs scale with rstd,
    /// not with the mean).</para>
    /// <para>A mean saved by the forward pass is off by its rounding only, far inside both; a mean far from the row's
    /// (another caller's, a wrong row's, NaN) is rejected, and the row is centred from x alone.</para>
    /// </remarks>
    /// <param name="correction">Σ(x − p) / N for the pivot p.</param>
    /// <param name="rstd">The row's saved 1 / sqrt(var + eps).</param>
    /// <param name="spread">Σ(x − p)² / N − correction².</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PivotHolds(float correction, float rstd, float spread)
    {
        float distance = correction * rstd;
        return distance * distance <= MaxPivotDistanceSquared
            && correction * correction <= MaxPivotDistanceSquared * spread;
    }
}
