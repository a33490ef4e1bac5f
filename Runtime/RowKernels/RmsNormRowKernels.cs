using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// The generic RMSNorm path's per-row kernels, written once over <see cref="ISimd{TVector}"/>.
/// RMSNorm does not centre the row, so there is no cancellation to guard against: the mean square is one pass of
/// squares into four independent accumulators.
/// </summary>
internal static class RmsNormRowKernels
{
    /// <summary>
    /// Σ v_i² over the row <typeparamref name="TInput"/> reads (x, or x + residual stored to sum), with four
    /// independent accumulators and a scalar tail. The residual form's sum is the same as this pass over the stored sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumOfSquares<TSimd, TVector, TInput, T>(ref T x, ref T residual, ref T sum, nuint n)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
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
            q0 = TSimd.MultiplyAdd(v0, v0, q0);
            q1 = TSimd.MultiplyAdd(v1, v1, q1);
            q2 = TSimd.MultiplyAdd(v2, v2, q2);
            q3 = TSimd.MultiplyAdd(v3, v3, q3);
        }
        for (; i + width <= n; i += width)
        {
            TVector v = TInput.Value<TSimd, TVector, T>(ref x, ref residual, i);
            TInput.Keep<TSimd, TVector, T>(v, ref sum, i);
            q0 = TSimd.MultiplyAdd(v, v, q0);
        }

        float squares = TSimd.Sum(TSimd.Add(TSimd.Add(q0, q1), TSimd.Add(q2, q3)));
        for (; i < n; i++)
        {
            float v = TInput.Peek(ref x, ref residual, i);
            TInput.Keep(v, ref sum, i);
            squares += v * v;
        }
        return squares;
    }

    /// <summary>y_i = x_i · rstd · gamma_i, x as <typeparamref name="TInput"/>'s later passes read it (the row, or the
    /// sum the first pass stored). Reads x_i before writing y_i, so y may be x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normalize<TSimd, TVector, TInput, T, TParam>(ref T x, ref T residual, ref T sum, ref TParam gamma, ref T y, nuint n, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged where TParam : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector r = TSimd.Broadcast(rstd);
        nuint i = 0;
        for (; i + width <= n; i += width)
            TSimd.Store(TSimd.Multiply(TSimd.Multiply(TInput.Again<TSimd, TVector, T>(ref x, ref residual, ref sum, i), r), TSimd.Load(ref gamma, i)), ref y, i);
        for (; i < n; i++)
            Storage16.Narrow(TInput.Again(ref x, ref residual, ref sum, i) * rstd * Storage16.Widen(ref gamma, i), ref y, i);
    }

    /// <summary>One row of the backward pass: returns Σ g · xhat (g = dy · gamma, xhat = x · rstd) and adds dy · xhat to dgamma.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReduceGradients<TSimd, TVector, T, TParam>(ref T dy, ref T x, ref TParam gamma, ref float dgamma, nuint n, float rstd)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged where TParam : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector r = TSimd.Broadcast(rstd);
        TVector sum0 = TSimd.Zero, sum1 = TSimd.Zero;
        nuint i = 0;
        for (; i + 2 * width <= n; i += 2 * width)
        {
            nuint j = i + width;
            TVector xhat0 = TSimd.Multiply(TSimd.Load(ref x, i), r), xhat1 = TSimd.Multiply(TSimd.Load(ref x, j), r);
            TVector dy0 = TSimd.Load(ref dy, i), dy1 = TSimd.Load(ref dy, j);
            sum0 = TSimd.MultiplyAdd(TSimd.Multiply(dy0, TSimd.Load(ref gamma, i)), xhat0, sum0);
            sum1 = TSimd.MultiplyAdd(TSimd.Multiply(dy1, TSimd.Load(ref gamma, j)), xhat1, sum1);
            TSimd.Store(TSimd.MultiplyAdd(dy0, xhat0, TSimd.Load(ref dgamma, i)), ref dgamma, i);
            TSimd.Store(TSimd.MultiplyAdd(dy1, xhat1, TSimd.Load(ref dgamma, j)), ref dgamma, j);
        }
        for (; i + width <= n; i += width)
        {
            TVector xhat = TSimd.Multiply(TSimd.Load(ref x, i), r);
            TVector dyv = TSimd.Load(ref dy, i);
            sum0 = TSimd.MultiplyAdd(TSimd.Multiply(dyv, TSimd.Load(ref gamma, i)), xhat, sum0);
            TSimd.Store(TSimd.MultiplyAdd(dyv, xhat, TSimd.Load(ref dgamma, i)), ref dgamma, i);
        }

        float sumGXhat = TSimd.Sum(TSimd.Add(sum0, sum1));
        for (; i < n; i++)
        {
            float xhat = Storage16.Widen(ref x, i) * rstd;
            float dyi = Storage16.Widen(ref dy, i);
            sumGXhat += dyi * Storage16.Widen(ref gamma, i) * xhat;
            Unsafe.Add(ref dgamma, i) += dyi * xhat;
        }
        return sumGXhat;
    }

    /// <summary>dx_i = rstd · (g_i − xhat_i · mean(g · xhat)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputGradient<TSimd, TVector, T, TParam>(ref T dy, ref T x, ref TParam gamma, ref T dx, nuint n, float rstd, float meanGXhat)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged where TParam : unmanaged
    {
        nuint width = (nuint)TSimd.Count;
        TVector r = TSimd.Broadcast(rstd), negMgx = TSimd.Broadcast(-meanGXhat);
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            TVector xhat = TSimd.Multiply(TSimd.Load(ref x, i), r);
            TVector g = TSimd.Multiply(TSimd.Load(ref dy, i), TSimd.Load(ref gamma, i));
            TSimd.Store(TSimd.Multiply(TSimd.MultiplyAdd(xhat, negMgx, g), r), ref dx, i);
        }
        for (; i < n; i++)
        {
            float xhat = Storage16.Widen(ref x, i) * rstd;
            float g = Storage16.Widen(ref dy, i) * Storage16.Widen(ref gamma, i);
            Storage16.Narrow((g - xhat * meanGXhat) * rstd, ref dx, i);
        }
    }
}
