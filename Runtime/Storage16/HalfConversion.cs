using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// IEEE half ↔ float in registers, for the 16-bit kernels: widen after the load, round before the store. Each lane
/// gives exactly what the scalar casts <c>(float)(Half)</c> and <c>(Half)float</c> give, bit for bit, NaN payloads
/// included. .NET 10 exposes no F16C, so this is integer and float vector arithmetic on the bit patterns.
/// </summary>
/// <remarks>
/// The three widths run the same steps; the Vector128 forms carry the comments. No step does float arithmetic on a NaN,
/// so the NaN bits are the same on every platform and in the software fallback of an unaccelerated width.
/// </remarks>
internal static class HalfConversion
{
    // Widening.
    private const uint HalfMagnitudeAt13 = 0x0FFF_E000;   // a half's exponent and mantissa bits, shifted left by 13
    private const uint Two112 = 0x7780_0000;              // 2^112 = 2^(127 − 15), the difference of the exponent biases
    private const float InfinityAt112 = 65536f;           // 2^16: a half ∞ after the scaling; a NaN is above it
    private const uint SingleQuietBit = 0x0040_0000;
    private const uint SingleExponent = 0x7F80_0000;
    private const uint SingleSign = 0x8000_0000;

    // Narrowing.
    private const int SingleMagnitude = 0x7FFF_FFFF;
    private const int RoundsToInfinity = 0x477F_F000;      // 65520 = 65504 + ulp/2: from here on, a half is ∞
    private const int SmallestNormal = 0x3880_0000;        // 2^−14: below it every half has the ulp 2^−24
    private const int ExponentPlus13 = 0x0680_0000;        // 13 << 23
    private const int HalfExponentRebias = 0x1_F800;       // 126 << 10: the adder's exponent bias, see ToHalfBits
    private const int SingleInfinity = 0x7F80_0000;
    private const int NaNRebias = 0x3_8000;                // (255 − 31) << 10: a float NaN's exponent as a half's
    private const int HalfQuietBit = 0x0200;
    private const uint HalfSign = 0x8000;

    /// <summary>A half's bits as a float (exact): the steps of <see cref="ToSingle(Vector128{int})"/> on one value,
    /// which is faster than the cast on x64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits)
    {
        float magnitude = BitConverter.UInt32BitsToSingle((uint)bits << 13 & HalfMagnitudeAt13)
            * BitConverter.UInt32BitsToSingle(Two112);
        uint result = BitConverter.SingleToUInt32Bits(magnitude) | ((uint)bits & HalfSign) << 16;
        if (magnitude >= InfinityAt112)
            result |= magnitude > InfinityAt112 ? SingleExponent | SingleQuietBit : SingleExponent;
        return BitConverter.UInt32BitsToSingle(result);
    }

