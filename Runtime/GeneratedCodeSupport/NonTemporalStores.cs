using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NormGen;

/// <summary>
/// Non-temporal (streaming) stores for large calls: the fused residual kernels write <c>sum</c> and <c>y</c>, forward
/// <c>y</c> and backward <c>dx</c> around the cache, so that no line is read from memory before it is overwritten (write-allocate), and they
/// prefetch the next row's inputs while the current row is written.
/// </summary>
/// <remarks>
/// <para>Public only so that generated code can call it without unsafe code; not meant for direct use, except
/// <see cref="MinimumElements"/>, which tunes when the generated kernels use it.</para>
/// <para>Stores are non-temporal only on x86 (SSE, AVX, AVX-512: MOVNTPS) and ARM64 (AdvSimd: STNP of a vector's two
/// halves), and only at addresses aligned to the vector size; anything else is an ordinary store, so every method here
/// is correct on any address and hardware. The values written never depend on which kind of store was used. Prefetch
/// is x86 only (.NET has no AdvSimd prefetch); elsewhere it does nothing. The fence is x86 only: there MOVNTPS is the
/// one store that a later ordinary store may pass, while on ARM64 STNP is ordered like any other store, by the
/// barriers that a parallel call's join and any hand-over between threads already make.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class NonTemporalStores
{
    /// <summary>
    /// The smallest call, in elements of x, for which the kernels use non-temporal stores. The default, 2 Mi elements,
    /// is where x, residual, sum and y together (16 bytes per element, 32 MiB) no longer fit a 32 MiB last-level cache:
    /// below it the outputs are better left in the cache for whatever reads them next. Forward and backward use the
    /// same threshold.
    /// Process-wide; set it before calling the kernels (0 forces the non-temporal path, <see cref="int.MaxValue"/> turns it off).
    /// </summary>
    public static int MinimumElements { get; set; } = 1 << 21;

    /// <summary>Whether the hardware has non-temporal stores: SSE on x86, AdvSimd on ARM64; the JIT folds it to a constant.</summary>
    private static bool HardwareStores
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Sse.IsSupported || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>
    /// Whether a fused residual call should take the non-temporal path: it is at least <see cref="MinimumElements"/>
    /// long, the hardware has non-temporal stores, and neither output is one of the inputs (the non-temporal path
    /// reads x and residual again after writing sum, so it must not run in place).
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="residual">The residual added to x.</param>
    /// <param name="sum">Output x + residual.</param>
    /// <param name="y">The normalized output.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Pays(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> sum, ReadOnlySpan<float> y) =>
        HardwareStores
        && x.Length >= MinimumElements
        && !sum.Overlaps(x) && !sum.Overlaps(residual)
        && !y.Overlaps(x) && !y.Overlaps(residual);

    /// <summary>
    /// Whether a forward or backward call should write its <paramref name="output"/> (y, or dx) non-temporally: it is
    /// at least <see cref="MinimumElements"/> long, the hardware has non-temporal stores, and the output is neither
    /// input (a kernel that reads an input after writing the output must not run in place).
    /// </summary>
    /// <param name="input">The row input (x).</param>
    /// <param name="otherInput">A second row input (dy for backward), or empty.</param>
    /// <param name="output">The output written non-temporally.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Pays(ReadOnlySpan<float> input, ReadOnlySpan<float> otherInput, ReadOnlySpan<float> output) =>
        HardwareStores
        && output.Length >= MinimumElements
        && !output.Overlaps(input) && !output.Overlaps(otherInput);

    /// <summary>How many floats precede the first address at or after <paramref name="row"/> that is aligned to
    /// <paramref name="lanes"/> floats (a power of two): 0 to <paramref name="lanes"/> − 1.</summary>
    /// <param name="row">The first element of a row.</param>
    /// <param name="lanes">The vector width in floats.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nuint Misalignment(ref float row, int lanes) =>
        // Only a hint for where the aligned stores start: if the GC moves the array afterwards, Store checks again.
        (nuint)(-(nint)Unsafe.AsPointer(ref row)) / sizeof(float) & (nuint)(lanes - 1);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/>[<paramref name="offset"/>], non-temporally when that address is 64-byte aligned.</summary>
    /// <param name="value">The vector to store.</param>
    /// <param name="destination">The row.</param>
    /// <param name="offset">The element offset in the row.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector512<float> value, ref float destination, nuint offset)
    {
        // Pinned for the one store: the alignment is checked on the address actually written.
        fixed (float* address = &Unsafe.Add(ref destination, offset))
        {
            if (Avx512F.IsSupported && ((nuint)address & 63) == 0)
                Avx512F.StoreAlignedNonTemporal(address, value);
            else
                value.Store(address);
        }
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/>[<paramref name="offset"/>], non-temporally when that address is 32-byte aligned.</summary>
    /// <param name="value">The vector to store.</param>
    /// <param name="destination">The row.</param>
    /// <param name="offset">The element offset in the row.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector256<float> value, ref float destination, nuint offset)
    {
        fixed (float* address = &Unsafe.Add(ref destination, offset))
        {
            if (Avx.IsSupported && ((nuint)address & 31) == 0)
                Avx.StoreAlignedNonTemporal(address, value);
            else
                value.Store(address);
        }
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/>[<paramref name="offset"/>], non-temporally when that address is 16-byte aligned
    /// (MOVNTPS on x86, STNP on ARM64).</summary>
    /// <param name="value">The vector to store.</param>
    /// <param name="destination">The row.</param>
    /// <param name="offset">The element offset in the row.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector128<float> value, ref float destination, nuint offset)
    {
        fixed (float* address = &Unsafe.Add(ref destination, offset))
        {
            if (Sse.IsSupported && ((nuint)address & 15) == 0)
                Sse.StoreAlignedNonTemporal(address, value);
            else if (AdvSimd.Arm64.IsSupported && ((nuint)address & 15) == 0)
                // STNP d, d: lanes 0-1 at address, lanes 2-3 at address + 8, the bytes value.Store writes.
                AdvSimd.Arm64.StorePairNonTemporal(address, value.GetLower(), value.GetUpper());
            else
                value.Store(address);
        }
    }

    /// <summary>Stores lanes [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="value"/> to the same
    /// elements of <paramref name="destination"/> with ordinary stores, leaving the other elements untouched: the
    /// partial vectors at a row's ends, whose cache lines the neighbouring rows share.</summary>
    /// <param name="value">The vector whose lane j belongs at <paramref name="destination"/>[j].</param>
    /// <param name="destination">Where lane 0 belongs.</param>
    /// <param name="start">The first lane stored.</param>
    /// <param name="end">One past the last lane stored, at most the lane count.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(Vector512<float> value, ref float destination, nuint start, nuint end) =>
        CopyLanes(ref Unsafe.As<Vector512<float>, float>(ref value), ref destination, start, end);

    /// <inheritdoc cref="StoreLanes(Vector512{float}, ref float, nuint, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(Vector256<float> value, ref float destination, nuint start, nuint end) =>
        CopyLanes(ref Unsafe.As<Vector256<float>, float>(ref value), ref destination, start, end);

    /// <inheritdoc cref="StoreLanes(Vector512{float}, ref float, nuint, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(Vector128<float> value, ref float destination, nuint start, nuint end) =>
        CopyLanes(ref Unsafe.As<Vector128<float>, float>(ref value), ref destination, start, end);

    // The lanes are copied from the vector's stack slot with at most two overlapping moves of 8, 4, 2 or 1 floats, all
    // within [start, end), inlined: a lane-by-lane loop cost about 60 ns per 768-float row, a call to memcpy made the
    // JIT spill every vector register around it, and AVX-512 masked stores were slower still (4096×768, Zen).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyLanes(ref float lanes, ref float destination, nuint start, nuint end)
    {
        if (start >= end)
            return;
        nuint count = end - start;
        ref byte from = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref lanes, start));
        ref byte to = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, start));
        if (count >= 8)
        {
            nuint tail = (count - 8) * sizeof(float);
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<Vector256<float>>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, tail), Unsafe.ReadUnaligned<Vector256<float>>(ref Unsafe.Add(ref from, tail)));
        }
        else if (count >= 4)
        {
            nuint tail = (count - 4) * sizeof(float);
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<Vector128<float>>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, tail), Unsafe.ReadUnaligned<Vector128<float>>(ref Unsafe.Add(ref from, tail)));
        }
        else if (count >= 2)
        {
            nuint tail = (count - 2) * sizeof(float);
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ulong>(ref from));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, tail), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, tail)));
        }
        else
        {
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<float>(ref from));
        }
    }

    /// <summary>Asks for the cache line of <paramref name="row"/>[<paramref name="offset"/>] to be fetched into every
    /// cache level. The offset may run past the end of the buffer: a prefetch never faults.</summary>
    /// <param name="row">A valid element, the base of the offset.</param>
    /// <param name="offset">The element offset from <paramref name="row"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref float row, nuint offset)
    {
        // Not pinned: if the GC moves the buffer, the hint is wasted and nothing else happens. The offset is added to
        // the raw pointer so that no reference past the buffer's end is ever formed.
        if (Sse.IsSupported)
            Sse.Prefetch0((float*)Unsafe.AsPointer(ref row) + offset);
    }

    /// <summary>Orders the non-temporal stores before any later store, so that other threads see them once the call returns
    /// (SFENCE on x86; nothing on ARM64, where STNP needs no more ordering than an ordinary store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (Sse.IsSupported)
            Sse.StoreFence();
    }
}
