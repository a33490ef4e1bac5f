using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

// The generic row kernels' face of the non-temporal stores, over the row's element type: float rows take the float
// members; 16-bit rows (Half, BFloat16) are stored with ordinary rounding stores, since the generic path decides
// never to stream them (see NonTemporalStores.Pays<T>), and these members only keep one kernel code for every type.
public static partial class NonTemporalStores
{
    /// <summary>Whether a call whose rows are <typeparamref name="T"/> writes its output non-temporally: float rows as
    /// <see cref="Pays(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/> decides, 16-bit rows never.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Pays<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> otherInput, ReadOnlySpan<T> output)
        where T : unmanaged =>
        typeof(T) == typeof(float) && Pays(Floats(input), Floats(otherInput), Floats(output));

    /// <summary>As <see cref="Pays{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/> for the fused form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Pays<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<T> sum, ReadOnlySpan<T> y)
        where T : unmanaged =>
        typeof(T) == typeof(float) && Pays(Floats(x), Floats(residual), Floats(sum), Floats(y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nuint Misalignment<T>(ref T row, int lanes) where T : unmanaged =>
        typeof(T) == typeof(float) ? Misalignment(ref Unsafe.As<T, float>(ref row), lanes) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Prefetch<T>(ref T row, nuint offset) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Prefetch(ref Unsafe.As<T, float>(ref row), offset);
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

    private static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> span) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(span);
}