    /// <summary>A float rounded to half, as bits: the steps of <see cref="ToHalfBits(Vector128{float})"/> on one value,
    /// which is faster than the cast on x64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToHalfBits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int magnitude = (int)bits & SingleMagnitude;
        int half;
        if (magnitude > SingleInfinity)
        {
            half = ((magnitude >>> 13) | HalfQuietBit) - NaNRebias;
        }
        else
        {
            int clamped = Math.Min(magnitude, RoundsToInfinity);
            int adder = (Math.Max(clamped, SmallestNormal) & SingleInfinity) + ExponentPlus13;
            int sum = BitConverter.SingleToInt32Bits(
                BitConverter.Int32BitsToSingle(clamped) + BitConverter.Int32BitsToSingle(adder));
            half = (sum >>> 13) - HalfExponentRebias + (sum & 0xFFF);
        }
        return (ushort)(half | (int)(bits >> 16 & HalfSign));
    }

    /// <summary>Half bit patterns, sign-extended to 32 bits, as floats (exact).</summary>
    /// <remarks>
    /// The half's 15 magnitude bits shifted left by 13 line up with a float's exponent and mantissa, so read as a float
    /// they are the half's value times 2^−112; multiplying by 2^112 is exact, and it also renormalizes a half subnormal
    /// (it was a float subnormal). Exponent 31 (∞, NaN) lands in [2^16, 2^17); filling its exponent field makes it the
    /// float ∞ or NaN with the same payload, and a NaN also gets the quiet bit, as the scalar cast does. The sign
    /// extension has put the sign in bit 31 already.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ToSingle(Vector128<int> bits)
    {
        Vector128<float> magnitude = (bits.AsUInt32() << 13 & Vector128.Create(HalfMagnitudeAt13)).AsSingle()
            * Vector128.Create(Two112).AsSingle();
        Vector128<float> infinity = Vector128.Create(InfinityAt112);
        Vector128<uint> exponent =
            Vector128.GreaterThanOrEqual(magnitude, infinity).AsUInt32() & Vector128.Create(SingleExponent);
        Vector128<uint> quiet =
            Vector128.GreaterThan(magnitude, infinity).AsUInt32() & Vector128.Create(SingleQuietBit);
        Vector128<uint> sign = bits.AsUInt32() & Vector128.Create(SingleSign);
        return (magnitude.AsUInt32() | exponent | quiet | sign).AsSingle();
    }

    /// <inheritdoc cref="ToSingle(Vector128{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<int> bits)
    {
        Vector256<float> magnitude = (bits.AsUInt32() << 13 & Vector256.Create(HalfMagnitudeAt13)).AsSingle()
            * Vector256.Create(Two112).AsSingle();
        Vector256<float> infinity = Vector256.Create(InfinityAt112);
        Vector256<uint> exponent =
            Vector256.GreaterThanOrEqual(magnitude, infinity).AsUInt32() & Vector256.Create(SingleExponent);
        Vector256<uint> quiet =
            Vector256.GreaterThan(magnitude, infinity).AsUInt32() & Vector256.Create(SingleQuietBit);
        Vector256<uint> sign = bits.AsUInt32() & Vector256.Create(SingleSign);
        return (magnitude.AsUInt32() | exponent | quiet | sign).AsSingle();
    }

    /// <inheritdoc cref="ToSingle(Vector128{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<int> bits)
    {
        Vector512<float> magnitude = (bits.AsUInt32() << 13 & Vector512.Create(HalfMagnitudeAt13)).AsSingle()
            * Vector512.Create(Two112).AsSingle();
        Vector512<float> infinity = Vector512.Create(InfinityAt112);
        Vector512<uint> exponent =
            Vector512.GreaterThanOrEqual(magnitude, infinity).AsUInt32() & Vector512.Create(SingleExponent);
        Vector512<uint> quiet =
            Vector512.GreaterThan(magnitude, infinity).AsUInt32() & Vector512.Create(SingleQuietBit);
        Vector512<uint> sign = bits.AsUInt32() & Vector512.Create(SingleSign);
        return (magnitude.AsUInt32() | exponent | quiet | sign).AsSingle();
    }

    /// <summary>Floats rounded to half, to nearest even: each lane's half bit pattern in its low 16 bits, the upper
    /// 16 bits zero.</summary>
    /// <remarks>
    /// <para>Let e = max(exponent of |x|, −14), so the half ulp of |x| is 2^(e−10). Adding the power of two
    /// 2^(e+13) makes the float adder round |x| to that ulp, to nearest even: the sum's ulp is 2^(e+13−23). The sum
    /// keeps the adder's exponent e + 140 (biased), and its low 12 mantissa bits hold the rounded |x| in half ulps:
    /// 1024 + the half mantissa for a normal, the mantissa alone for a subnormal, 2048 when rounding carried into the
    /// next binade. So (sum &gt;&gt; 13) − (126 &lt;&lt; 10) + (sum &amp; 0xFFF) is the half's exponent and mantissa,
    /// carries included.</para>
    /// <para>|x| ≥ 65520 is clamped to 65520, which rounds (a tie, to even) to exactly the ∞ pattern. NaN: the float's
    /// sign and top 10 payload bits, quieted, as the scalar cast does.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ToHalfBits(Vector128<float> value)
    {
        Vector128<int> magnitude = value.AsInt32() & Vector128.Create(SingleMagnitude);
        Vector128<int> clamped = Vector128.Min(magnitude, Vector128.Create(RoundsToInfinity));
        Vector128<int> normalOrSmallest = Vector128.Max(clamped, Vector128.Create(SmallestNormal));
        Vector128<int> adder = (normalOrSmallest & Vector128.Create(SingleInfinity)) + Vector128.Create(ExponentPlus13);
        Vector128<int> sum = (clamped.AsSingle() + adder.AsSingle()).AsInt32();
        Vector128<int> finite = (sum >>> 13) - Vector128.Create(HalfExponentRebias) + (sum & Vector128.Create(0xFFF));

        Vector128<int> isNaN = Vector128.GreaterThan(magnitude, Vector128.Create(SingleInfinity));
        Vector128<int> nan = ((magnitude >>> 13) | Vector128.Create(HalfQuietBit)) - Vector128.Create(NaNRebias);
        Vector128<uint> sign = value.AsUInt32() >>> 16 & Vector128.Create(HalfSign);
        return Vector128.ConditionalSelect(isNaN, nan, finite).AsUInt32() | sign;
    }

    /// <inheritdoc cref="ToHalfBits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> ToHalfBits(Vector256<float> value)
    {
        Vector256<int> magnitude = value.AsInt32() & Vector256.Create(SingleMagnitude);
        Vector256<int> clamped = Vector256.Min(magnitude, Vector256.Create(RoundsToInfinity));
        Vector256<int> normalOrSmallest = Vector256.Max(clamped, Vector256.Create(SmallestNormal));
        Vector256<int> adder = (normalOrSmallest & Vector256.Create(SingleInfinity)) + Vector256.Create(ExponentPlus13);
        Vector256<int> sum = (clamped.AsSingle() + adder.AsSingle()).AsInt32();
        Vector256<int> finite = (sum >>> 13) - Vector256.Create(HalfExponentRebias) + (sum & Vector256.Create(0xFFF));

        Vector256<int> isNaN = Vector256.GreaterThan(magnitude, Vector256.Create(SingleInfinity));
        Vector256<int> nan = ((magnitude >>> 13) | Vector256.Create(HalfQuietBit)) - Vector256.Create(NaNRebias);
        Vector256<uint> sign = value.AsUInt32() >>> 16 & Vector256.Create(HalfSign);
        return Vector256.ConditionalSelect(isNaN, nan, finite).AsUInt32() | sign;
    }

    /// <inheritdoc cref="ToHalfBits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> ToHalfBits(Vector512<float> value)
    {
        Vector512<int> magnitude = value.AsInt32() & Vector512.Create(SingleMagnitude);
        Vector512<int> clamped = Vector512.Min(magnitude, Vector512.Create(RoundsToInfinity));
        Vector512<int> normalOrSmallest = Vector512.Max(clamped, Vector512.Create(SmallestNormal));
        Vector512<int> adder = (normalOrSmallest & Vector512.Create(SingleInfinity)) + Vector512.Create(ExponentPlus13);
        Vector512<int> sum = (clamped.AsSingle() + adder.AsSingle()).AsInt32();
        Vector512<int> finite = (sum >>> 13) - Vector512.Create(HalfExponentRebias) + (sum & Vector512.Create(0xFFF));

        Vector512<int> isNaN = Vector512.GreaterThan(magnitude, Vector512.Create(SingleInfinity));
        Vector512<int> nan = ((magnitude >>> 13) | Vector512.Create(HalfQuietBit)) - Vector512.Create(NaNRebias);
        Vector512<uint> sign = value.AsUInt32() >>> 16 & Vector512.Create(HalfSign);
        return Vector512.ConditionalSelect(isNaN, nan, finite).AsUInt32() | sign;
    }
}
