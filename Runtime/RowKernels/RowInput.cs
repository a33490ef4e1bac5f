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
    static abstract float Peek(ref float x, ref float residual, nuint i);

    /// <summary>The vector at <paramref name="i"/> of the input.</summary>
    static abstract TVector Value<TSimd, TVector>(ref float x, ref float residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct;

    /// <summary>Stores a vector of the input at <paramref name="i"/> of sum (the residual form), or does nothing.
    /// Separate from <see cref="Value"/> so that a pass can load several vectors before it stores any.</summary>
    static abstract void Keep<TSimd, TVector>(TVector value, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct;

    /// <summary>Stores an element of the input at <paramref name="i"/> of sum (the residual form), or does nothing.</summary>
    static abstract void Keep(float value, ref float sum, nuint i);

    /// <summary>The vector at <paramref name="i"/> of the input as the passes after the first read it: x, the sum the
    /// first pass stored, or x + residual again.</summary>
    static abstract TVector Again<TSimd, TVector>(ref float x, ref float residual, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct;

    /// <summary>Element <paramref name="i"/> of the input as the passes after the first read it.</summary>
    static abstract float Again(ref float x, ref float residual, ref float sum, nuint i);

    /// <summary>Whether sum is stored by its own loop after the statistics (non-temporally), not by the first pass.</summary>
    static abstract bool StoresSumApart { get; }

    /// <summary>Prefetches the input rows' cache lines at <paramref name="offset"/> (which may run past their end).</summary>
    static abstract void Prefetch(ref float x, ref float residual, nuint offset);
}

/// <summary>The row x itself; residual and sum are not touched.</summary>
internal readonly struct PlainInput : IRowInput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Peek(ref float x, ref float residual, nuint i) => Unsafe.Add(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector>(ref float x, ref float residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Load(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector>(TVector value, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep(float value, ref float sum, nuint i)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector>(ref float x, ref float residual, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Load(ref x, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again(ref float x, ref float residual, ref float sum, nuint i) => Unsafe.Add(ref x, i);

    public static bool StoresSumApart => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(ref float x, ref float residual, nuint offset) => NonTemporalStores.Prefetch(ref x, offset);
}

/// <summary>x + residual, a float add, kept in sum by the first pass. The passes read each element of x and residual
/// before they write the same element of sum, so sum may be either of them.</summary>
internal readonly struct ResidualInput : IRowInput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Peek(ref float x, ref float residual, nuint i) => Unsafe.Add(ref x, i) + Unsafe.Add(ref residual, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector>(ref float x, ref float residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Add(TSimd.Load(ref x, i), TSimd.Load(ref residual, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector>(TVector value, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Store(value, ref sum, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep(float value, ref float sum, nuint i) => Unsafe.Add(ref sum, i) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector>(ref float x, ref float residual, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Load(ref sum, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again(ref float x, ref float residual, ref float sum, nuint i) => Unsafe.Add(ref sum, i);

    public static bool StoresSumApart => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(ref float x, ref float residual, nuint offset)
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
    public static float Peek(ref float x, ref float residual, nuint i) => Unsafe.Add(ref x, i) + Unsafe.Add(ref residual, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Value<TSimd, TVector>(ref float x, ref float residual, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => TSimd.Add(TSimd.Load(ref x, i), TSimd.Load(ref residual, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep<TSimd, TVector>(TVector value, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Keep(float value, ref float sum, nuint i)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Again<TSimd, TVector>(ref float x, ref float residual, ref float sum, nuint i)
        where TSimd : struct, ISimd<TVector> where TVector : struct => Value<TSimd, TVector>(ref x, ref residual, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Again(ref float x, ref float residual, ref float sum, nuint i) => Peek(ref x, ref residual, i);

    public static bool StoresSumApart => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(ref float x, ref float residual, nuint offset) => ResidualInput.Prefetch(ref x, ref residual, offset);
}
