using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

// The generic face of the conversions, for code written once over the element type (the generic row kernels, the
// references, the tests): internal; generated code calls the concrete members.
// The element types rows and parameters are stored in (float, Half, BFloat16) behind one
// generic face, so that the generic row kernels are written once over the element type. Loads widen to float in
// registers (exact); stores round to the element type once, to nearest even, as the casts do
// (Storage16); for float both are plain loads and stores.
// Every branch tests typeof(T), a constant of each instantiation (T is a value type), so the JIT keeps
// exactly one and the float kernels compile as before.
public static partial class Storage16
{
    /// <summary>Element <paramref name="index"/> of <paramref name="source"/> as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Widen<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Unsafe.Add(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return Load(in Unsafe.As<T, Half>(ref source), index);
        return Load(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>Rounds <paramref name="value"/> to the element type and stores it at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Narrow<T>(float value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Unsafe.Add(ref Unsafe.As<T, float>(ref destination), index) = value;
        else if (typeof(T) == typeof(Half))
            Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary><paramref name="value"/> as the element type holds it: rounded to it and widened back (the identity for
    /// float). What a later load of a stored value reads, without the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Round<T>(float value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfToSingle(SingleToHalfBits(value));
        return BFloat16ToSingle(SingleToBFloat16Bits(value));
    }

    /// <summary>A value as a float (exact for every element type here).</summary>
    internal static float ToSingle<T>(T value) where T : unmanaged => Widen(ref value, 0);

    /// <summary>A value as a double (exact).</summary>
    internal static double ToDouble<T>(T value) where T : unmanaged => Widen(ref value, 0);

    /// <summary>A float rounded to the element type as the cast does: to nearest even, NaN stays NaN, overflow to
    /// ±∞.</summary>
    internal static T FromSingle<T>(float value) where T : unmanaged
    {
        T result = default;
        Narrow(value, ref result, 0);
        return result;
    }

    /// <summary>A double rounded once, correctly, to the element type (not through float, which would round
    /// twice).</summary>
    internal static T FromDouble<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return (T)(object)(float)value;
        if (typeof(T) == typeof(Half))
            return (T)(object)CorrectRounding.ToHalf(value);
        return (T)(object)CorrectRounding.ToBFloat16(value);
    }

    /// <summary>4 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Widen128<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return LoadVector128(in Unsafe.As<T, Half>(ref source), index);
        return LoadVector128(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>8 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Widen256<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return LoadVector256(in Unsafe.As<T, Half>(ref source), index);
        return LoadVector256(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>16 elements from <paramref name="index"/> on, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Widen512<T>(ref T source, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref source), index);
        if (typeof(T) == typeof(Half))
            return LoadVector512(in Unsafe.As<T, Half>(ref source), index);
        return LoadVector512(in Unsafe.As<T, BFloat16>(ref source), index);
    }

    /// <summary>Rounds 4 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Narrow<T>(Vector128<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>Rounds 8 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Narrow<T>(Vector256<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>Rounds 16 floats to the element type and stores them from <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Narrow<T>(Vector512<float> value, ref T destination, nuint index) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            value.StoreUnsafe(ref Unsafe.As<T, float>(ref destination), index);
        else if (typeof(T) == typeof(Half))
            Store(value, ref Unsafe.As<T, Half>(ref destination), index);
        else
            Store(value, ref Unsafe.As<T, BFloat16>(ref destination), index);
    }

    /// <summary>4 floats as the element type holds them (rounded and widened back in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Round<T>(Vector128<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfToSingle(SignExtend(SingleToHalfBits(value)));
        return BFloat16ToSingle(SingleToBFloat16Bits(value));
    }

    /// <summary>8 floats as the element type holds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Round<T>(Vector256<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfToSingle(SignExtend(SingleToHalfBits(value)));
        return BFloat16ToSingle(SingleToBFloat16Bits(value));
    }

    /// <summary>16 floats as the element type holds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Round<T>(Vector512<float> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return value;
        if (typeof(T) == typeof(Half))
            return HalfToSingle(SignExtend(SingleToHalfBits(value)));
        return BFloat16ToSingle(SingleToBFloat16Bits(value));
    }

    // A half's bits in the low 16 bits of each lane, sign-extended as the widening loads leave them.
    private static Vector128<int> SignExtend(Vector128<uint> bits) => (bits << 16).AsInt32() >> 16;
    private static Vector256<int> SignExtend(Vector256<uint> bits) => (bits << 16).AsInt32() >> 16;
    private static Vector512<int> SignExtend(Vector512<uint> bits) => (bits << 16).AsInt32() >> 16;
}
