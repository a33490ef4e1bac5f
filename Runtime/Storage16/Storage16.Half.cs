using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

// IEEE half ↔ float in registers, for the 16-bit kernels: widen after the load, round before the store. Each lane
// gives exactly what the scalar casts (float)(Half) and (Half)float give, bit for bit, NaN payloads
// included. .NET 10 exposes no F16C, so this is integer and float vector arithmetic on the bit patterns.
// The three widths run the same steps; the Vector128 forms carry the comments. Rounding does no float arithmetic on
// a NaN; widening subtracts +0 from it, which IEEE 754 defines to quiet it and x86 and Arm do keeping the payload, so
// the NaN bits are the cast's there and in the software fallback of an unaccelerated width.
public static partial class Storage16
{
    // Widening.
    private const uint HalfMagnitudeAt13 = 0x0FFF_E000;   // a half's exponent and mantissa bits, shifted left by 13
    private const uint HalfExponentAt13 = 0x0F80_0000;
    private const uint ExponentRebias = 0x3800_0000;      // (127 − 15) << 23, the difference of the exponent biases
    private const uint SubnormalRebias = 0x0080_0000;     // 1 << 23: a subnormal is read with exponent 1 instead of 0
    private const uint SmallestNormalHalf = 0x3880_0000;  // 2^−14 as a float
    private const uint SingleQuietBit = 0x0040_0000;
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

    /// <summary>A half's bits as a float (exact): the steps of <see cref="HalfToSingle(Vector128{int})"/> on one value,
    /// which is faster than the cast on x64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float HalfToSingle(ushort bits)
    {
        uint magnitude = (uint)bits << 13 & HalfMagnitudeAt13;
        uint exponent = magnitude & HalfExponentAt13;
        uint single;
        if (exponent == 0)
        {
            single = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(magnitude + ExponentRebias
                + SubnormalRebias) - BitConverter.UInt32BitsToSingle(SmallestNormalHalf));
        }
        else if (exponent == HalfExponentAt13)
        {
            single = magnitude + 2 * ExponentRebias;
            if (magnitude != HalfExponentAt13)
                single |= SingleQuietBit;   // NaN
        }
        else
        {
            single = magnitude + ExponentRebias;
        }
        return BitConverter.UInt32BitsToSingle(single | ((uint)bits & HalfSign) << 16);
    }

    /// <summary>A float rounded to half, as bits: the steps of <see cref="SingleToHalfBits(Vector128{float})"/> on one value,
    /// which is faster than the cast on x64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort SingleToHalfBits(float value)
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
    /// <para>The half's 15 magnitude bits shifted left by 13 line up with a float's exponent and mantissa. Adding the
    /// difference of the exponent biases (112 &lt;&lt; 23) makes a normal half the same float; ∞ and NaN (exponent 31)
    /// take it twice, to reach exponent 255 with the payload kept. A subnormal (exponent 0, value m · 2^−24) is read
    /// with exponent 1 instead, as 2^−14 + m · 2^−24, and 2^−14 is subtracted: exact, and both operands are normal
    /// floats. The other lanes subtract +0, which changes nothing but quiets a signalling NaN (keeping its payload), as
    /// the scalar cast does.</para>
    /// <para>No float operand or result is ever subnormal: a multiply by 2^112 would do the same in fewer steps but
    /// read float subnormals for half subnormals, which costs 4× here (measured on AMD Zen 4) and more on some
    /// Intel cores. The sign extension has put the sign in bit 31 already.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> HalfToSingle(Vector128<int> bits)
    {
        Vector128<uint> magnitude = bits.AsUInt32() << 13 & Vector128.Create(HalfMagnitudeAt13);
        Vector128<uint> exponent = magnitude & Vector128.Create(HalfExponentAt13);
        Vector128<uint> isSubnormal = Vector128.Equals(exponent, Vector128<uint>.Zero);
        Vector128<uint> isSpecial = Vector128.Equals(exponent, Vector128.Create(HalfExponentAt13));
        Vector128<uint> rebias = Vector128.Create(ExponentRebias)
            + (isSubnormal & Vector128.Create(SubnormalRebias)) + (isSpecial & Vector128.Create(ExponentRebias));
        Vector128<float> value = (magnitude + rebias).AsSingle()
            - (isSubnormal & Vector128.Create(SmallestNormalHalf)).AsSingle();
        return (value.AsUInt32() | (bits.AsUInt32() & Vector128.Create(SingleSign))).AsSingle();
    }

    /// <inheritdoc cref="HalfToSingle(Vector128{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> HalfToSingle(Vector256<int> bits)
    {
        Vector256<uint> magnitude = bits.AsUInt32() << 13 & Vector256.Create(HalfMagnitudeAt13);
        Vector256<uint> exponent = magnitude & Vector256.Create(HalfExponentAt13);
        Vector256<uint> isSubnormal = Vector256.Equals(exponent, Vector256<uint>.Zero);
        Vector256<uint> isSpecial = Vector256.Equals(exponent, Vector256.Create(HalfExponentAt13));
        Vector256<uint> rebias = Vector256.Create(ExponentRebias)
            + (isSubnormal & Vector256.Create(SubnormalRebias)) + (isSpecial & Vector256.Create(ExponentRebias));
        Vector256<float> value = (magnitude + rebias).AsSingle()
            - (isSubnormal & Vector256.Create(SmallestNormalHalf)).AsSingle();
        return (value.AsUInt32() | (bits.AsUInt32() & Vector256.Create(SingleSign))).AsSingle();
    }

    /// <inheritdoc cref="HalfToSingle(Vector128{int})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> HalfToSingle(Vector512<int> bits)
    {
        Vector512<uint> magnitude = bits.AsUInt32() << 13 & Vector512.Create(HalfMagnitudeAt13);
        Vector512<uint> exponent = magnitude & Vector512.Create(HalfExponentAt13);
        Vector512<uint> isSubnormal = Vector512.Equals(exponent, Vector512<uint>.Zero);
        Vector512<uint> isSpecial = Vector512.Equals(exponent, Vector512.Create(HalfExponentAt13));
        Vector512<uint> rebias = Vector512.Create(ExponentRebias)
            + (isSubnormal & Vector512.Create(SubnormalRebias)) + (isSpecial & Vector512.Create(ExponentRebias));
        Vector512<float> value = (magnitude + rebias).AsSingle()
            - (isSubnormal & Vector512.Create(SmallestNormalHalf)).AsSingle();
        return (value.AsUInt32() | (bits.AsUInt32() & Vector512.Create(SingleSign))).AsSingle();
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
    internal static Vector128<uint> SingleToHalfBits(Vector128<float> value)
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

    /// <inheritdoc cref="SingleToHalfBits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> SingleToHalfBits(Vector256<float> value)
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

    /// <inheritdoc cref="SingleToHalfBits(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<uint> SingleToHalfBits(Vector512<float> value)
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
