using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// What the first pass over a row reads: the row x itself (<see cref="PlainInput"/>), or, in the fused residual form,
/// x + residual, kept in sum by the first pass (<see cref="ResidualInput"/>) or, where sum is written non-temporally,
/// recomputed by every pass and stored apart (<see cref="StreamedResidualInput"/>). The row kernels are written once
/// over it; its members are static, so each kernel is specialized for one input and the references the others need
/// cost nothing.
/// </summary>
internal interface IRowInput
{
    /// <summary>Element <paramref name="i"/> of the input.</summary>
    static abstract float Peek<T>(ref T x, ref T residual, nuint i) where T : unmanaged;

    /// <summary>The vector at <paramref name="i"/> of the input.</summary>
    static abstract TVector Value<TSimd, TVector, T>(ref T x, ref T residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged;

    /// <summary>Stores a vector of the input at <paramref name="i"/> of sum (the residual form), or does nothing.
    /// Separate from <see cref="Value"/> so that a pass can load several vectors before it stores any.</summary>
    static abstract void Keep<TSimd, TVector, T>(TVector value, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged;

    /// <summary>Stores an element of the input at <paramref name="i"/> of sum (the residual form), or does nothing.</summary>
    static abstract void Keep<T>(float value, ref T sum, nuint i) where T : unmanaged;

    /// <summary>The vector at <paramref name="i"/> of the input as the passes after the first read it: x, the sum the
    /// first pass stored, or x + residual again.</summary>
    static abstract TVector Again<TSimd, TVector, T>(ref T x, ref T residual, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged;

    /// <summary>Element <paramref name="i"/> of the input as the passes after the first read it.</summary>
    static abstract float Again<T>(ref T x, ref T residual, ref T sum, nuint i) where T : unmanaged;

    /// <summary>Whether sum is stored by its own loop after the statistics (non-temporally), not by the first pass.</summary>
    static abstract bool StoresSumApart { get; }

    /// <summary>Prefetches the input rows' cache lines at <paramref name="offset"/> (which may run past their end).</summary>
    static abstract void Prefetch<T>(ref T x, ref T residual, nuint offset) where T : unmanaged;
}

/// <summary>The row x itself; residual and sum are not touched.</summary>
internal readonly struct PlainInput : IRowInput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Peek<T>(ref T x, ref T residual, nuint i) where T : unmanaged => Storage16.Widen(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector, T>(ref T x, ref T residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged => TSimd.Load(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector, T>(TVector value, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<T>(float value, ref T sum, nuint i) where T : unmanaged
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector, T>(ref T x, ref T residual, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged => TSimd.Load(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again<T>(ref T x, ref T residual, ref T sum, nuint i) where T : unmanaged => Storage16.Widen(ref x, i);

    public static bool StoresSumApart => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch<T>(ref T x, ref T residual, nuint offset) where T : unmanaged => NonTemporalStores.Prefetch(ref x, offset);
}

/// <summary>x + residual, a float add rounded to the row's element type (the value sum holds, so that every pass,
/// the statistics too, sees the stored sum), kept in sum by the first pass. The passes read each element of x and residual
/// before they write the same element of sum, so sum may be either of them.</summary>
internal readonly struct ResidualInput : IRowInput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Peek<T>(ref T x, ref T residual, nuint i) where T : unmanaged =>
        Storage16.Round<T>(Storage16.Widen(ref x, i) + Storage16.Widen(ref residual, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector, T>(ref T x, ref T residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged =>
        TSimd.Round<T>(TSimd.Add(TSimd.Load(ref x, i), TSimd.Load(ref residual, i)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector, T>(TVector value, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged => TSimd.Store(value, ref sum, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<T>(float value, ref T sum, nuint i) where T : unmanaged => Storage16.Narrow(value, ref sum, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector, T>(ref T x, ref T residual, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged => TSimd.Load(ref sum, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again<T>(ref T x, ref T residual, ref T sum, nuint i) where T : unmanaged => Storage16.Widen(ref sum, i);

    public static bool StoresSumApart => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch<T>(ref T x, ref T residual, nuint offset) where T : unmanaged
    {
        NonTemporalStores.Prefetch(ref x, offset);
        NonTemporalStores.Prefetch(ref residual, offset);
    }
}

/// <summary>x + residual, recomputed from x and residual (in L1 after the first pass) by every pass, and stored to sum
/// by a loop of its own after the statistics: with non-temporal stores no pass may read sum back, since its lines have
/// gone to memory. Only for calls where sum is neither input (<see cref="NonTemporalStores.Pays(System.ReadOnlySpan{float},
/// System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, System.ReadOnlySpan{float})"/>).</summary>
internal readonly struct StreamedResidualInput : IRowInput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Peek<T>(ref T x, ref T residual, nuint i) where T : unmanaged =>
        Storage16.Round<T>(Storage16.Widen(ref x, i) + Storage16.Widen(ref residual, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector, T>(ref T x, ref T residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged =>
        TSimd.Round<T>(TSimd.Add(TSimd.Load(ref x, i), TSimd.Load(ref residual, i)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector, T>(TVector value, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<T>(float value, ref T sum, nuint i) where T : unmanaged
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector, T>(ref T x, ref T residual, ref T sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct where T : unmanaged => Value<TSimd, TVector, T>(ref x, ref residual, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again<T>(ref T x, ref T residual, ref T sum, nuint i) where T : unmanaged => Peek(ref x, ref residual, i);

    public static bool StoresSumApart => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch<T>(ref T x, ref T residual, nuint offset) where T : unmanaged => ResidualInput.Prefetch(ref x, ref residual, offset);
}
