using System;
using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// The generic path's per-row kernels, written once over <see cref="ISimd{TVector}"/>.
/// Every row's mean is kept as (centre, offset) with mean = centre + offset, so values that are large and close, or a
/// first element far from the rest, lose no digits. Forward takes the statistics in one pass about the row's first
/// element (the pivot) where <see cref="StatisticsGuards.OnePassHolds"/> accepts, and in the corrected two-pass form
/// otherwise; backward takes its sums about the saved mean where <see cref="StatisticsGuards.PivotHolds"/> accepts,
/// and about a centre found from x otherwise.
/// </summary>
/// <remarks>
/// Every row output (y, sum, dx) is computed by vector arithmetic only: the elements a whole vector does not reach are
/// computed by the vector at N − width, which overlaps the one before it (and, in the reductions into dgamma and dbeta,
/// adds only its lanes that no other vector covered). So each element's value depends on its inputs alone, never on
/// which partition of the row computed it, and the non-temporal forms, whose partition is shifted to the output row's
/// alignment, write the same bits as the ordinary ones.
/// </remarks>
internal static class LayerNormRowKernels
{
    /// <summary>
    /// How many rows ahead the non-temporal forms prefetch their inputs, one prefetch per vector of the last pass (x, and
    /// residual in the fused form; x and dy backward). Those forms run on calls too large for the cache, so the inputs
    /// stream from memory. Measured against no prefetch (Stopwatch A/B in one process, medians, 3 runs, Vector512):
    /// 2 rows gave forward 0.68–0.97 and backward 0.59–0.90 of the time at 4096×768, 32768×768 and 1024×4096; 1 row
    /// 0.72–1.09 and 0.69–0.90.
    /// </summary>
    private const nuint PrefetchRows = 2;

