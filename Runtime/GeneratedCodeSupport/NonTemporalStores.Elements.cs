using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen;

// The generic row kernels' face of the non-temporal stores, over the row's element type: float rows take the float
// members. 16-bit rows (Half, BFloat16) take the same streaming kernels (the output's aligned partition, the prefetch
// ahead) but are written with the ordinary rounding stores: their 16-bit patterns are not yet stored with MOVNT, so
// their output lines are still read for ownership. The same bits either way (NonTemporal16Tests).
public static partial class NonTemporalStores
{
    /// <summary>Whether a call whose rows are <typeparamref name="T"/> writes its output non-temporally, as
    /// <see cref="Pays(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/> decides for float, with the
    /// threshold in bytes: 16-bit rows stream from twice <see cref="MinimumElements"/> elements on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe bool Pays<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> otherInput, ReadOnlySpan<T> output)
        where T : unmanaged =>
        HardwareStores
        && (long)output.Length * sizeof(T) >= (long)MinimumElements * sizeof(float)
        && !output.Overlaps(input) && !output.Overlaps(otherInput);

    /// <summary>As <see cref="Pays{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> for the fused form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe bool Pays<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<T> sum, ReadOnlySpan<T> y)
        where T : unmanaged =>
        HardwareStores
        && (long)x.Length * sizeof(T) >= (long)MinimumElements * sizeof(float)
        && !sum.Overlaps(x) && !sum.Overlaps(residual)
        && !y.Overlaps(x) && !y.Overlaps(residual);

    /// <summary>How many elements precede the first address at or after <paramref name="row"/> aligned to
    /// <paramref name="lanes"/> elements (a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe nuint Misalignment<T>(ref T row, int lanes) where T : unmanaged =>
        (nuint)(-(nint)Unsafe.AsPointer(ref row)) / (nuint)sizeof(T) & (nuint)(lanes - 1);

    /// <summary>Prefetches the cache line of <paramref name="row"/>[<paramref name="offset"/>].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch<T>(ref T row, nuint offset) where T : unmanaged
    {
        if (Sse.IsSupported)
            Sse.Prefetch0((T*)Unsafe.AsPointer(ref row) + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<T>(Vector512<float> value, ref T destination, nuint offset) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Store(value, ref Unsafe.As<T, float>(ref destination), offset);
        else
            Storage16.Narrow(value, ref destination, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<T>(Vector256<float> value, ref T destination, nuint offset) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Store(value, ref Unsafe.As<T, float>(ref destination), offset);
        else
            Storage16.Narrow(value, ref destination, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<T>(Vector128<float> value, ref T destination, nuint offset) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Store(value, ref Unsafe.As<T, float>(ref destination), offset);
        else
            Storage16.Narrow(value, ref destination, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreLanes<T>(Vector512<float> value, ref T destination, nuint start, nuint end)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            StoreLanes(value, ref Unsafe.As<T, float>(ref destination), start, end);
        else
            StoreLanesOneByOne(ref Unsafe.As<Vector512<float>, float>(ref value), ref destination, start, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreLanes<T>(Vector256<float> value, ref T destination, nuint start, nuint end)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            StoreLanes(value, ref Unsafe.As<T, float>(ref destination), start, end);
        else
            StoreLanesOneByOne(ref Unsafe.As<Vector256<float>, float>(ref value), ref destination, start, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreLanes<T>(Vector128<float> value, ref T destination, nuint start, nuint end)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            StoreLanes(value, ref Unsafe.As<T, float>(ref destination), start, end);
        else
            StoreLanesOneByOne(ref Unsafe.As<Vector128<float>, float>(ref value), ref destination, start, end);
    }

    // Each lane rounded by the scalar store, the same bits as the vector store's rounding.
    private static void StoreLanesOneByOne<T>(ref float lanes, ref T destination, nuint start, nuint end)
        where T : unmanaged
    {
        for (nuint i = start; i < end; i++)
            Storage16.Narrow(Unsafe.Add(ref lanes, i), ref destination, i);
    }

}
