using System.Runtime.CompilerServices;

namespace NormGen;

/// <summary>
/// What the first pass over a row reads: the row x itself (<see cref="PlainInput"/>), or, in the fused residual form,
/// x + residual, kept in sum by the first pass (<see cref="ResidualInput"/>). The row kernels are written once over it;
/// its members are static, so each kernel is specialized for one input and the references the other needs cost nothing.
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

    /// <summary>The row the passes after the first read: x, or the sum the first pass stored.</summary>
    static abstract ref float Row(ref float x, ref float sum);
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
    public static ref float Row(ref float x, ref float sum) => ref x;
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
    public static ref float Row(ref float x, ref float sum) => ref sum;
}
