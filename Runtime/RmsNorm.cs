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
/// a fixed order, as in <see cref="LayerNorm.Backward"/>. All methods are stateless and thread-safe and allocate nothing.
/// </remarks>
public static class RmsNorm
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

    /// <summary>As the other <c>Forward</c> overload, and saves each row's rstd = 1 / sqrt(mean(x²) + epsilon) for <see cref="Backward"/>.</summary>
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
        int rows = Validation.Backward(NormParts.Gamma, dy, x, gamma, default, rstd, dx, dgamma, default, hiddenSize);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            RowScheduler.Backward(new Rows<Simd512, Vector512<float>>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            RowScheduler.Backward(new Rows<Simd256, Vector256<float>>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            RowScheduler.Backward(new Rows<Simd128, Vector128<float>>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
        else
            RowScheduler.Backward(new Rows<Scalar, float>(hiddenSize, 0f), dy, x, gamma, default, rstd, dx, dgamma, default, rows, hiddenSize);
    }

    /// <summary>
    /// Adds a residual and normalizes: sum = x + residual (a float add), then y = RMSNorm(sum) · gamma, row by row;
    /// y is bit-identical to <c>Forward</c> on the stored sum.
    /// </summary>
    /// <remarks>The add is fused into the pass that sums the squares. The gradient of the fused form is
    /// <see cref="Backward"/> called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to <see cref="Backward"/> as its x.</param>
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

    /// <summary>As the other <c>ForwardResidual</c> overload, and saves each row's rstd for <see cref="Backward"/>.</summary>
    /// <remarks>The gradient of the fused form is <see cref="Backward"/> called with <c>sum</c> as x.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to <see cref="Backward"/> as its x.</param>
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

    /// <summary>The generic row kernels of one width as an <see cref="IRowKernel"/>; beta, mean and dbeta are not used.</summary>
    private readonly struct Rows<TSimd, TVector>(int hiddenSize, float epsilon) : IRowKernel
        where TSimd : struct, ISimd<TVector> where TVector : struct
    {
        public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
            Span<float> mean, Span<float> rstd, int rows)
            => ForwardRows<TSimd, TVector, PlainInput>(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);

        public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
            ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows)
            => BackwardRows<TSimd, TVector>(dy, x, gamma, rstd, dx, dgamma, rows, hiddenSize);
    }

    private static void ForwardRows(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
    {
        if (sum.IsEmpty)
            ForwardRows<PlainInput>(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<ResidualInput>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    private static void ForwardRows<TInput>(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TInput : struct, IRowInput
    {
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            ForwardRows<Simd512, Vector512<float>, TInput>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            ForwardRows<Simd256, Vector256<float>, TInput>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            ForwardRows<Simd128, Vector128<float>, TInput>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<Scalar, float, TInput>(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>The forward row loop of one width and input (x, or x + residual stored to sum).</summary>
    private static void ForwardRows<TSimd, TVector, TInput>(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TInput : struct, IRowInput
    {
        nuint n = (nuint)hiddenSize;
        bool saveStatistics = !rstd.IsEmpty;
        ref float gammaRef = ref MemoryMarshal.GetReference(gamma);
        for (int r = 0; r < rows; r++)
        {
            nuint start = (nuint)r * n;
            ref float xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), start);
            ref float residualRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(residual), start);
            ref float sumRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(sum), start);
            ref float yRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), start);

            // Scalar math: Σx² (of sum = x + residual in the fused form, stored by this pass; the second pass reads it from L1)
            float squares = RmsNormRowKernels.SumOfSquares<TSimd, TVector, TInput>(ref xRow, ref residualRow, ref sumRow, n);
            // Scalar math: rstd = 1 / sqrt(Σx² / N + eps), an exact square root and a divide
            float inverseRms = 1f / MathF.Sqrt(squares / hiddenSize + epsilon);

            // Scalar math: y = x · rstd · gamma
            RmsNormRowKernels.Normalize<TSimd, TVector, TInput>(ref xRow, ref residualRow, ref sumRow, ref gammaRef, ref yRow, n, inverseRms);

            if (saveStatistics)
                rstd[r] = inverseRms;
        }
    }

    private static void BackwardRows<TSimd, TVector>(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, int rows, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct
    {
        nuint n = (nuint)hiddenSize;
        ref float gammaRef = ref MemoryMarshal.GetReference(gamma);
        ref float dgammaRef = ref MemoryMarshal.GetReference(dgamma);
        for (int r = 0; r < rows; r++)
        {
            ref float xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nuint)r * n);
            ref float dyRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dy), (nuint)r * n);
            ref float dxRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), (nuint)r * n);
            float inverseRms = rstd[r];

            // Scalar math: xhat = x · rstd; g = dy · gamma; Σ g · xhat; dgamma += dy · xhat
            float sumGXhat = RmsNormRowKernels.ReduceGradients<TSimd, TVector>(ref dyRow, ref xRow, ref gammaRef, ref dgammaRef, n, inverseRms);

            // Scalar math: dx = rstd · (g − xhat · mean(g · xhat))
            RmsNormRowKernels.InputGradient<TSimd, TVector>(ref dyRow, ref xRow, ref gammaRef, ref dxRow, n, inverseRms, sumGXhat / hiddenSize);
        }
    }
}
