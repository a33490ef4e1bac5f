using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// One element type that rows and parameters are stored in (float, half, bfloat16), as static members, so that code
/// written once over the type — the 16-bit references now, the generic row kernels later — is specialized for each by
/// the JIT. A format is a type of its own because <see cref="Half"/> cannot implement an interface of ours.
/// </summary>
/// <remarks>Loads widen to float in registers (exact); stores round to the element type to nearest even, as the
/// scalar cast does (<see cref="Storage16"/>). For float both are plain loads and stores.</remarks>
/// <typeparam name="T">The element type.</typeparam>
internal interface IStorageFormat<T> where T : unmanaged
{
    /// <summary>The element as a float (exact for every format here).</summary>
    static abstract float ToSingle(T value);

    /// <summary>The element as a double (exact).</summary>
    static abstract double ToDouble(T value);

    /// <summary>A float rounded to the element type as the cast does: to nearest even, NaN stays NaN, overflow to
    /// ±∞.</summary>
    static abstract T FromSingle(float value);

    /// <summary>A double rounded once, correctly, to the element type (not through float).</summary>
    static abstract T FromDouble(double value);

    /// <summary>4 elements from <paramref name="source"/>[<paramref name="elementOffset"/>] on, as floats.</summary>
    static abstract Vector128<float> LoadVector128(ref readonly T source, nuint elementOffset);

    /// <summary>8 elements from <paramref name="source"/>[<paramref name="elementOffset"/>] on, as floats.</summary>
    static abstract Vector256<float> LoadVector256(ref readonly T source, nuint elementOffset);

    /// <summary>16 elements from <paramref name="source"/>[<paramref name="elementOffset"/>] on, as floats.</summary>
    static abstract Vector512<float> LoadVector512(ref readonly T source, nuint elementOffset);

    /// <summary>Rounds 4 floats to the element type and stores them from
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    static abstract void Store(Vector128<float> value, ref T destination, nuint elementOffset);

    /// <summary>Rounds 8 floats to the element type and stores them.</summary>
    static abstract void Store(Vector256<float> value, ref T destination, nuint elementOffset);

    /// <summary>Rounds 16 floats to the element type and stores them.</summary>
    static abstract void Store(Vector512<float> value, ref T destination, nuint elementOffset);
}

/// <summary>float storage: the identity, and double → float rounding.</summary>
internal readonly struct SingleFormat : IStorageFormat<float>
{
    public static float ToSingle(float value) => value;
    public static double ToDouble(float value) => value;
    public static float FromSingle(float value) => value;
    public static float FromDouble(double value) => (float)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref readonly float source, nuint elementOffset) =>
        Vector128.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref readonly float source, nuint elementOffset) =>
        Vector256.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref readonly float source, nuint elementOffset) =>
        Vector512.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint elementOffset) =>
        value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint elementOffset) =>
        value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint elementOffset) =>
        value.StoreUnsafe(ref destination, elementOffset);
}

/// <summary>IEEE half storage.</summary>
internal readonly struct HalfFormat : IStorageFormat<Half>
{
    public static float ToSingle(Half value) => (float)value;
    public static double ToDouble(Half value) => (float)value;
    public static Half FromSingle(float value) => (Half)value;
    public static Half FromDouble(double value) => CorrectRounding.ToHalf(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref readonly Half source, nuint elementOffset) =>
        Storage16.LoadVector128(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref readonly Half source, nuint elementOffset) =>
        Storage16.LoadVector256(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref readonly Half source, nuint elementOffset) =>
        Storage16.LoadVector512(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref Half destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref Half destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref Half destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);
}

/// <summary>bfloat16 storage.</summary>
internal readonly struct BFloat16Format : IStorageFormat<BFloat16>
{
    public static float ToSingle(BFloat16 value) => (float)value;
    public static double ToDouble(BFloat16 value) => (float)value;
    public static BFloat16 FromSingle(float value) => (BFloat16)value;
    public static BFloat16 FromDouble(double value) => CorrectRounding.ToBFloat16(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref readonly BFloat16 source, nuint elementOffset) =>
        Storage16.LoadVector128(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref readonly BFloat16 source, nuint elementOffset) =>
        Storage16.LoadVector256(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref readonly BFloat16 source, nuint elementOffset) =>
        Storage16.LoadVector512(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Storage16.Store(value, ref destination, elementOffset);
}
