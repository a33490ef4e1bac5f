using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// The generic LayerNorm path: any hidden size, vectorized with Vector512, Vector256 or Vector128
/// where the hardware accelerates them, scalar otherwise. Generated kernels are verified against it.
/// </summary>
/// <remarks>
/// Statistics are shifted: on the vector paths one pass takes Σd and Σd² for d = x − x[0] and keeps them where
/// <see cref="StatisticsGuards.OnePassHolds"/> bounds their cancellation, and the corrected two-pass form (a rough
/// centre, then a pass over the deviations from it) runs otherwise and on the scalar path
/// (see <see cref="LayerNormRowKernels.Statistics{TSimd, TVector, TInput, T}"/>), so rows of large, close values keep
/// their precision, and a constant row gives <c>y == beta</c> exactly. Backward makes two passes over x and dy, its
/// sums taken about the saved mean where <see cref="StatisticsGuards.PivotHolds"/> accepts it and about a centre found
/// from x otherwise. Calls of at least <see cref="NonTemporalStores.MinimumElements"/> elements that are not in place
/// write y (and the fused form's sum) or dx with non-temporal stores, the same bits.
/// The family's other forms share the row code: <c>NoBias</c> (y = xhat · gamma), <c>NoAffine</c> (y = xhat), and
/// <c>ForwardResidual…</c>, which adds a residual in the first pass over the row and normalizes the sum.
/// All methods are stateless and thread-safe; the serial ones allocate nothing.
/// The choice of vector width is written out at each row loop (and in RmsNorm's). One generic dispatcher over the
/// width types was tried: each call site then needs a ref struct that carries its spans in explicit fields, which
/// came to more code than the ladders, and putting the choice inside the IRowKernel made RowScheduler's block loop
/// repeat it for every block of rows.
/// </remarks>
public static partial class LayerNorm
{
    /// <summary>y = (x − mean) / sqrt(var + epsilon) · gamma + beta, row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(x, gamma, beta, y, hiddenSize, epsilon);
        ForwardRows<ScaleAndShift, PlainInput, float, float>(x, default, gamma, beta, default, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>,
    /// and saves each row's mean and rstd = 1 / sqrt(var + epsilon) for <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<ScaleAndShift, PlainInput, float, float>(x, default, gamma, beta, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>
    /// Gradients of LayerNorm. dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with g = dy · gamma;
    /// <paramref name="dgamma"/> and <paramref name="dbeta"/> are overwritten with Σ_rows dy · xhat and Σ_rows dy
    /// (zero when there are no rows).
    /// </summary>
    /// <remarks>
    /// The sums over rows are taken over blocks of 8 rows in float, and the block sums are added in double in a
    /// fixed order, then rounded once; so many rows keep the accuracy of few, and
    /// <see cref="BackwardParallel(ReadOnlyMemory{float}, ReadOnlyMemory{float}, ReadOnlyMemory{float}, ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, Memory{float}, Memory{float}, int, int)"/> gives the same bits for any thread count.
    /// </remarks>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="mean">Per-row mean saved by the forward pass. Its length is checked. It is the pivot of the
    /// backward sums, corrected for its rounding from <paramref name="x"/>; a mean far from the row's own (or NaN, ∞)
    /// is detected and ignored, and that row is centred from <paramref name="x"/> alone.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="dbeta">Gradient with respect to beta, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        int rows = Validation.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        Backward<ScaleAndShift, float, float>(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
    }

    /// <summary>
    /// As <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>,
    /// with the rows spread over up to <paramref name="degreeOfParallelism"/> threads.
    /// </summary>
    /// <remarks>
    /// The arguments are <see cref="Memory{T}"/> because a span cannot be shared with other threads; arrays convert
    /// implicitly. Rows are split into contiguous ranges, one per thread; a call with too little work for more than one
    /// thread (under about 128 Ki elements) runs serially on the calling thread. Every output is bit-identical to the
    /// serial call's, for any degree of parallelism.
    /// </remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <param name="degreeOfParallelism">The most threads to use, at least 1 (e.g. <see cref="Environment.ProcessorCount"/>).</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length, or an output partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/>, <paramref name="epsilon"/> or
    /// <paramref name="degreeOfParallelism"/> is out of range.</exception>
    public static void ForwardParallel(
        ReadOnlyMemory<float> x, ReadOnlyMemory<float> gamma, ReadOnlyMemory<float> beta, Memory<float> y,
        int hiddenSize, float epsilon, int degreeOfParallelism)
    {
        Validation.DegreeOfParallelism(degreeOfParallelism);
        int rows = Validation.Forward(x.Span, gamma.Span, beta.Span, y.Span, hiddenSize, epsilon);
        ForwardParallel(x, gamma, beta, y, default, default, rows, hiddenSize, epsilon, degreeOfParallelism);
    }

