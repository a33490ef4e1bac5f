using System;

namespace NormGen;

/// <summary>
/// The conversions of one element type that rows and parameters are stored in (float, half, bfloat16), as static
/// members, so that code written once over the type is specialized for each by the JIT. A format is a type of its own
/// because <see cref="Half"/> cannot implement an interface of ours.
/// </summary>
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
}

/// <summary>float storage: the identity, and double → float rounding.</summary>
internal readonly struct SingleFormat : IStorageFormat<float>
{
    public static float ToSingle(float value) => value;
    public static double ToDouble(float value) => value;
    public static float FromSingle(float value) => value;
    public static float FromDouble(double value) => (float)value;
}

/// <summary>IEEE half storage.</summary>
internal readonly struct HalfFormat : IStorageFormat<Half>
{
    public static float ToSingle(Half value) => (float)value;
    public static double ToDouble(Half value) => (float)value;
    public static Half FromSingle(float value) => (Half)value;
    public static Half FromDouble(double value) => CorrectRounding.ToHalf(value);
}

/// <summary>bfloat16 storage.</summary>
internal readonly struct BFloat16Format : IStorageFormat<BFloat16>
{
    public static float ToSingle(BFloat16 value) => (float)value;
    public static double ToDouble(BFloat16 value) => (float)value;
    public static BFloat16 FromSingle(float value) => (BFloat16)value;
    public static BFloat16 FromDouble(double value) => CorrectRounding.ToBFloat16(value);
}
