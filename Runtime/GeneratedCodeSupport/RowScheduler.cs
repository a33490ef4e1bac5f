using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace NormGen;

/// <summary>
/// How rows are grouped and spread over threads, shared by the generic path and the generated kernels.
/// </summary>
/// <remarks>
/// <para>
/// <b>dgamma and dbeta.</b> The rows are cut into blocks of at most <see cref="BlockRows"/> rows. A block's terms are
/// added row by row into a float partial (a float sum over a few rows loses little); calls of many rows get smaller
/// blocks, down to one row (whose partial is then the row's float terms, exact), so that the partials' rounding stays
/// below the rounding of the terms themselves (see <see cref="BlockRowsFor"/>). Consecutive blocks form chunks; the
/// chunk layout depends on the row count and hidden size only (one chunk per <see cref="MinElementsPerThread"/>
/// elements, at most <see cref="MaxChunks"/>). Each chunk sums its blocks'
/// partials in double, and the chunk sums are added in double in chunk order, then rounded to float once.
/// Serial and parallel calls do exactly these operations in exactly this order, so dgamma and dbeta are
/// bit-identical for any degree of parallelism and any run. Either may be empty: without a bias only dgamma is
/// reduced (the same bits as with one), and with neither there is no reduction, only dx over all rows.
/// </para>
/// <para>
/// <b>Parallel calls</b> split the rows (whole chunks for backward) into contiguous ranges, one per thread. Each row's
/// outputs are computed by the same code whichever thread runs it, so y, mean, rstd and dx are bit-identical too.
/// A call with less than <see cref="MinElementsPerThread"/> elements per thread uses fewer threads; below twice that
/// it runs serially on the calling thread.
/// </para>
/// Public only so that generated code can call it; not meant for direct use.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowScheduler
{
    /// <summary>The most rows per float partial of dgamma and dbeta (calls of more than 4096 rows use fewer).</summary>
    public const int BlockRows = 8;

    /// <summary>Rows × block rows up to which blocks keep <see cref="BlockRows"/> rows; see <see cref="BlockRowsFor"/>.</summary>
    private const int BlockBudget = 4096 * BlockRows;

    /// <summary>The most chunks the blocks are grouped into; also the most threads a backward call uses.</summary>
    public const int MaxChunks = 32;

    /// <summary>Elements (rows × hidden size) a thread must get for a parallel call to use it: 64 Ki floats,
    /// about 40 µs of forward work, far above the cost of handing work to the thread pool.</summary>
    public const int MinElementsPerThread = 1 << 16;

    /// <summary>Stack-allocate the double accumulators up to this many doubles (16 KB).</summary>
    private const int StackDoubles = 2048;

    /// <summary>The serial backward: dx, and dgamma and dbeta overwritten, by the block and chunk scheme above;
    /// <paramref name="mean"/> is cut into the same blocks of rows as <paramref name="rstd"/>.</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <typeparam name="T">The rows' element type (float, or a 16-bit type).</typeparam>
    /// <typeparam name="TParam">The element type of gamma and beta.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="dy">Validated output gradient.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd.</param>
    /// <param name="dx">Validated input gradient.</param>
    /// <param name="dgamma">Validated, overwritten with Σ dy · xhat; or empty (no affine transform).</param>
    /// <param name="dbeta">Validated, overwritten with Σ dy; or empty (no bias).</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    public static void Backward<TKernel, T, TParam>(
        TKernel kernel, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        dgamma.Clear();
        dbeta.Clear();
        if (rows <= BlockRowsFor(rows) || (dgamma.IsEmpty && dbeta.IsEmpty))
        {
            // One block, one chunk: the double sums hold the float partial exactly, so it is the result.
            // Nothing to reduce: dx row by row.
            kernel.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows);
            NonTemporalStores.Fence();
            return;
        }

        Layout layout = new(rows, hiddenSize);
        int width = dgamma.Length + dbeta.Length;
        int doubles = 2 * width;
        Span<double> accumulators = doubles <= StackDoubles
            ? stackalloc double[StackDoubles]
            : ThreadScratch(doubles);
        accumulators = accumulators.Slice(0, doubles);
        Span<double> total = accumulators.Slice(0, width);
        Span<double> chunk = accumulators.Slice(width, width);
        total.Clear();
        for (int c = 0; c < layout.Chunks; c++)
        {
            // dgamma and dbeta serve as the float block partials.
            BackwardChunk(kernel, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, chunk, layout, c, hiddenSize);
            Widen.Add(chunk, total);
        }
        // Once per call, for kernels that wrote dx non-temporally (see IRowKernel's remarks).
        NonTemporalStores.Fence();
        Widen.Narrow(total.Slice(0, dgamma.Length), dgamma);
        Widen.Narrow(total.Slice(dgamma.Length), dbeta);
    }

    /// <summary>The float form of <see cref="Backward{TKernel, T, TParam}(TKernel, ReadOnlySpan{T}, ReadOnlySpan{T},
    /// ReadOnlySpan{TParam}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{T}, Span{float}, Span{float}, int, int)"/>,
    /// which generated code calls (its empty spans are <c>default</c>, which infers no element type).</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="dy">Validated output gradient.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd.</param>
    /// <param name="dx">Validated input gradient.</param>
    /// <param name="dgamma">Validated, overwritten with Σ dy · xhat; or empty (no affine transform).</param>
    /// <param name="dbeta">Validated, overwritten with Σ dy; or empty (no bias).</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    public static void Backward<TKernel>(
        TKernel kernel, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize)
        where TKernel : struct, IRowKernel =>
        Backward<TKernel, float, float>(kernel, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);

    /// <summary>The float form of the parallel forward, which generated code calls.</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="beta">Validated shift.</param>
    /// <param name="y">Validated output.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd, or empty.</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="degreeOfParallelism">The most threads to use; validated to be at least 1.</param>
    public static void Forward<TKernel>(
        TKernel kernel, ReadOnlyMemory<float> x, ReadOnlyMemory<float> gamma, ReadOnlyMemory<float> beta, Memory<float> y,
        Memory<float> mean, Memory<float> rstd, int rows, int hiddenSize, int degreeOfParallelism)
        where TKernel : struct, IRowKernel =>
        Forward<TKernel, float, float>(kernel, x, gamma, beta, y, mean, rstd, rows, hiddenSize, degreeOfParallelism);

    /// <summary>The float form of the parallel backward, which generated code calls.</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="dy">Validated output gradient.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd.</param>
    /// <param name="dx">Validated input gradient.</param>
    /// <param name="dgamma">Validated, overwritten with Σ dy · xhat; or empty (no affine transform).</param>
    /// <param name="dbeta">Validated, overwritten with Σ dy; or empty (no bias).</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="degreeOfParallelism">The most threads to use; validated to be at least 1.</param>
    public static void Backward<TKernel>(
        TKernel kernel, ReadOnlyMemory<float> dy, ReadOnlyMemory<float> x, ReadOnlyMemory<float> gamma,
        ReadOnlyMemory<float> mean, ReadOnlyMemory<float> rstd, Memory<float> dx, Memory<float> dgamma,
        Memory<float> dbeta, int rows, int hiddenSize, int degreeOfParallelism)
        where TKernel : struct, IRowKernel =>
        Backward<TKernel, float, float>(kernel, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize,
            degreeOfParallelism);

    /// <summary>The calling thread's scratch for large hidden sizes: allocated on a thread's first call (or a
    /// larger size), then reused, so serial calls allocate nothing. Nothing here calls out while it is in use.</summary>
    [ThreadStatic]
    private static double[]? t_scratch;

    private static double[] ThreadScratch(int length)
    {
        double[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < length)
            t_scratch = scratch = new double[length];
        return scratch;
    }

    /// <summary>The parallel forward: rows split into contiguous ranges, at most <paramref name="degreeOfParallelism"/> threads.</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <typeparam name="T">The rows' element type (float, or a 16-bit type).</typeparam>
    /// <typeparam name="TParam">The element type of gamma and beta.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="beta">Validated shift.</param>
    /// <param name="y">Validated output.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd, or empty.</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="degreeOfParallelism">The most threads to use; validated to be at least 1.</param>
    public static void Forward<TKernel, T, TParam>(
        TKernel kernel, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<TParam> beta, Memory<T> y,
        Memory<float> mean, Memory<float> rstd, int rows, int hiddenSize, int degreeOfParallelism)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        int threads = ForwardThreads(rows, hiddenSize, degreeOfParallelism);
        if (threads <= 1)
        {
            kernel.Forward(x.Span, gamma.Span, beta.Span, y.Span, mean.Span, rstd.Span, rows);
            return;
        }
        ForwardOnThreads(kernel, x, gamma, beta, y, mean, rstd, rows, hiddenSize, threads);
    }

    // Separate from the serial fallback above, whose call would otherwise allocate the lambda's closure too.
    private static void ForwardOnThreads<TKernel, T, TParam>(
        TKernel kernel, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<TParam> beta, Memory<T> y,
        Memory<float> mean, Memory<float> rstd, int rows, int hiddenSize, int threads)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        // Each statistic on its own: RMSNorm saves rstd without a mean.
        bool saveMean = !mean.IsEmpty, saveRstd = !rstd.IsEmpty;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int first = Split(rows, threads, t), count = Split(rows, threads, t + 1) - first;
            int start = first * hiddenSize, length = count * hiddenSize;
            kernel.Forward(
                x.Span.Slice(start, length), gamma.Span, beta.Span, y.Span.Slice(start, length),
                saveMean ? mean.Span.Slice(first, count) : default,
                saveRstd ? rstd.Span.Slice(first, count) : default,
                count);
        });
    }

    /// <summary>The parallel backward: the serial one's operations, with whole chunks spread over at most
    /// <paramref name="degreeOfParallelism"/> threads; <paramref name="mean"/> is cut as <paramref name="rstd"/>.</summary>
    /// <typeparam name="TKernel">The row kernel.</typeparam>
    /// <typeparam name="T">The rows' element type (float, or a 16-bit type).</typeparam>
    /// <typeparam name="TParam">The element type of gamma and beta.</typeparam>
    /// <param name="kernel">The row kernel.</param>
    /// <param name="dy">Validated output gradient.</param>
    /// <param name="x">Validated input.</param>
    /// <param name="gamma">Validated scale.</param>
    /// <param name="mean">Validated per-row mean, or empty.</param>
    /// <param name="rstd">Validated per-row rstd.</param>
    /// <param name="dx">Validated input gradient.</param>
    /// <param name="dgamma">Validated, overwritten with Σ dy · xhat; or empty (no affine transform).</param>
    /// <param name="dbeta">Validated, overwritten with Σ dy; or empty (no bias).</param>
    /// <param name="rows">Row count.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="degreeOfParallelism">The most threads to use; validated to be at least 1.</param>
    public static void Backward<TKernel, T, TParam>(
        TKernel kernel, ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<float> mean,
        ReadOnlyMemory<float> rstd, Memory<T> dx, Memory<float> dgamma, Memory<float> dbeta, int rows, int hiddenSize,
        int degreeOfParallelism)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        bool reduce = !(dgamma.IsEmpty && dbeta.IsEmpty);
        int threads = reduce
            ? BackwardThreads(rows, hiddenSize, degreeOfParallelism)
            : ForwardThreads(rows, hiddenSize, degreeOfParallelism);
        if (threads <= 1)
        {
            Backward(kernel, dy.Span, x.Span, gamma.Span, mean.Span, rstd.Span, dx.Span, dgamma.Span, dbeta.Span, rows, hiddenSize);
            return;
        }

        if (!reduce)
        {
            // Nothing to reduce: the rows split like the forward's.
            InputGradientOnThreads(kernel, dy, x, gamma, mean, rstd, dx, rows, hiddenSize, threads);
            return;
        }
        BackwardOnThreads(kernel, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, new Layout(rows, hiddenSize), hiddenSize, threads);
    }

    private static void InputGradientOnThreads<TKernel, T, TParam>(
        TKernel kernel, ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<float> mean,
        ReadOnlyMemory<float> rstd, Memory<T> dx, int rows, int hiddenSize, int threads)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        bool hasMean = !mean.IsEmpty;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int first = Split(rows, threads, t), count = Split(rows, threads, t + 1) - first;
            int start = first * hiddenSize, length = count * hiddenSize;
            kernel.Backward(dy.Span.Slice(start, length), x.Span.Slice(start, length), gamma.Span,
                hasMean ? mean.Span.Slice(first, count) : default, rstd.Span.Slice(first, count),
                dx.Span.Slice(start, length), default, default, count);
            NonTemporalStores.Fence();
        });
    }

    private static void BackwardOnThreads<TKernel, T, TParam>(
        TKernel kernel, ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<float> mean,
        ReadOnlyMemory<float> rstd, Memory<T> dx, Memory<float> dgamma, Memory<float> dbeta, Layout layout, int hiddenSize,
        int threads)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        int gammaWidth = dgamma.Length, stride = gammaWidth + dbeta.Length;
        double[] chunkSums = ArrayPool<double>.Shared.Rent(layout.Chunks * stride);
        try
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                float[] partial = ArrayPool<float>.Shared.Rent(stride);
                try
                {
                    Span<float> partialGamma = partial.AsSpan(0, gammaWidth), partialBeta = partial.AsSpan(gammaWidth, stride - gammaWidth);
                    for (int c = Split(layout.Chunks, threads, t); c < Split(layout.Chunks, threads, t + 1); c++)
                    {
                        BackwardChunk(kernel, dy.Span, x.Span, gamma.Span, mean.Span, rstd.Span, dx.Span, partialGamma, partialBeta,
                            chunkSums.AsSpan(c * stride, stride), layout, c, hiddenSize);
                    }
                    NonTemporalStores.Fence();
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(partial);
                }
            });

            // The serial path's order: total = ((0 + chunk 0) + chunk 1) + …
            Span<double> total = chunkSums.AsSpan(0, stride);
            Widen.Add0(total);
            for (int c = 1; c < layout.Chunks; c++)
                Widen.Add(chunkSums.AsSpan(c * stride, stride), total);
            Widen.Narrow(total.Slice(0, gammaWidth), dgamma.Span);
            Widen.Narrow(total.Slice(gammaWidth), dbeta.Span);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(chunkSums);
        }
    }

    /// <summary>
    /// One chunk: for each of its blocks, lets the kernel add the block's rows to the cleared float partials, then adds
    /// them to <paramref name="chunkSum"/> (dgamma terms, then dbeta terms, as many as the partials hold) in double and
    /// clears them for the next block in the same pass.
    /// </summary>
    private static void BackwardChunk<TKernel, T, TParam>(
        TKernel kernel, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<T> dx, Span<float> partialGamma, Span<float> partialBeta, Span<double> chunkSum,
        Layout layout, int chunk, int hiddenSize)
        where TKernel : struct, IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
    {
        chunkSum.Clear();
        Span<double> sumGamma = chunkSum.Slice(0, partialGamma.Length), sumBeta = chunkSum.Slice(partialGamma.Length, partialBeta.Length);
        int firstBlock = chunk * layout.BlocksPerChunk;
        int endBlock = Math.Min(firstBlock + layout.BlocksPerChunk, layout.Blocks);
        partialGamma.Clear();
        partialBeta.Clear();
        for (int b = firstBlock; b < endBlock; b++)
        {
            int first = b * layout.BlockRows, count = Math.Min(layout.BlockRows, layout.Rows - first);
            int start = first * hiddenSize, length = count * hiddenSize;
            kernel.Backward(dy.Slice(start, length), x.Slice(start, length), gamma,
                mean.IsEmpty ? default : mean.Slice(first, count), rstd.Slice(first, count),
                dx.Slice(start, length), partialGamma, partialBeta, count);
            Widen.AddAndClear(partialGamma, sumGamma);
            Widen.AddAndClear(partialBeta, sumBeta);
        }
    }

    /// <summary>
    /// Rows per block for a call of <paramref name="rows"/> rows: <see cref="BlockRows"/> up to 4096 rows, then halved
    /// as the rows double (4 up to 8192, 2 up to 16384), and 1 beyond.
    /// </summary>
    /// <remarks>
    /// Each float addition into a block partial rounds by up to half an ulp of the partial, which grows as √k over a
    /// block's k rows; over R rows in blocks of B those roundings add up to about √(R · B / 2) ulps of one term. The
    /// terms dy · xhat carry their own rounding too (xhat and the product are float), about √R ulps over the rows,
    /// whatever the blocks. Measured at 32768×768 on N(0, 1) data, worst over the columns in units of 1 + |t|: blocks
    /// of 8 gave 1.04e-5 (dgamma) and 1.48e-5 (dbeta, whose terms are exact); with exact sums of the float terms
    /// dgamma is 8–10e-6 (the terms' own floor, three seeds), dbeta exact. Keeping R · B ≤ 4096 · 8 holds the blocks'
    /// part under the terms' part at every row count; a block of one row is one kernel call and one widening per row,
    /// which only calls of many rows pay. Beyond about 40 000 rows the float terms alone exceed 1e-5 · (1 + |t|)
    /// wherever a column's sum is near 0: no float kernel meets the contract there.
    /// </remarks>
    internal static int BlockRowsFor(int rows)
    {
        int blockRows = BlockRows;
        while (blockRows > 1 && (long)rows * blockRows > BlockBudget)
            blockRows /= 2;
        return blockRows;
    }

    /// <summary>The threads a parallel forward call uses (for tests).</summary>
    internal static int ForwardThreads(int rows, int hiddenSize, int degreeOfParallelism) =>
        Threads(rows, hiddenSize, Math.Min(degreeOfParallelism, rows));

    /// <summary>The threads a parallel backward call uses (for tests).</summary>
    internal static int BackwardThreads(int rows, int hiddenSize, int degreeOfParallelism) =>
        rows <= BlockRowsFor(rows) ? 1 : Threads(rows, hiddenSize, Math.Min(degreeOfParallelism, new Layout(rows, hiddenSize).Chunks));

    /// <summary>Threads to use: at most <paramref name="limit"/>, each with at least <see cref="MinElementsPerThread"/> elements.</summary>
    private static int Threads(int rows, int hiddenSize, int limit)
    {
        long byWork = (long)rows * hiddenSize / MinElementsPerThread;
        return (int)Math.Max(1, Math.Min(limit, byWork));
    }

    /// <summary>The start of part <paramref name="part"/> of <paramref name="count"/> items cut into <paramref name="parts"/> near-equal ranges.</summary>
    private static int Split(int count, int parts, int part) => (int)((long)count * part / parts);

    /// <summary>The block and chunk layout of a row count; it depends on nothing else.</summary>
    private readonly struct Layout
    {
        public Layout(int rows, int hiddenSize)
        {
            Rows = rows;
            BlockRows = BlockRowsFor(rows);
            Blocks = (rows + BlockRows - 1) / BlockRows;
            // One chunk per MinElementsPerThread elements (a thread's least share), at most MaxChunks: small calls get one
            // chunk, so their blocks go straight into one double sum.
            int chunks = (int)Math.Clamp((long)rows * hiddenSize / MinElementsPerThread, 1, MaxChunks);
            BlocksPerChunk = Math.Max(1, (Blocks + chunks - 1) / chunks);
            Chunks = (Blocks + BlocksPerChunk - 1) / BlocksPerChunk;
        }

        public int Rows { get; }
        public int BlockRows { get; }
        public int Blocks { get; }
        public int BlocksPerChunk { get; }
        public int Chunks { get; }
    }

    /// <summary>float ↔ double helpers; vectorized, with the same IEEE operations as the scalar loop.</summary>
    private static class Widen
    {
        /// <summary>total[i] += (double)partial[i], then partial[i] = 0.</summary>
        public static void AddAndClear(Span<float> partial, Span<double> total)
        {
            ref float p = ref MemoryMarshal.GetReference(partial);
            ref double s = ref MemoryMarshal.GetReference(total);
            int n = partial.Length, i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                {
                    var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref p, (nuint)i));
                    Vector512<float>.Zero.StoreUnsafe(ref p, (nuint)i);
                    (Vector512.LoadUnsafe(ref s, (nuint)i) + lower).StoreUnsafe(ref s, (nuint)i);
                    (Vector512.LoadUnsafe(ref s, (nuint)i + 8) + upper).StoreUnsafe(ref s, (nuint)i + 8);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                {
                    var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i));
                    Vector256<float>.Zero.StoreUnsafe(ref p, (nuint)i);
                    (Vector256.LoadUnsafe(ref s, (nuint)i) + lower).StoreUnsafe(ref s, (nuint)i);
                    (Vector256.LoadUnsafe(ref s, (nuint)i + 4) + upper).StoreUnsafe(ref s, (nuint)i + 4);
                }
            }
            for (; i < n; i++)
            {
                Unsafe.Add(ref s, i) += Unsafe.Add(ref p, i);
                Unsafe.Add(ref p, i) = 0f;
            }
        }

        /// <summary>total[i] += addend[i].</summary>
        public static void Add(ReadOnlySpan<double> addend, Span<double> total)
        {
            ref double a = ref MemoryMarshal.GetReference(addend);
            ref double s = ref MemoryMarshal.GetReference(total);
            int n = total.Length, i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
                    (Vector256.LoadUnsafe(ref s, (nuint)i) + Vector256.LoadUnsafe(ref a, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
            }
            for (; i < n; i++)
                Unsafe.Add(ref s, i) += Unsafe.Add(ref a, i);
        }

        /// <summary>total[i] = 0 + total[i], the serial path's first addition (it turns −0 into +0).</summary>
        public static void Add0(Span<double> total)
        {
            for (int i = 0; i < total.Length; i++)
                total[i] = 0d + total[i];
        }

        /// <summary>result[i] = (float)total[i], rounded to nearest like the scalar conversion.</summary>
        public static void Narrow(ReadOnlySpan<double> total, Span<float> result)
        {
            ref double s = ref MemoryMarshal.GetReference(total);
            ref float r = ref MemoryMarshal.GetReference(result);
            int n = result.Length, i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                    Vector256.Narrow(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)i + 4)).StoreUnsafe(ref r, (nuint)i);
            }
            for (; i < n; i++)
                Unsafe.Add(ref r, i) = (float)Unsafe.Add(ref s, i);
        }
    }
}
