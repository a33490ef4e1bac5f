using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// The generic RMSNorm path (as in LLaMA-style models): any hidden size, vectorized with Vector512, Vector256 or
/// Vector128 where the hardware accelerates them, scalar otherwise. y = x · rstd · gamma with
/// rstd = 1 / sqrt(mean(x²) + epsilon), an exact square root and a divide.
/// </summary>
/// <remarks>
/// A row of zeros gives y == 0 exactly and finite gradients. dgamma is summed over fixed blocks of rows combined in
/// a fixed order, as in <see cref="LayerNorm.Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>. All methods are stateless and thread-safe and allocate nothing.
/// </remarks>
public static partial class RmsNorm
{
    /// <summary>y = x / sqrt(mean(x²) + epsilon) · gamma, row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the mean square; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, y, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>Forward</c> overload, and saves each row's rstd = 1 / sqrt(mean(x²) + epsilon) for <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="rstd">Per-row reciprocal root mean square, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the mean square; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, default, y, default, rstd, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>
    /// Gradients of RMSNorm. With xhat = x · rstd and g = dy · gamma: dx = rstd · (g − xhat · mean(g · xhat));
    /// <paramref name="dgamma"/> is overwritten with Σ_rows dy · xhat (zero when there are no rows).
    /// </summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input (for a residual forward, its <c>sum</c>).</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="rstd">Per-row rstd saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, int hiddenSize)
    {
        Backward<float, float>(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
    }

    /// <summary>
    /// Adds a residual and normalizes: sum = x + residual (a float add), then y = RMSNorm(sum) · gamma, row by row;
    /// y is bit-identical to <c>Forward</c> on the stored sum.
    /// </summary>
    /// <remarks>The add is fused into the pass that sums the squares. The gradient of the fused form is
    /// <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/> called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/> as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the mean square; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Residual, x, residual, gamma, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, sum, y, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidual</c> overload, and saves each row's rstd for <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>.</summary>
    /// <remarks>The gradient of the fused form is <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/> called with <c>sum</c> as x.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/> as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="rstd">Per-row reciprocal root mean square, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the mean square; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Rstd | NormParts.Residual, x, residual, gamma, default, sum, y, default, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>Every forward form on rows of <typeparamref name="T"/> and gamma of <typeparamref name="TParam"/>.</summary>
    internal static void Forward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, Span<T> sum, Span<T> y,
        Span<float> rstd, int hiddenSize, float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, default, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>The backward on rows of <typeparamref name="T"/> and gamma of <typeparamref name="TParam"/>.</summary>
    internal static void Backward<T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, int hiddenSize)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Backward(NormParts.Gamma, dy, x, gamma, default, rstd, dx, dgamma, default, hiddenSize);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            RowScheduler.Backward(new Rows<Simd512, Vector512<float>, T, TParam>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            RowScheduler.Backward(new Rows<Simd256, Vector256<float>, T, TParam>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            RowScheduler.Backward(new Rows<Simd128, Vector128<float>, T, TParam>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else
            RowScheduler.Backward(new Rows<Scalar, float, T, TParam>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
    }

    /// <summary>The generic row kernels of one width as an <see cref="IRowKernel"/>; beta, mean and dbeta are not used.</summary>
    private readonly struct Rows<TSimd, TVector, T, TParam>(int hiddenSize, float epsilon) : IRowKernel<T, TParam>
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged where TParam : unmanaged
    {
        public void Forward(ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta, Span<T> y,
            Span<float> mean, Span<float> rstd, int rows)
            => ForwardRows<TSimd, TVector, PlainInput, T, TParam>(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);

        public void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean,
            ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows)
            => BackwardRows<TSimd, TVector, T, TParam>(dy, x, gamma, rstd, dx, dgamma, rows, hiddenSize);
    }

    private static void ForwardRows<T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, Span<T> sum, Span<T> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        if (sum.IsEmpty)
            ForwardRows<PlainInput, T, TParam>(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<ResidualInput, T, TParam>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    private static void ForwardRows<TInput, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, Span<T> sum, Span<T> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TInput : struct, IRowInput where T : unmanaged where TParam : unmanaged
    {
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            ForwardRows<Simd512, Vector512<float>, TInput, T, TParam>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            ForwardRows<Simd256, Vector256<float>, TInput, T, TParam>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            ForwardRows<Simd128, Vector128<float>, TInput, T, TParam>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<Scalar, float, TInput, T, TParam>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>The forward row loop of one width and input (x, or x + residual stored to sum).</summary>
    private static void ForwardRows<TSimd, TVector, TInput, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, Span<T> sum, Span<T> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput where T : unmanaged where TParam : unmanaged
    {
        nuint n = (nuint)hiddenSize;
        bool saveStatistics = !rstd.IsEmpty;
        ref TParam gammaRef = ref MemoryMarshal.GetReference(gamma);
        for (int r = 0; r < rows; r++)
        {
            nuint start = (nuint)r * n;
            ref T xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), start);
            ref T residualRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(residual), start);
            ref T sumRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(sum), start);
            ref T yRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), start);

            // Scalar math: Σx² (of sum = x + residual in the fused form, stored by this pass; the second pass reads it from L1)
            float squares = RmsNormRowKernels.SumOfSquares<TSimd, TVector, TInput, T>(ref xRow, ref residualRow, ref sumRow, n);
            // Scalar math: rstd = 1 / sqrt(Σx² / N + eps), an exact square root and a divide
            float inverseRms = 1f / MathF.Sqrt(squares / hiddenSize + epsilon);

            // Scalar math: y = x · rstd · gamma
            RmsNormRowKernels.Normalize<TSimd, TVector, TInput, T, TParam>(ref xRow, ref residualRow, ref sumRow, ref gammaRef, ref yRow, n, inverseRms);

            if (saveStatistics)
                rstd[r] = inverseRms;
        }
    }

    private static void BackwardRows<TSimd, TVector, T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, int rows, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged where TParam : unmanaged
    {
        nuint n = (nuint)hiddenSize;
        ref TParam gammaRef = ref MemoryMarshal.GetReference(gamma);
        ref float dgammaRef = ref MemoryMarshal.GetReference(dgamma);
        for (int r = 0; r < rows; r++)
        {
            ref T xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nuint)r * n);
            ref T dyRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dy), (nuint)r * n);
            ref T dxRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), (nuint)r * n);
            float inverseRms = rstd[r];

            // Scalar math: xhat = x · rstd; g = dy · gamma; Σ g · xhat; dgamma += dy · xhat
            float sumGXhat = RmsNormRowKernels.ReduceGradients<TSimd, TVector, T, TParam>(ref dyRow, ref xRow, ref gammaRef, ref dgammaRef, n, inverseRms);

            // Scalar math: dx = rstd · (g − xhat · mean(g · xhat))
            RmsNormRowKernels.InputGradient<TSimd, TVector, T, TParam>(ref dyRow, ref xRow, ref gammaRef, ref dxRow, n, inverseRms, sumGXhat / hiddenSize);
        }
    }
}