    /// <summary>
    /// Σ (v_i − pivot) over the row <typeparamref name="TInput"/> reads (x, or x + residual, stored to sum in the
    /// fused form), with four independent accumulators and a scalar tail: the rough centre of the two-pass form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumOfDeviations<TSimd, TVector, TInput, T>(ref T x, ref T residual, ref T sum, nuint n, float pivot)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(pivot);
        TVector a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        nuint i = 0;
        for (; i + 4 * width <= n; i += 4 * width)
        {
            TVector v0 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i);
            TVector v1 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + width);
            TVector v2 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + 2 * width);
            TVector v3 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + 3 * width);
            TInput.Keep<TSimd, TVector, T>(v0, ref sum, i);
            TInput.Keep<TSimd, TVector, T>(v1, ref sum, i + width);
            TInput.Keep<TSimd, TVector, T>(v2, ref sum, i + 2 * width);
            TInput.Keep<TSimd, TVector, T>(v3, ref sum, i + 3 * width);
            a0 = TSimd.Add(a0, TSimd.Subtract(v0, p));
            a1 = TSimd.Add(a1, TSimd.Subtract(v1, p));
            a2 = TSimd.Add(a2, TSimd.Subtract(v2, p));
            a3 = TSimd.Add(a3, TSimd.Subtract(v3, p));
        }
        for (; i + width <= n; i += width)
        {
            TVector v = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i);
            TInput.Keep<TSimd, TVector, T>(v, ref sum, i);
            a0 = TSimd.Add(a0, TSimd.Subtract(v, p));
        }

        float total = TSimd.Sum(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)));
        for (; i < n; i++)
        {
            float v = TInput.Peek(ref x, ref residual, i);
            TInput.Keep(v, ref sum, i);
            total += v - pivot;
        }
        return total;
    }

    /// <summary>
    /// Σ d and Σ d² for d_i = v_i − pivot in one pass over the row <typeparamref name="TInput"/> reads (stored to sum in
    /// the fused form), four independent accumulators each and a scalar tail. Σ d is added exactly as
    /// <see cref="SumOfDeviations{TSimd, TVector, TInput, T}"/> adds it, so the two-pass fallback starts from the same
    /// rough centre, bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Sum, float SumOfSquares) SumsOfDeviations<TSimd, TVector, TInput, T>(
        ref T x, ref T residual, ref T sum, nuint n, float pivot)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(pivot);
        TVector a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        TVector q0 = TSimd.Zero, q1 = TSimd.Zero, q2 = TSimd.Zero, q3 = TSimd.Zero;
        nuint i = 0;
        for (; i + 4 * width <= n; i += 4 * width)
        {
            TVector v0 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i);
            TVector v1 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + width);
            TVector v2 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + 2 * width);
            TVector v3 = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i + 3 * width);
            TInput.Keep<TSimd, TVector, T>(v0, ref sum, i);
            TInput.Keep<TSimd, TVector, T>(v1, ref sum, i + width);
            TInput.Keep<TSimd, TVector, T>(v2, ref sum, i + 2 * width);
            TInput.Keep<TSimd, TVector, T>(v3, ref sum, i + 3 * width);
            TVector d0 = TSimd.Subtract(v0, p), d1 = TSimd.Subtract(v1, p);
            TVector d2 = TSimd.Subtract(v2, p), d3 = TSimd.Subtract(v3, p);
            a0 = TSimd.Add(a0, d0);
            a1 = TSimd.Add(a1, d1);
            a2 = TSimd.Add(a2, d2);
            a3 = TSimd.Add(a3, d3);
            q0 = TSimd.MultiplyAdd(d0, d0, q0);
            q1 = TSimd.MultiplyAdd(d1, d1, q1);
            q2 = TSimd.MultiplyAdd(d2, d2, q2);
            q3 = TSimd.MultiplyAdd(d3, d3, q3);
        }
        for (; i + width <= n; i += width)
        {
            TVector v = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i);
            TInput.Keep<TSimd, TVector, T>(v, ref sum, i);
            TVector d = TSimd.Subtract(v, p);
            a0 = TSimd.Add(a0, d);
            q0 = TSimd.MultiplyAdd(d, d, q0);
        }

        float total = TSimd.Sum(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)));
        float squares = TSimd.Sum(TSimd.Add(TSimd.Add(q0, q1), TSimd.Add(q2, q3)));
        for (; i < n; i++)
        {
            float v = TInput.Peek(ref x, ref residual, i);
            TInput.Keep(v, ref sum, i);
            float d = v - pivot;
            total += d;
            squares += d * d;
        }
        return (total, squares);
    }

    /// <summary>
    /// Σ e and Σ e² for e_i = v_i − centre over the row as <typeparamref name="TInput"/>'s later passes read it, with
    /// four independent accumulators and a scalar tail. Σ e / N is the correction of the corrected two-pass algorithm:
    /// the rough centre of the first pass is off when its float sum drifted (a pivot far from the mean), and Σ e
    /// recovers what it lost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Sum, float SumOfSquares) SumsOfCenteredDeviations<TSimd, TVector, TInput, T>(
        ref T x, ref T residual, ref T sum, nuint n, float centre)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector c = TSimd.Broadcast(centre);
        TVector s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        TVector q0 = TSimd.Zero, q1 = TSimd.Zero, q2 = TSimd.Zero, q3 = TSimd.Zero;
        nuint i = 0;
        for (; i + 4 * width <= n; i += 4 * width)
        {
            TVector e0 = TSimd.Subtract(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i), c);
            TVector e1 = TSimd.Subtract(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i + width), c);
            TVector e2 = TSimd.Subtract(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i + 2 * width), c);
            TVector e3 = TSimd.Subtract(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i + 3 * width), c);
            s0 = TSimd.Add(s0, e0);
            s1 = TSimd.Add(s1, e1);
            s2 = TSimd.Add(s2, e2);
            s3 = TSimd.Add(s3, e3);
            q0 = TSimd.MultiplyAdd(e0, e0, q0);
            q1 = TSimd.MultiplyAdd(e1, e1, q1);
            q2 = TSimd.MultiplyAdd(e2, e2, q2);
            q3 = TSimd.MultiplyAdd(e3, e3, q3);
        }
        for (; i + width <= n; i += width)
        {
            TVector e = TSimd.Subtract(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i), c);
            s0 = TSimd.Add(s0, e);
            q0 = TSimd.MultiplyAdd(e, e, q0);
        }

        float total = TSimd.Sum(TSimd.Add(TSimd.Add(s0, s1), TSimd.Add(s2, s3)));
        float squares = TSimd.Sum(TSimd.Add(TSimd.Add(q0, q1), TSimd.Add(q2, q3)));
        for (; i < n; i++)
        {
            float e = TInput.Again(ref x, ref residual, ref sum, i) - centre;
            total += e;
            squares += e * e;
        }
        return (total, squares);
    }

    /// <summary>
    /// The row's centre and variance, as (centre, offset) with mean = centre + offset, of the row
    /// <typeparamref name="TInput"/> reads: x, or sum = x + residual with the add fused into the first pass (which
    /// stores the sum unless <typeparamref name="TInput"/> stores it apart); the result is then exactly what the plain
    /// form returns for the stored sum.
    /// </summary>
    /// <remarks>
    /// On the vector paths one pass takes Σd and Σd² about the pivot x[0] and keeps them where
    /// <see cref="StatisticsGuards.OnePassHolds"/> bounds their cancellation; otherwise (a pivot far from the mean, NaN,
    /// ∞) the corrected two-pass form runs from the rough centre pivot + Σd / N, giving exactly the two-pass form's
    /// bits. The scalar path always takes the two-pass form: its single chains are 4 × width times deeper, and the
    /// one-pass bound's factor of about 11 on their rounding would leave too little of the 1e-5 contract.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Centre, float Offset, float Variance) Statistics<TSimd, TVector, TInput, T>(
        ref T x, ref T residual, ref T sum, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        nuint n = (nuint)hiddenSize;
        // Scalar math: pivot = x[0]; d = x − pivot (x is sum = x + residual in the fused form)
        float pivot = TInput.Peek(ref x, ref residual, 0);
        float offset;
        if (TSimd.Count > 1)
        {
            // Scalar math: offset = Σd / N; var = Σd² / N − offset², kept where offset² ≤ 3 · var
            var (deviations, squares) = SumsOfDeviations<TSimd, TVector, TInput, T>(ref x, ref residual, ref sum, n, pivot);
            offset = deviations / hiddenSize;
            float variance = squares / hiddenSize - offset * offset;
            if (StatisticsGuards.OnePassHolds(pivot, offset, variance))
                return (pivot, offset, variance);
        }
        else
        {
            offset = SumOfDeviations<TSimd, TVector, TInput, T>(ref x, ref residual, ref sum, n, pivot) / hiddenSize;
        }
        return CenteredStatistics<TSimd, TVector, TInput, T>(ref x, ref residual, ref sum, hiddenSize, pivot + offset);
    }

    /// <summary>
    /// The corrected second pass from the rough centre: e = x − centre, correction = Σe / N, var = Σe² / N − correction².
    /// Deviations from the rough centre are small wherever the values are, so this pass is accurate even when the pivot
    /// was far from the mean; (centre, correction) is then the row's mean to float precision.
    /// </summary>
    /// <remarks>Inlined although most rows do not run it: as a call it measured 1.3× the time of the whole forward at
    /// 64×768 and 512×64 (Vector512, Stopwatch A/B), the row loop around it compiled worse.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Centre, float Offset, float Variance) CenteredStatistics<TSimd, TVector, TInput, T>(
        ref T x, ref T residual, ref T sum, int hiddenSize, float centre)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        // Scalar math: e = x − centre; c = Σe / N; var = max(Σe² / N − c², 0)
        var (deviations, squares) = SumsOfCenteredDeviations<TSimd, TVector, TInput, T>(ref x, ref residual, ref sum, (nuint)hiddenSize, centre);
        float correction = deviations / hiddenSize;
        float variance = MathF.Max(squares / hiddenSize - correction * correction, 0f);
        return (centre, correction, variance);
    }

    /// <summary>
    /// y_i = (x_i − centre − offset) · rstd · gamma_i + beta_i, without beta or gamma as <typeparamref name="TAffine"/>
    /// says, x as <typeparamref name="TInput"/>'s later passes read it. With <see cref="CachedStores"/> it reads the last
    /// vector before writing anything, so y may be x; with <see cref="StreamingStores"/> y is written as whole vectors at
    /// its own aligned partition, non-temporally, and y must not be an input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normalize<TSimd, TVector, TAffine, TInput, TStores, T, TParam>(
        ref T x, ref T residual, ref T sum, ref TParam gamma, ref TParam beta, ref T y,
        nuint n, float centre, float offset, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
        where TInput : struct, IRowInput where TStores : struct, IRowStores
    {
        nuint width = (nuint)TSimd.Count;
        nuint last = n - width;
        TVector p = TSimd.Broadcast(centre), o = TSimd.Broadcast(offset), r = TSimd.Broadcast(rstd);
        if (TStores.NonTemporal)
        {
            nuint start = NonTemporalStores.Misalignment(ref y, TSimd.Count);
            nuint at = start;
            nuint ahead = PrefetchRows * n;
            for (; at + width <= n; at += width)
            {
                TInput.Prefetch(ref x, ref residual, ahead + at);
                TVector v = TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, at);
                TSimd.StoreNonTemporal(Output<TSimd, TVector, TAffine, TParam>(v, ref gamma, ref beta, at, p, o, r), ref y, at);
            }
            // The lanes before the partition from the vector at 0, those after it from the vector at N − width.
            TVector first = TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, 0);
            TSimd.StoreLanes(Output<TSimd, TVector, TAffine, TParam>(first, ref gamma, ref beta, 0, p, o, r), ref y, 0, start);
            TVector end = TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, last);
            TSimd.StoreLanes(Output<TSimd, TVector, TAffine, TParam>(end, ref gamma, ref beta, last, p, o, r),
                ref Unsafe.Add(ref y, last), at - last, width);
            return;
        }

        // Read before any store: y may be x, and the last vector overlaps elements the loop writes.
        TVector lastInput = TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, last);
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            TVector v = TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i);
            TSimd.Store(Output<TSimd, TVector, TAffine, TParam>(v, ref gamma, ref beta, i, p, o, r), ref y, i);
        }
        if (i < n)
            TSimd.Store(Output<TSimd, TVector, TAffine, TParam>(lastInput, ref gamma, ref beta, last, p, o, r), ref y, last);
    }

    /// <summary>One vector of y from the input vector <paramref name="v"/> at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Output<TSimd, TVector, TAffine, TParam>(
        TVector v, ref TParam gamma, ref TParam beta, nuint i, TVector centre, TVector offset, TVector rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where TParam : unmanaged
    {
        TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(v, centre), offset), rstd);
        // TAffine's flags are constants of the instantiation: the JIT keeps one of these three.
        if (TAffine.Shift)
            return TSimd.MultiplyAdd(xhat, TSimd.Load(ref gamma, i), TSimd.Load(ref beta, i));
        if (TAffine.Scale)
            return TSimd.Multiply(xhat, TSimd.Load(ref gamma, i));
        return xhat;
    }

    /// <summary>The fused form's sum = x + residual, written non-temporally at sum's own aligned partition after the
    /// statistics (<see cref="StreamedResidualInput"/>); the same bits as the first pass's ordinary stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSum<TSimd, TVector, T>(ref T x, ref T residual, ref T sum, nuint n)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        nuint last = n - width;
        nuint start = NonTemporalStores.Misalignment(ref sum, TSimd.Count);
        nuint at = start;
        for (; at + width <= n; at += width)
            TSimd.StoreNonTemporal(TSimd.Add(TSimd.Load(ref x, at), TSimd.Load(ref residual, at)), ref sum, at);
        TSimd.StoreLanes(TSimd.Add(TSimd.Load(ref x, 0), TSimd.Load(ref residual, 0)), ref sum, 0, start);
        TSimd.StoreLanes(TSimd.Add(TSimd.Load(ref x, last), TSimd.Load(ref residual, last)),
            ref Unsafe.Add(ref sum, last), at - last, width);
    }

    /// <summary>
    /// The backward row's pivot and its first pass: Σg, Σg · (x − pivot) and the correction Σ(x − pivot) / N, with
    /// g = dy · gamma (dy without gamma). The pivot is the saved mean where <see cref="StatisticsGuards.PivotHolds"/>
    /// accepts its correction against rstd and against the row's own spread about it (Σd², one more accumulation in
    /// the same pass; the guard's remarks say why both); otherwise (a mean far from the row's, NaN, ∞, or none: pass
    /// NaN) the saved mean is ignored and the pass runs again about a centre found from x alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Pivot, float Correction, float SumG, float SumGD) GradientPivot<TSimd, TVector, TAffine, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, int hiddenSize, float savedMean, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        // Scalar math: d = x − mean; g = dy · gamma; Σg; Σg·d; correction = Σd / N; spread = Σd² / N − correction²
        var (sumG, sumGD, sumD, sumDD) = GradientSums<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, (nuint)hiddenSize, savedMean);
        float correction = sumD / hiddenSize;
        float spread = sumDD / hiddenSize - correction * correction;
        if (StatisticsGuards.PivotHolds(correction, rstd, spread))
            return (savedMean, correction, sumG, sumGD);
        return GradientPivotFromX<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, hiddenSize);
    }

    /// <summary>The fallback of <see cref="GradientPivot{TSimd, TVector, TAffine, T, TParam}"/>: the rough centre
    /// c = x[0] + Σ(x − x[0]) / N, as the forward's first pass finds it, then the sums again about c.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (float Pivot, float Correction, float SumG, float SumGD) GradientPivotFromX<TSimd, TVector, TAffine, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        nuint n = (nuint)hiddenSize;
        // Scalar math: c = x[0] + Σ(x − x[0]) / N; then d = x − c and the sums again (Σg does not depend on c)
        float first = Storage16.Widen(ref x, 0);
        float centre = first + SumOfDeviations<TSimd, TVector, PlainInput, T>(ref x, ref x, ref x, n, first) / hiddenSize;
        var (sumG, sumGD, sumD, _) = GradientSums<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, n, centre);
        return (centre, sumD / hiddenSize, sumG, sumGD);
    }

    /// <summary>
    /// Σg, Σg · d, Σd and Σd² for d = x − pivot and g = dy · gamma (dy without gamma), in one pass over x and dy: two chains
    /// per sum on the vector paths, four on the scalar path (with two, its sums over N = 4095 ran 2048 terms deep and dx
    /// missed the 1e-5 contract on 1e4-offset rows; a four-chain loop for the vector paths measured slower at 512×64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float SumG, float SumGD, float SumD, float SumDD) GradientSums<TSimd, TVector, TAffine, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, nuint n, float pivot)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(pivot);
        TVector g0 = TSimd.Zero, g1 = TSimd.Zero, gd0 = TSimd.Zero, gd1 = TSimd.Zero, d0 = TSimd.Zero, d1 = TSimd.Zero;
        TVector dd0 = TSimd.Zero, dd1 = TSimd.Zero;
        nuint i = 0;
        if (TSimd.Count == 1)
        {
            TVector g2 = TSimd.Zero, g3 = TSimd.Zero, gd2 = TSimd.Zero, gd3 = TSimd.Zero, d2 = TSimd.Zero, d3 = TSimd.Zero;
            TVector dd2 = TSimd.Zero, dd3 = TSimd.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var (ga, da) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i, p);
                var (gb, db) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i + 1, p);
                var (gc, dc) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i + 2, p);
                var (ge, de) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i + 3, p);
                g0 = TSimd.Add(g0, ga);
                g1 = TSimd.Add(g1, gb);
                g2 = TSimd.Add(g2, gc);
                g3 = TSimd.Add(g3, ge);
                gd0 = TSimd.MultiplyAdd(ga, da, gd0);
                gd1 = TSimd.MultiplyAdd(gb, db, gd1);
                gd2 = TSimd.MultiplyAdd(gc, dc, gd2);
                gd3 = TSimd.MultiplyAdd(ge, de, gd3);
                d0 = TSimd.Add(d0, da);
                d1 = TSimd.Add(d1, db);
                d2 = TSimd.Add(d2, dc);
                d3 = TSimd.Add(d3, de);
                dd0 = TSimd.MultiplyAdd(da, da, dd0);
                dd1 = TSimd.MultiplyAdd(db, db, dd1);
                dd2 = TSimd.MultiplyAdd(dc, dc, dd2);
                dd3 = TSimd.MultiplyAdd(de, de, dd3);
            }
            g0 = TSimd.Add(g0, g2);
            g1 = TSimd.Add(g1, g3);
            gd0 = TSimd.Add(gd0, gd2);
            gd1 = TSimd.Add(gd1, gd3);
            d0 = TSimd.Add(d0, d2);
            d1 = TSimd.Add(d1, d3);
            dd0 = TSimd.Add(dd0, dd2);
            dd1 = TSimd.Add(dd1, dd3);
        }
        for (; i + 2 * width <= n; i += 2 * width)
        {
            var (ga, da) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i, p);
            var (gb, db) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i + width, p);
            g0 = TSimd.Add(g0, ga);
            g1 = TSimd.Add(g1, gb);
            gd0 = TSimd.MultiplyAdd(ga, da, gd0);
            gd1 = TSimd.MultiplyAdd(gb, db, gd1);
            d0 = TSimd.Add(d0, da);
            d1 = TSimd.Add(d1, db);
            dd0 = TSimd.MultiplyAdd(da, da, dd0);
            dd1 = TSimd.MultiplyAdd(db, db, dd1);
        }
        for (; i + width <= n; i += width)
        {
            var (g, d) = GradientTerms<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, i, p);
            g0 = TSimd.Add(g0, g);
            gd0 = TSimd.MultiplyAdd(g, d, gd0);
            d0 = TSimd.Add(d0, d);
            dd0 = TSimd.MultiplyAdd(d, d, dd0);
        }

        float sumG = TSimd.Sum(TSimd.Add(g0, g1));
        float sumGD = TSimd.Sum(TSimd.Add(gd0, gd1));
        float sumD = TSimd.Sum(TSimd.Add(d0, d1));
        float sumDD = TSimd.Sum(TSimd.Add(dd0, dd1));
        for (; i < n; i++)
        {
            float d = Storage16.Widen(ref x, i) - pivot;
            float dyi = Storage16.Widen(ref dy, i);
            float g = TAffine.Scale ? dyi * Storage16.Widen(ref gamma, i) : dyi;
            sumG += g;
            sumGD += g * d;
            sumD += d;
            sumDD += d * d;
        }
        return (sumG, sumGD, sumD, sumDD);
    }

    /// <summary>One vector of <see cref="GradientSums{TSimd, TVector, TAffine, T, TParam}"/>: g = dy · gamma and d = x − pivot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector G, TVector D) GradientTerms<TSimd, TVector, TAffine, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, nuint i, TVector pivot)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        TVector d = TSimd.Subtract(TSimd.Load(ref x, i), pivot);
        TVector dyv = TSimd.Load(ref dy, i);
        TVector g = TAffine.Scale ? TSimd.Multiply(dyv, TSimd.Load(ref gamma, i)) : dyv;
        return (g, d);
    }

    /// <summary>
    /// The backward row's second pass: dx_i = rstd · (g_i − mean(g) − xhat_i · mean(g · xhat)) with
    /// xhat = (x − pivot − correction) · rstd, and dy · xhat added to dgamma and dy to dbeta where
    /// <typeparamref name="TAffine"/> has them. With <see cref="StreamingStores"/> dx is written as whole vectors at its
    /// own aligned partition, non-temporally; each element of dx, dgamma and dbeta gets the same bits either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputGradient<TSimd, TVector, TAffine, TStores, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, ref T dx, ref float dgamma, ref float dbeta,
        nuint n, float pivot, float correction, float rstd, float meanG, float meanGXhat)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
        where TStores : struct, IRowStores
    {
        nuint width = (nuint)TSimd.Count;
        nuint last = n - width;
        TVector p = TSimd.Broadcast(pivot), c = TSimd.Broadcast(correction), r = TSimd.Broadcast(rstd);
        TVector mg = TSimd.Broadcast(meanG), negMgx = TSimd.Broadcast(-meanGXhat);
        if (TStores.NonTemporal)
        {
            nuint start = NonTemporalStores.Misalignment(ref dx, TSimd.Count);
            nuint at = start;
            nuint ahead = PrefetchRows * n;
            for (; at + width <= n; at += width)
            {
                NonTemporalStores.Prefetch(ref x, ahead + at);
                NonTemporalStores.Prefetch(ref dy, ahead + at);
                TVector dxv = GradientStep<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, at, p, c, r, mg, negMgx, default, false);
                TSimd.StoreNonTemporal(dxv, ref dx, at);
            }
            // The lanes before the partition from the vector at 0 (dgamma and dbeta take only those lanes), the lanes
            // after it from the vector at N − width.
            TVector head = GradientStep<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, 0,
                p, c, r, mg, negMgx, TSimd.LanesFrom(start), true, keepSelected: true);
            TSimd.StoreLanes(head, ref dx, 0, start);
            TVector tail = GradientStep<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, last,
                p, c, r, mg, negMgx, TSimd.LanesFrom(at - last), true);
            TSimd.StoreLanes(tail, ref Unsafe.Add(ref dx, last), at - last, width);
            return;
        }

        nuint i = 0;
        for (; i + width <= n; i += width)
            TSimd.Store(GradientStep<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, i, p, c, r, mg, negMgx, default, false), ref dx, i);
        if (i < n)
        {
            // The vector at N − width: dx whole (its first lanes again, the same values), dgamma and dbeta only in the
            // lanes the loop did not reach. dx is no input, so the loop's stores did not change what this reads.
            TVector tail = GradientStep<TSimd, TVector, TAffine, T, TParam>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, last,
                p, c, r, mg, negMgx, TSimd.LanesFrom(i - last), true);
            TSimd.Store(tail, ref dx, last);
        }
    }

    /// <summary>
    /// One vector of the second pass at <paramref name="i"/>: returns dx and adds dy · xhat to dgamma and dy to dbeta,
    /// in every lane, or with <paramref name="masked"/> only in the lanes <paramref name="mask"/> selects (or, with
    /// <paramref name="keepSelected"/>, only in those it does not select), leaving the others as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector GradientStep<TSimd, TVector, TAffine, T, TParam>(
        ref T dy, ref T x, ref TParam gamma, ref float dgamma, ref float dbeta, nuint i,
        TVector pivot, TVector correction, TVector rstd, TVector meanG, TVector negMeanGXhat,
        TVector mask, bool masked, bool keepSelected = false)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        // Scalar math: xhat = (x − pivot − correction) · rstd; g = dy · gamma
        TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), pivot), correction), rstd);
        TVector dyv = TSimd.Load(ref dy, i);
        TVector g = TAffine.Scale ? TSimd.Multiply(dyv, TSimd.Load(ref gamma, i)) : dyv;
        // Scalar math: dgamma += dy · xhat; dbeta += dy
        if (TAffine.Scale)
        {
            TVector old = TSimd.Load(ref dgamma, i);
            TVector updated = TSimd.MultiplyAdd(dyv, xhat, old);
            TSimd.Store(!masked ? updated : keepSelected ? TSimd.Select(mask, old, updated) : TSimd.Select(mask, updated, old), ref dgamma, i);
        }
        if (TAffine.Shift)
        {
            TVector old = TSimd.Load(ref dbeta, i);
            TVector updated = TSimd.Add(old, dyv);
            TSimd.Store(!masked ? updated : keepSelected ? TSimd.Select(mask, old, updated) : TSimd.Select(mask, updated, old), ref dbeta, i);
        }
        // Scalar math: dx = (g − mean(g) − xhat · mean(g · xhat)) · rstd
        return TSimd.Multiply(TSimd.MultiplyAdd(xhat, negMeanGXhat, TSimd.Subtract(g, meanG)), rstd);
    }
}
