using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// The element types rows and parameters are stored in (float, <see cref="Half"/>, <see cref="BFloat16"/>) behind one
/// generic face, so that the generic row kernels are written once over the element type. Loads widen to float in
/// registers (exact); stores round to the element type once, to nearest even, as the casts do
/// (<see cref="Storage16"/>); for float both are plain loads and stores.
/// </summary>
/// <remarks>Every branch tests <c>typeof(T)</c>, a constant of each instantiation (T is a value type), so the JIT keeps
/// exactly one and the float kernels compile as before.</remarks>
internal static class Elements
{
    /// <summary>Element <paramref name="index"/> of <paramref name="source"/> as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Unsafe.Add(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return Storage16.Load(in Unsafe.As<T, Half>(ref source), index);
        return Storage16.Load(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>Rounds <paramref name="value"/> to the element type and stores it at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(float value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Unsafe.Add(ref Unsafe.As<T, float>(ref destination), index) = value;
        else if (typeof(T) == typeof(Half))
            Storage16.Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Storage16.Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary><paramref name="value"/> as the element type holds it: rounded to it and widened back (the identity for
    /// float). What a later load of a stored value reads, without the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round<T>(float value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfConversion.ToSingle(HalfConversion.ToHalfBits(value));
        return BFloat16Conversion.ToSingle(BFloat16Conversion.ToBFloat16Bits(value));
    }

    /// <summary>4 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load128<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return Storage16.LoadVector128(in Unsafe.As<T, Half>(ref source), index);
        return Storage16.LoadVector128(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>8 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return Storage16.LoadVector256(in Unsafe.As<T, Half>(ref source), index);
        return Storage16.LoadVector256(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>16 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return Storage16.LoadVector512(in Unsafe.As<T, Half>(ref source), index);
        return Storage16.LoadVector512(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>Rounds 4 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector128<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Storage16.Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Storage16.Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>Rounds 8 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector256<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Storage16.Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Storage16.Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>Rounds 16 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector512<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Storage16.Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Storage16.Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>4 floats as the element type holds them (rounded and widened back in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Round<T>(Vector128<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfConversion.ToSingle(SignExtend(HalfConversion.ToHalfBits(value)));
        return BFloat16Conversion.ToSingle(BFloat16Conversion.ToBFloat16Bits(value));
    }

    /// <summary>8 floats as the element type holds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round<T>(Vector256<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfConversion.ToSingle(SignExtend(HalfConversion.ToHalfBits(value)));
        return BFloat16Conversion.ToSingle(BFloat16Conversion.ToBFloat16Bits(value));
    }

    /// <summary>16 floats as the element type holds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round<T>(Vector512<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfConversion.ToSingle(SignExtend(HalfConversion.ToHalfBits(value)));
        return BFloat16Conversion.ToSingle(BFloat16Conversion.ToBFloat16Bits(value));
    }

    // A half's bits in the low 16 bits of each lane, sign-extended as the widening loads leave them.
    private static Vector128<int> SignExtend(Vector128<uint> bits) => (bits << 16).AsInt32() >> 16;
    private static Vector256<int> SignExtend(Vector256<uint> bits) => (bits << 16).AsInt32() >> 16;
    private static Vector512<int> SignExtend(Vector512<uint> bits) => (bits << 16).AsInt32() >> 16;
}
