using System;
using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// The generic path's per-row kernels, written once over <see cref="ISimd{TVector}"/>.
/// Every row's mean is kept as (centre, offset): a rough centre from deviations from the first element
/// (the pivot), then a correction from deviations from that centre, so values that are large and close,
/// or a first element far from the rest, lose no digits.
/// </summary>
internal static class LayerNormRowKernels
{
    /// <summary>
    /// Σ (v_i − pivot) over the row <typeparamref name="TInput"/> reads (x, or x + residual stored to sum), with four
    /// independent accumulators and a scalar tail. The residual form's sum is the same as this pass over the stored sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumOfDeviations<TSimd, TVector, TInput>(ref float x, ref float residual, ref float sum, nuint n, float pivot)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(pivot);
        TVector a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        nuint i = 0;
        for (; i + 4 * width <= n; i += 4 * width)
        {
            TVector v0 = TInput.Value<TSimd, TVector>(ref x, ref residual, i);
            TVector v1 = TInput.Value<TSimd, TVector>(ref x, ref residual, i + width);
            TVector v2 = TInput.Value<TSimd, TVector>(ref x, ref residual, i + 2 * width);
            TVector v3 = TInput.Value<TSimd, TVector>(ref x, ref residual, i + 3 * width);
            TInput.Keep<TSimd, TVector>(v0, ref sum, i);
            TInput.Keep<TSimd, TVector>(v1, ref sum, i + width);
            TInput.Keep<TSimd, TVector>(v2, ref sum, i + 2 * width);
            TInput.Keep<TSimd, TVector>(v3, ref sum, i + 3 * width);
            a0 = TSimd.Add(a0, TSimd.Subtract(v0, p));
            a1 = TSimd.Add(a1, TSimd.Subtract(v1, p));
            a2 = TSimd.Add(a2, TSimd.Subtract(v2, p));
            a3 = TSimd.Add(a3, TSimd.Subtract(v3, p));
        }
        for (; i + width <= n; i += width)
        {
            TVector v = TInput.Value<TSimd, TVector>(ref x, ref residual, i);
            TInput.Keep<TSimd, TVector>(v, ref sum, i);
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
    /// Σ e and Σ e² for e_i = x_i − centre, with four independent accumulators and a scalar tail.
    /// Σ e / N is the correction of the corrected two-pass algorithm: the rough centre of the first pass
    /// is off when its float sum drifted (a pivot far from the mean), and Σ e recovers what it lost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Sum, float SumOfSquares) SumsOfCenteredDeviations<TSimd, TVector>(ref float x, nuint n, float centre)
        where TSimd : struct, ISimd<TVector> where TVector : struct
    {
        nuint width = (nuint)TSimd.Count;
        TVector c = TSimd.Broadcast(centre);
        TVector s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        TVector q0 = TSimd.Zero, q1 = TSimd.Zero, q2 = TSimd.Zero, q3 = TSimd.Zero;
        nuint i = 0;
        for (; i + 4 * width <= n; i += 4 * width)
        {
            TVector e0 = TSimd.Subtract(TSimd.Load(ref x, i), c);
            TVector e1 = TSimd.Subtract(TSimd.Load(ref x, i + width), c);
            TVector e2 = TSimd.Subtract(TSimd.Load(ref x, i + 2 * width), c);
            TVector e3 = TSimd.Subtract(TSimd.Load(ref x, i + 3 * width), c);
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
            TVector e = TSimd.Subtract(TSimd.Load(ref x, i), c);
            s0 = TSimd.Add(s0, e);
            q0 = TSimd.MultiplyAdd(e, e, q0);
        }

        float sum = TSimd.Sum(TSimd.Add(TSimd.Add(s0, s1), TSimd.Add(s2, s3)));
        float squares = TSimd.Sum(TSimd.Add(TSimd.Add(q0, q1), TSimd.Add(q2, q3)));
        for (; i < n; i++)
        {
            float e = Unsafe.Add(ref x, i) - centre;
            sum += e;
            squares += e * e;
        }
        return (sum, squares);
    }

    /// <summary>
    /// The row's centre and variance, as (centre, offset) with mean = centre + offset: the corrected two-pass algorithm.
    /// Forward and backward both call it, so both see the same centre bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Centre, float Offset, float Variance) Statistics<TSimd, TVector>(ref float x, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct
        => Statistics<TSimd, TVector, PlainInput>(ref x, ref x, ref x, hiddenSize);

    /// <summary>
    /// <see cref="Statistics{TSimd, TVector}"/> of the row <typeparamref name="TInput"/> reads: x, or sum = x + residual
    /// with the add fused into the first pass, which writes the sum row (rounded to float); the result is then exactly
    /// what <see cref="Statistics{TSimd, TVector}"/> returns for the stored sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Centre, float Offset, float Variance) Statistics<TSimd, TVector, TInput>(
        ref float x, ref float residual, ref float sum, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput
    {
        nuint n = (nuint)hiddenSize;
        // Scalar math: pivot = x[0]; offset = Σ(x − pivot) / N (x is sum = x + residual in the fused form)
        float pivot = TInput.Peek(ref x, ref residual, 0);
        float offset = SumOfDeviations<TSimd, TVector, TInput>(ref x, ref residual, ref sum, n, pivot) / hiddenSize;

        // Scalar math: centre = pivot + offset, rounded; e = x − centre; c = Σe / N; var = Σe² / N − c²
        // Deviations from the rough centre are small wherever the values are, so the second pass is accurate
        // even when the pivot was far from the mean; (centre, c) is then the row's mean to float precision.
        float centre = pivot + offset;
        var (deviations, squares) = SumsOfCenteredDeviations<TSimd, TVector>(ref TInput.Row(ref x, ref sum), n, centre);
        float correction = deviations / hiddenSize;
        float variance = MathF.Max(squares / hiddenSize - correction * correction, 0f);
        return (centre, correction, variance);
    }

    /// <summary>y_i = (x_i − centre − offset) · rstd · gamma_i + beta_i, without beta or gamma as <typeparamref name="TAffine"/>
    /// says. Reads x_i before writing y_i, so y may be x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normalize<TSimd, TVector, TAffine>(
        ref float x, ref float gamma, ref float beta, ref float y, nuint n, float centre, float offset, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(centre), o = TSimd.Broadcast(offset), r = TSimd.Broadcast(rstd);
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), p), o), r);
            // TAffine's flags are constants of the instantiation: the JIT keeps one of these three.
            if (TAffine.Shift)
                TSimd.Store(TSimd.MultiplyAdd(xhat, TSimd.Load(ref gamma, i), TSimd.Load(ref beta, i)), ref y, i);
            else if (TAffine.Scale)
                TSimd.Store(TSimd.Multiply(xhat, TSimd.Load(ref gamma, i)), ref y, i);
            else
                TSimd.Store(xhat, ref y, i);
        }
        for (; i < n; i++)
        {
            float xhat = (Unsafe.Add(ref x, i) - centre - offset) * rstd;
            if (TAffine.Shift)
                Unsafe.Add(ref y, i) = xhat * Unsafe.Add(ref gamma, i) + Unsafe.Add(ref beta, i);
            else if (TAffine.Scale)
                Unsafe.Add(ref y, i) = xhat * Unsafe.Add(ref gamma, i);
            else
                Unsafe.Add(ref y, i) = xhat;
        }
    }

    /// <summary>
    /// One row of the backward pass: returns Σ g and Σ g · xhat (g = dy · gamma, or dy without gamma) and adds
    /// dy · xhat to dgamma and dy to dbeta where <typeparamref name="TAffine"/> has them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float SumG, float SumGXhat) ReduceGradients<TSimd, TVector, TAffine>(
        ref float dy, ref float x, ref float gamma, ref float dgamma, ref float dbeta,
        nuint n, float centre, float offset, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(centre), o = TSimd.Broadcast(offset), r = TSimd.Broadcast(rstd);
        TVector sumG0 = TSimd.Zero, sumG1 = TSimd.Zero, sumGX0 = TSimd.Zero, sumGX1 = TSimd.Zero;
        nuint i = 0;
        if (TSimd.Count == 1)
        {
            // The scalar path sums in four chains: with two, its sums over N = 4095 ran 2048 terms deep and dx missed
            // the 1e-5 contract on 1e4-offset rows (1.05e-5). The vector paths keep the two-chain loop below (a
            // four-chain loop for them measured slower at 512×64); their chains are 1/width as deep.
            TVector sumG2 = TSimd.Zero, sumG3 = TSimd.Zero, sumGX2 = TSimd.Zero, sumGX3 = TSimd.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var (g0, xhat0) = GradientTerms<TSimd, TVector, TAffine>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, i, p, o, r);
                var (g1, xhat1) = GradientTerms<TSimd, TVector, TAffine>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, i + 1, p, o, r);
                var (g2, xhat2) = GradientTerms<TSimd, TVector, TAffine>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, i + 2, p, o, r);
                var (g3, xhat3) = GradientTerms<TSimd, TVector, TAffine>(ref dy, ref x, ref gamma, ref dgamma, ref dbeta, i + 3, p, o, r);
                sumG0 = TSimd.Add(sumG0, g0);
                sumG1 = TSimd.Add(sumG1, g1);
                sumG2 = TSimd.Add(sumG2, g2);
                sumG3 = TSimd.Add(sumG3, g3);
                sumGX0 = TSimd.MultiplyAdd(g0, xhat0, sumGX0);
                sumGX1 = TSimd.MultiplyAdd(g1, xhat1, sumGX1);
                sumGX2 = TSimd.MultiplyAdd(g2, xhat2, sumGX2);
                sumGX3 = TSimd.MultiplyAdd(g3, xhat3, sumGX3);
            }
            sumG0 = TSimd.Add(sumG0, sumG2);
            sumG1 = TSimd.Add(sumG1, sumG3);
            sumGX0 = TSimd.Add(sumGX0, sumGX2);
            sumGX1 = TSimd.Add(sumGX1, sumGX3);
        }
        for (; i + 2 * width <= n; i += 2 * width)
        {
            nuint j = i + width;
            TVector xhat0 = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), p), o), r);
            TVector xhat1 = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, j), p), o), r);
            TVector dy0 = TSimd.Load(ref dy, i), dy1 = TSimd.Load(ref dy, j);
            TVector g0 = TAffine.Scale ? TSimd.Multiply(dy0, TSimd.Load(ref gamma, i)) : dy0;
            TVector g1 = TAffine.Scale ? TSimd.Multiply(dy1, TSimd.Load(ref gamma, j)) : dy1;
            sumG0 = TSimd.Add(sumG0, g0);
            sumG1 = TSimd.Add(sumG1, g1);
            sumGX0 = TSimd.MultiplyAdd(g0, xhat0, sumGX0);
            sumGX1 = TSimd.MultiplyAdd(g1, xhat1, sumGX1);
            if (TAffine.Scale)
            {
                TSimd.Store(TSimd.MultiplyAdd(dy0, xhat0, TSimd.Load(ref dgamma, i)), ref dgamma, i);
                TSimd.Store(TSimd.MultiplyAdd(dy1, xhat1, TSimd.Load(ref dgamma, j)), ref dgamma, j);
            }
            if (TAffine.Shift)
            {
                TSimd.Store(TSimd.Add(TSimd.Load(ref dbeta, i), dy0), ref dbeta, i);
                TSimd.Store(TSimd.Add(TSimd.Load(ref dbeta, j), dy1), ref dbeta, j);
            }
        }
        for (; i + width <= n; i += width)
        {
            TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), p), o), r);
            TVector dyv = TSimd.Load(ref dy, i);
            TVector g = TAffine.Scale ? TSimd.Multiply(dyv, TSimd.Load(ref gamma, i)) : dyv;
            sumG0 = TSimd.Add(sumG0, g);
            sumGX0 = TSimd.MultiplyAdd(g, xhat, sumGX0);
            if (TAffine.Scale)
                TSimd.Store(TSimd.MultiplyAdd(dyv, xhat, TSimd.Load(ref dgamma, i)), ref dgamma, i);
            if (TAffine.Shift)
                TSimd.Store(TSimd.Add(TSimd.Load(ref dbeta, i), dyv), ref dbeta, i);
        }

        float sumG = TSimd.Sum(TSimd.Add(sumG0, sumG1));
        float sumGXhat = TSimd.Sum(TSimd.Add(sumGX0, sumGX1));
        for (; i < n; i++)
        {
            float xhat = (Unsafe.Add(ref x, i) - centre - offset) * rstd;
            float dyi = Unsafe.Add(ref dy, i);
            float g = TAffine.Scale ? dyi * Unsafe.Add(ref gamma, i) : dyi;
            sumG += g;
            sumGXhat += g * xhat;
            if (TAffine.Scale)
                Unsafe.Add(ref dgamma, i) += dyi * xhat;
            if (TAffine.Shift)
                Unsafe.Add(ref dbeta, i) += dyi;
        }
        return (sumG, sumGXhat);
    }

    /// <summary>One vector of <see cref="ReduceGradients{TSimd, TVector, TAffine}"/>: returns g and xhat, and adds dy · xhat
    /// to dgamma and dy to dbeta where <typeparamref name="TAffine"/> has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector G, TVector Xhat) GradientTerms<TSimd, TVector, TAffine>(
        ref float dy, ref float x, ref float gamma, ref float dgamma, ref float dbeta, nuint i, TVector centre, TVector offset, TVector rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine
    {
        TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), centre), offset), rstd);
        TVector dyv = TSimd.Load(ref dy, i);
        TVector g = TAffine.Scale ? TSimd.Multiply(dyv, TSimd.Load(ref gamma, i)) : dyv;
        if (TAffine.Scale)
            TSimd.Store(TSimd.MultiplyAdd(dyv, xhat, TSimd.Load(ref dgamma, i)), ref dgamma, i);
        if (TAffine.Shift)
            TSimd.Store(TSimd.Add(TSimd.Load(ref dbeta, i), dyv), ref dbeta, i);
        return (g, xhat);
    }

    /// <summary>dx_i = rstd · (g_i − mean(g) − xhat_i · mean(g · xhat)), g = dy · gamma (dy without gamma).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputGradient<TSimd, TVector, TAffine>(
        ref float dy, ref float x, ref float gamma, ref float dx,
        nuint n, float centre, float offset, float rstd, float meanG, float meanGXhat)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine
    {
        nuint width = (nuint)TSimd.Count;
        TVector p = TSimd.Broadcast(centre), o = TSimd.Broadcast(offset), r = TSimd.Broadcast(rstd);
        TVector mg = TSimd.Broadcast(meanG), negMgx = TSimd.Broadcast(-meanGXhat);
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            TVector xhat = TSimd.Multiply(TSimd.Subtract(TSimd.Subtract(TSimd.Load(ref x, i), p), o), r);
            TVector g = TAffine.Scale ? TSimd.Multiply(TSimd.Load(ref dy, i), TSimd.Load(ref gamma, i)) : TSimd.Load(ref dy, i);
            TVector centered = TSimd.MultiplyAdd(xhat, negMgx, TSimd.Subtract(g, mg));
            TSimd.Store(TSimd.Multiply(centered, r), ref dx, i);
        }
        for (; i < n; i++)
        {
            float xhat = (Unsafe.Add(ref x, i) - centre - offset) * rstd;
            float g = TAffine.Scale ? Unsafe.Add(ref dy, i) * Unsafe.Add(ref gamma, i) : Unsafe.Add(ref dy, i);
            Unsafe.Add(ref dx, i) = (g - meanG - xhat * meanGXhat) * rstd;
        }
    }
}