    /// <summary>
    /// As <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>,
    /// with the rows spread over up to <paramref name="degreeOfParallelism"/> threads.
    /// </summary>
    /// <remarks>See <see cref="ForwardParallel(ReadOnlyMemory{float}, ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, int, float, int)"/>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <param name="degreeOfParallelism">The most threads to use, at least 1.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/>, <paramref name="epsilon"/> or
    /// <paramref name="degreeOfParallelism"/> is out of range.</exception>
    public static void ForwardParallel(
        ReadOnlyMemory<float> x, ReadOnlyMemory<float> gamma, ReadOnlyMemory<float> beta, Memory<float> y,
        Memory<float> mean, Memory<float> rstd, int hiddenSize, float epsilon, int degreeOfParallelism)
    {
        Validation.DegreeOfParallelism(degreeOfParallelism);
        int rows = Validation.Forward(x.Span, gamma.Span, beta.Span, y.Span, mean.Span, rstd.Span, hiddenSize, epsilon);
        ForwardParallel(x, gamma, beta, y, mean, rstd, rows, hiddenSize, epsilon, degreeOfParallelism);
    }

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>, with the rows spread over up to <paramref name="degreeOfParallelism"/> threads.
    /// </summary>
    /// <remarks>
    /// dgamma and dbeta are reduced from fixed blocks of rows combined in a fixed order (see <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>),
    /// so every output is bit-identical to the serial call's, for any degree of parallelism. Small calls run serially.
    /// </remarks>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="mean">Per-row mean saved by the forward pass (length checked; used as in <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>).</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="dbeta">Gradient with respect to beta, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="degreeOfParallelism">The most threads to use, at least 1.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="degreeOfParallelism"/> is out of range.</exception>
    public static void BackwardParallel(
        ReadOnlyMemory<float> dy, ReadOnlyMemory<float> x, ReadOnlyMemory<float> gamma,
        ReadOnlyMemory<float> mean, ReadOnlyMemory<float> rstd,
        Memory<float> dx, Memory<float> dgamma, Memory<float> dbeta, int hiddenSize, int degreeOfParallelism)
    {
        Validation.DegreeOfParallelism(degreeOfParallelism);
        int rows = Validation.Backward(dy.Span, x.Span, gamma.Span, mean.Span, rstd.Span, dx.Span, dgamma.Span, dbeta.Span, hiddenSize);
        BackwardParallel(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
    }

    /// <summary>LayerNorm without bias (PyTorch's <c>bias=False</c>): y = (x − mean) / sqrt(var + epsilon) · gamma, row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Gamma;
        int rows = Validation.Forward(parts, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, default, gamma, default, default, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardNoBias</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Gamma | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, default, gamma, default, default, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, default, gamma, default, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>LayerNorm without learned parameters (PyTorch's <c>elementwise_affine=False</c>): y = (x − mean) / sqrt(var + epsilon), row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoAffine(ReadOnlySpan<float> x, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.None;
        int rows = Validation.Forward(parts, x, default, default, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, default, default, default, default, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardNoAffine</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoAffine(ReadOnlySpan<float> x, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, default, default, default, default, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, default, default, default, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>Gradients of <c>ForwardNoBias</c>: dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with g = dy · gamma; <paramref name="dgamma"/> is overwritten with Σ_rows dy · xhat (summed as in <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>).</summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input (for a residual forward, its <c>sum</c>).</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="mean">Per-row mean saved by the forward pass (length checked; used as in <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>: the pivot, corrected from <paramref name="x"/>, and ignored where it is far from the row's own).</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void BackwardNoBias(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, int hiddenSize)
    {
        int rows = Validation.Backward(NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);
        Backward<ScaleOnly, float, float>(dy, x, gamma, mean, rstd, dx, dgamma, default, rows, hiddenSize);
    }

    /// <summary>Gradients of <c>ForwardNoAffine</c>: dx = rstd · (dy − mean(dy) − xhat · mean(dy · xhat)).</summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input (for a residual forward, its <c>sum</c>).</param>
    /// <param name="mean">Per-row mean saved by the forward pass (length checked; used as in <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>: the pivot, corrected from <paramref name="x"/>, and ignored where it is far from the row's own).</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void BackwardNoAffine(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, int hiddenSize)
    {
        int rows = Validation.Backward(NormParts.Mean, dy, x, default, mean, rstd, dx, default, default, hiddenSize);
        Backward<NoAffine, float, float>(dy, x, default, mean, rstd, dx, default, default, rows, hiddenSize);
    }

    /// <summary>Adds a residual and normalizes: sum = x + residual (a float add), then y = LayerNorm(sum) · gamma + beta, row by row; y is bit-identical to <c>Forward</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Beta;
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, gamma, beta, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidual</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>sum = x + residual (a float add), then y = LayerNorm(sum) · gamma without bias, row by row; y is bit-identical to <c>ForwardNoBias</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoBias</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma;
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, gamma, default, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidualNoBias</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoBias</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, gamma, default, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>sum = x + residual (a float add), then y = LayerNorm(sum) without learned parameters, row by row; y is bit-identical to <c>ForwardNoAffine</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoAffine</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoAffine(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual;
        int rows = Validation.Forward(parts, x, residual, default, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, default, default, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidualNoAffine</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoAffine</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoAffine(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, default, default, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows<float, float>(parts, x, residual, default, default, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }


    private static void BackwardParallel<T, TParam>(
        ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma,
        ReadOnlyMemory<float> mean, ReadOnlyMemory<float> rstd,
        Memory<T> dx, Memory<float> dgamma, Memory<float> dbeta, int rows, int hiddenSize, int degreeOfParallelism)
        where T : unmanaged where TParam : unmanaged
    {
        // Decided for the whole call: the scheduler hands each thread blocks of rows far below the threshold.
        bool stream = NonTemporalStores.Pays(x.Span, dy.Span, dx.Span);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            RowScheduler.Backward(new Rows<Simd512, Vector512<float>, ScaleAndShift, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            RowScheduler.Backward(new Rows<Simd256, Vector256<float>, ScaleAndShift, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            RowScheduler.Backward(new Rows<Simd128, Vector128<float>, ScaleAndShift, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
        else
            RowScheduler.Backward(new Rows<Scalar, float, ScaleAndShift, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
    }

    private static void ForwardParallel<T, TParam>(
        ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<TParam> beta, Memory<T> y,
        Memory<float> mean, Memory<float> rstd, int rows, int hiddenSize, float epsilon, int degreeOfParallelism)
        where T : unmanaged where TParam : unmanaged
    {
        if (RowScheduler.ForwardThreads(rows, hiddenSize, degreeOfParallelism) <= 1)
        {
            // Too little work for two threads: exactly the serial call (through the scheduler it measured ~20 % slower
            // at 64×768 and 512×64).
            ForwardRows<ScaleAndShift, PlainInput, T, TParam>(x.Span, default, gamma.Span, beta.Span, default, y.Span, mean.Span, rstd.Span, rows, hiddenSize, epsilon);
            return;
        }
        // Decided for the whole call, as the serial call decides it: each thread gets only a part of the rows.
        bool stream = NonTemporalStores.Pays(x.Span, default, y.Span);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            RowScheduler.Forward(new Rows<Simd512, Vector512<float>, ScaleAndShift, T, TParam>(hiddenSize, epsilon, stream), x, gamma, beta, y, mean, rstd, rows, hiddenSize, degreeOfParallelism);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            RowScheduler.Forward(new Rows<Simd256, Vector256<float>, ScaleAndShift, T, TParam>(hiddenSize, epsilon, stream), x, gamma, beta, y, mean, rstd, rows, hiddenSize, degreeOfParallelism);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            RowScheduler.Forward(new Rows<Simd128, Vector128<float>, ScaleAndShift, T, TParam>(hiddenSize, epsilon, stream), x, gamma, beta, y, mean, rstd, rows, hiddenSize, degreeOfParallelism);
        else
            RowScheduler.Forward(new Rows<Scalar, float, ScaleAndShift, T, TParam>(hiddenSize, epsilon, stream), x, gamma, beta, y, mean, rstd, rows, hiddenSize, degreeOfParallelism);
    }

    /// <summary>The generic row kernels of one width and one variant as an <see cref="IRowKernel"/>, for
    /// <see cref="RowScheduler"/>; <paramref name="stream"/> says whether the outputs
    /// (y, dx) are written non-temporally, decided once for the whole call.</summary>
    private readonly struct Rows<TSimd, TVector, TAffine, T, TParam>(int hiddenSize, float epsilon, bool stream)
        : IRowKernel<T, TParam>
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine
        where T : unmanaged where TParam : unmanaged
    {
        public void Forward(ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta, Span<T> y,
            Span<float> mean, Span<float> rstd, int rows)
            => ForwardRows<TSimd, TVector, TAffine, PlainInput, T, TParam>(x, default, gamma, beta, default, y, mean, rstd, rows, hiddenSize, epsilon, stream);

        public void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean,
            ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows)
            => BackwardRows<TSimd, TVector, TAffine, T, TParam>(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, stream);
    }

    /// <summary>The serial forward of every variant: <paramref name="parts"/> (as validated) picks the affine form; a
    /// non-empty <paramref name="sum"/> means the residual is added first.</summary>
    private static void ForwardRows<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta,
        Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        if ((parts & NormParts.Beta) != 0)
            ForwardRows<ScaleAndShift, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
        else if ((parts & NormParts.Gamma) != 0)
            ForwardRows<ScaleOnly, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<NoAffine, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    private static void ForwardRows<TAffine, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta,
        Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        if (sum.IsEmpty)
            ForwardRows<TAffine, PlainInput, T, TParam>(x, default, gamma, beta, default, y, mean, rstd, rows, hiddenSize, epsilon);
        else
            ForwardRows<TAffine, ResidualInput, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    private static void ForwardRows<TAffine, TInput, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta,
        Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TAffine : struct, IAffine where TInput : struct, IRowInput where T : unmanaged where TParam : unmanaged
    {
        // Calls too large for the cache write y (and sum) around it; never in place.
        bool stream = sum.IsEmpty ? NonTemporalStores.Pays(x, default, y) : NonTemporalStores.Pays(x, residual, sum, y);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            ForwardRows<Simd512, Vector512<float>, TAffine, TInput, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon, stream);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            ForwardRows<Simd256, Vector256<float>, TAffine, TInput, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon, stream);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            ForwardRows<Simd128, Vector128<float>, TAffine, TInput, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon, stream);
        else
            ForwardRows<Scalar, float, TAffine, TInput, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon, stream);
    }

    /// <summary>The forward rows of one width, variant and input, with ordinary stores or, where
    /// <paramref name="stream"/> says so on a vector path, non-temporal ones (the fused form then stores sum apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardRows<TSimd, TVector, TAffine, TInput, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta,
        Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon, bool stream)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where TInput : struct, IRowInput where T : unmanaged where TParam : unmanaged
    {
        if (TSimd.Count > 1 && stream)
        {
            if (typeof(TInput) == typeof(PlainInput))
                ForwardRowLoop<TSimd, TVector, TAffine, PlainInput, StreamingStores, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
            else
                ForwardRowLoop<TSimd, TVector, TAffine, StreamedResidualInput, StreamingStores, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
            NonTemporalStores.Fence();
        }
        else
        {
            ForwardRowLoop<TSimd, TVector, TAffine, TInput, CachedStores, T, TParam>(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
        }
    }

    /// <summary>The forward row loop of one width, variant, input (x, or x + residual stored to sum) and store kind.</summary>
    private static void ForwardRowLoop<TSimd, TVector, TAffine, TInput, TStores, T, TParam>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta,
        Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
        where TInput : struct, IRowInput where TStores : struct, IRowStores
    {
        nuint n = (nuint)hiddenSize;
        bool saveStatistics = !mean.IsEmpty;
        ref TParam gammaRef = ref MemoryMarshal.GetReference(gamma);
        ref TParam betaRef = ref MemoryMarshal.GetReference(beta);
        for (int r = 0; r < rows; r++)
        {
            nuint start = (nuint)r * n;
            ref T xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), start);
            ref T residualRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(residual), start);
            ref T sumRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(sum), start);
            ref T yRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), start);

            // In the fused form the first statistics pass stores sum = x + residual and the later passes read the sum
            // row, which is in L1 by then; where sum is streamed, they add x + residual again and sum is stored apart.
            var (centre, offset, variance) = LayerNormRowKernels.Statistics<TSimd, TVector, TInput, T>(ref xRow, ref residualRow, ref sumRow, hiddenSize);
            // Scalar math: rstd = 1 / sqrt(var + eps), an exact square root and a divide
            float inverseStd = 1f / MathF.Sqrt(variance + epsilon);

            if (TInput.StoresSumApart)
                LayerNormRowKernels.StoreSum<TSimd, TVector, T>(ref xRow, ref residualRow, ref sumRow, n);
            // Scalar math: y = (x − centre − offset) · rstd · gamma + beta (x is the sum in the fused form)
            LayerNormRowKernels.Normalize<TSimd, TVector, TAffine, TInput, TStores, T, TParam>(
                ref xRow, ref residualRow, ref sumRow, ref gammaRef, ref betaRef, ref yRow, n, centre, offset, inverseStd);

            if (saveStatistics)
            {
                mean[r] = centre + offset;
                rstd[r] = inverseStd;
            }
        }
    }

    /// <summary>The serial backward of one variant, through <see cref="RowScheduler"/> (which reduces what is not empty).</summary>
    private static void Backward<TAffine, T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize)
        where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        // Decided for the whole call: the scheduler hands the kernel blocks of rows far below the threshold.
        bool stream = NonTemporalStores.Pays(x, dy, dx);
        if (Vector512.IsHardwareAccelerated && hiddenSize >= Vector512<float>.Count)
            RowScheduler.Backward(new Rows<Simd512, Vector512<float>, TAffine, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
        else if (Vector256.IsHardwareAccelerated && hiddenSize >= Vector256<float>.Count)
            RowScheduler.Backward(new Rows<Simd256, Vector256<float>, TAffine, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
        else if (Vector128.IsHardwareAccelerated && hiddenSize >= Vector128<float>.Count)
            RowScheduler.Backward(new Rows<Simd128, Vector128<float>, TAffine, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
        else
            RowScheduler.Backward(new Rows<Scalar, float, TAffine, T, TParam>(hiddenSize, 0f, stream), dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
    }

    /// <summary>The backward rows of one width and variant, with ordinary stores or, where <paramref name="stream"/>
    /// says so on a vector path, dx written non-temporally.</summary>
    private static void BackwardRows<TSimd, TVector, TAffine, T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize, bool stream)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where T : unmanaged where TParam : unmanaged
    {
        // No fence here: RowScheduler fences once per thread at the end of the call, not after every block of rows.
        if (TSimd.Count > 1 && stream)
            BackwardRowLoop<TSimd, TVector, TAffine, StreamingStores, T, TParam>(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
        else
            BackwardRowLoop<TSimd, TVector, TAffine, CachedStores, T, TParam>(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
    }

    /// <summary>The backward row loop: two passes over x and dy per row, about the saved mean (or, where it fails the
    /// pivot guard or is absent, a centre found from x).</summary>
    private static void BackwardRowLoop<TSimd, TVector, TAffine, TStores, T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize)
        where TSimd : struct, ISimd<TVector> where TVector : struct where TAffine : struct, IAffine where TStores : struct, IRowStores where T : unmanaged where TParam : unmanaged
    {
        nuint n = (nuint)hiddenSize;
        bool hasMean = !mean.IsEmpty;
        ref TParam gammaRef = ref MemoryMarshal.GetReference(gamma);
        ref float dgammaRef = ref MemoryMarshal.GetReference(dgamma);
        ref float dbetaRef = ref MemoryMarshal.GetReference(dbeta);
        for (int r = 0; r < rows; r++)
        {
            ref T xRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nuint)r * n);
            ref T dyRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dy), (nuint)r * n);
            ref T dxRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), (nuint)r * n);
            float inverseStd = rstd[r];
            // Without a saved mean the pivot is NaN, which the guard rejects: the row is then centred from x alone.
            float savedMean = hasMean ? mean[r] : float.NaN;

            // Scalar math: p = mean (checked); d = x − p; g = dy · gamma; Σg; Σg·d; correction = Σd / N
            var (pivot, correction, sumG, sumGD) = LayerNormRowKernels.GradientPivot<TSimd, TVector, TAffine, T, TParam>(
                ref dyRow, ref xRow, ref gammaRef, hiddenSize, savedMean, inverseStd);
            // Scalar math: mean(g) = Σg / N; mean(g · xhat) = (Σg·d − correction · Σg) · rstd / N
            float meanG = sumG / hiddenSize;
            float meanGXhat = (sumGD - correction * sumG) * inverseStd / hiddenSize;

            // Scalar math: xhat = (d − correction) · rstd; dx = rstd · (g − mean(g) − xhat · mean(g · xhat));
            // dgamma += dy · xhat; dbeta += dy
            LayerNormRowKernels.InputGradient<TSimd, TVector, TAffine, TStores, T, TParam>(
                ref dyRow, ref xRow, ref gammaRef, ref dxRow, ref dgammaRef, ref dbetaRef, n, pivot, correction, inverseStd, meanG, meanGXhat);
        }
    }
}
