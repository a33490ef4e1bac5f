using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

// bfloat16 ↔ float, in registers and on scalars. A bfloat16 is the upper half of a float, so widening is a shift;
// narrowing rounds the lower half away, to nearest even. The scalar and vector forms give the same bits.
// No step does float arithmetic, so the result (NaN payloads included) is the same on every platform and
// in the software fallback of an unaccelerated width.
public static partial class Storage16
{
    private const uint Magnitude = 0x7FFF_FFFF;
    private const uint Infinity = 0x7F80_0000;
    private const uint HalfUlpBelow = 0x7FFF;          // 0x8000 − 1: a tie rounds up only when the kept part is odd
    private const uint QuietBit = 0x0040_0000;         // the top mantissa bit, which survives the narrowing

    /// <summary>The float with these bfloat16 bits in its upper half (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// The bfloat16 bits of <paramref name="value"/> rounded to nearest even. Adding 0x7FFF plus the lowest kept bit
    /// carries into the kept half exactly when the dropped half is above a tie, or a tie with an odd kept half; a carry
    /// out of the mantissa steps the exponent, and from the largest finite values it reaches ∞, as rounding should.
    /// NaN keeps its sign and top payload bits and is quieted, so that it can never round into ∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort SingleToBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint rounded = (bits & Magnitude) > Infinity
            ? bits | QuietBit
            : bits + HalfUlpBelow + (bits >> 16 & 1);
        return (ushort)(rounded >> 16);
    }

    /// <summary>bfloat16 bit patterns, zero-extended to 32 bits, as floats (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> BFloat16ToSingle(Vector128<uint> bits) => (bits << 16).AsSingle();

    /// <inheritdoc cref="BFloat16ToSingle(Vector128{uint})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> BFloat16ToSingle(Vector256<uint> bits) => (bits << 16).AsSingle();

    /// <inheritdoc cref="BFloat16ToSingle(Vector128{uint})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> BFloat16ToSingle(Vector512<uint> bits) => (bits << 16).AsSingle();

    /// <summary>Floats rounded to bfloat16 as <see cref="SingleToBFloat16Bits(float)"/> does: each lane's bits in its low 16
    /// bits, the upper 16 bits zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> SingleToBFloat16Bits(Vector128<float> value)
    {
        Vector128<uint> bits = value.AsUInt32();
        Vector128<uint> rounded = bits + Vector128.Create(HalfUlpBelow) + (bits >>> 16 & Vector128<uint>.One);
        Vector128<uint> isNumber = Vector128.Equals(value, value).AsUInt32();
        return Vector128.ConditionalSelect(isNumber, rounded, bits | Vector128.Create(QuietBit)) >>> 16;
    }

    /// <inheritdoc cref="SingleToBFloat16Bits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> SingleToBFloat16Bits(Vector256<float> value)
    {
        Vector256<uint> bits = value.AsUInt32();
        Vector256<uint> rounded = bits + Vector256.Create(HalfUlpBelow) + (bits >>> 16 & Vector256<uint>.One);
        Vector256<uint> isNumber = Vector256.Equals(value, value).AsUInt32();
        return Vector256.ConditionalSelect(isNumber, rounded, bits | Vector256.Create(QuietBit)) >>> 16;
    }

    /// <inheritdoc cref="SingleToBFloat16Bits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<uint> SingleToBFloat16Bits(Vector512<float> value)
    {
        Vector512<uint> bits = value.AsUInt32();
        Vector512<uint> rounded = bits + Vector512.Create(HalfUlpBelow) + (bits >>> 16 & Vector512<uint>.One);
        Vector512<uint> isNumber = Vector512.Equals(value, value).AsUInt32();
        return Vector512.ConditionalSelect(isNumber, rounded, bits | Vector512.Create(QuietBit)) >>> 16;
    }
}
