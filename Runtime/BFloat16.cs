using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NormGen;

/// <summary>
/// A bfloat16 ("brain floating point") number: the upper 16 bits of an IEEE 754 single-precision float — 1 sign bit,
/// 8 exponent bits, 7 mantissa bits. It has float's range with 8 significant bits, and it is how LLaMA-style
/// checkpoints store weights and activations.
/// </summary>
/// <remarks>
/// <para>.NET 10 has <see cref="Half"/> but no bfloat16 type (<c>System.Numerics.BFloat16</c> arrives in .NET 11).
/// This struct is exactly 2 bytes with the standard bit layout, so raw data can be reinterpreted in place:
/// <c>MemoryMarshal.Cast&lt;ushort, BFloat16&gt;(bits)</c>.</para>
/// <para>It is a storage type: convert to float to compute. <c>(float)b</c> is exact; <c>(BFloat16)f</c> rounds to
/// nearest, ties to even; values beyond the largest finite bfloat16 round to ±∞ as IEEE rounding says, and NaN stays
/// NaN (quieted, keeping its sign and top payload bits), so a NaN never rounds into ∞.</para>
/// <para>Equality follows <see cref="Half"/>: the operators compare as IEEE 754 does (NaN ≠ NaN, +0 == −0), while
/// <see cref="Equals(BFloat16)"/> is an equivalence for collections (every NaN equals every NaN, +0 equals −0, and
/// <see cref="GetHashCode"/> agrees). <see cref="CompareTo(BFloat16)"/> orders NaN below everything, as
/// <see cref="Half.CompareTo(Half)"/> does.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 2)]
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>, IComparable, IFormattable
{
    private const ushort SignBit = 0x8000;
    private const ushort ExponentBits = 0x7F80;
    private const ushort MantissaBits = 0x007F;

    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>The bfloat16 with these bits: the upper 16 bits of the float it stands for.</summary>
    /// <param name="bits">Sign, exponent and mantissa, as stored.</param>
    /// <returns>The value, without any rounding or NaN quieting.</returns>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>The stored bits: sign, exponent and mantissa, the upper half of the equivalent float.</summary>
    public ushort RawValue => _bits;

    /// <summary>Positive zero (bits 0x0000).</summary>
    public static BFloat16 Zero => new(0x0000);

    /// <summary>Negative zero (bits 0x8000).</summary>
    public static BFloat16 NegativeZero => new(0x8000);

    /// <summary>One (bits 0x3F80).</summary>
    public static BFloat16 One => new(0x3F80);

    /// <summary>The smallest positive value, the subnormal 2^−133 (bits 0x0001).</summary>
    public static BFloat16 Epsilon => new(0x0001);

    /// <summary>The largest finite value, (2 − 2^−7) · 2^127 ≈ 3.39e38 (bits 0x7F7F).</summary>
    public static BFloat16 MaxValue => new(0x7F7F);

    /// <summary>The most negative finite value, −(2 − 2^−7) · 2^127 (bits 0xFF7F).</summary>
    public static BFloat16 MinValue => new(0xFF7F);

    /// <summary>Positive infinity (bits 0x7F80).</summary>
    public static BFloat16 PositiveInfinity => new(0x7F80);

    /// <summary>Negative infinity (bits 0xFF80).</summary>
    public static BFloat16 NegativeInfinity => new(0xFF80);

    /// <summary>A quiet NaN with the sign of <see cref="float.NaN"/> (bits 0xFFC0, what <c>(BFloat16)float.NaN</c>
    /// gives).</summary>
    public static BFloat16 NaN => new(0xFFC0);

    /// <summary>Whether <paramref name="value"/> is NaN (exponent all ones, mantissa not zero).</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsNaN(BFloat16 value) => (value._bits & ~SignBit) > ExponentBits;

    /// <summary>Whether <paramref name="value"/> is +∞ or −∞.</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsInfinity(BFloat16 value) => (value._bits & ~SignBit) == ExponentBits;

    /// <summary>Whether <paramref name="value"/> is +∞.</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsPositiveInfinity(BFloat16 value) => value._bits == 0x7F80;

    /// <summary>Whether <paramref name="value"/> is −∞.</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsNegativeInfinity(BFloat16 value) => value._bits == 0xFF80;

    /// <summary>Whether <paramref name="value"/> is neither ∞ nor NaN (zero, subnormal or normal).</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsFinite(BFloat16 value) => (value._bits & ExponentBits) != ExponentBits;

    /// <summary>Whether the sign bit of <paramref name="value"/> is set: true for −0 and for a NaN with the sign
    /// bit.</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsNegative(BFloat16 value) => (value._bits & SignBit) != 0;

    /// <summary>Whether <paramref name="value"/> is a normal number (finite, not zero, not subnormal).</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsNormal(BFloat16 value)
    {
        int exponent = value._bits & ExponentBits;
        return exponent != 0 && exponent != ExponentBits;
    }

    /// <summary>Whether <paramref name="value"/> is subnormal (exponent zero, mantissa not zero).</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsSubnormal(BFloat16 value) =>
        (value._bits & ExponentBits) == 0 && (value._bits & MantissaBits) != 0;

    /// <summary>Rounds a float to the nearest bfloat16, ties to even. Beyond <see cref="MaxValue"/> it rounds to ±∞ as
    /// IEEE rounding says; NaN stays NaN (quieted, keeping its sign and top 6 payload bits).</summary>
    /// <param name="value">The float to round.</param>
    public static explicit operator BFloat16(float value) => new(Storage16.SingleToBFloat16Bits(value));

    /// <summary>Rounds a double to the nearest bfloat16 once, ties to even (not through float, which would round
    /// twice). Overflow and NaN behave as in the float conversion.</summary>
    /// <param name="value">The double to round.</param>
    public static explicit operator BFloat16(double value) => CorrectRounding.ToBFloat16(value);

    /// <summary>The float with this bfloat16's bits as its upper half: exact, NaN payload included.</summary>
    /// <param name="value">The value to widen.</param>
    public static explicit operator float(BFloat16 value) => Storage16.BFloat16ToSingle(value._bits);

    /// <summary>The double equal to this bfloat16 (exact).</summary>
    /// <param name="value">The value to widen.</param>
    public static explicit operator double(BFloat16 value) => Storage16.BFloat16ToSingle(value._bits);

    /// <summary>IEEE equality: false if either is NaN; +0 equals −0.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(BFloat16 left, BFloat16 right) => (float)left == (float)right;

    /// <summary>IEEE inequality: true if either is NaN; +0 equals −0.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(BFloat16 left, BFloat16 right) => (float)left != (float)right;

    /// <summary>IEEE less-than: false if either is NaN.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <(BFloat16 left, BFloat16 right) => (float)left < (float)right;

    /// <summary>IEEE greater-than: false if either is NaN.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >(BFloat16 left, BFloat16 right) => (float)left > (float)right;

    /// <summary>IEEE less-than-or-equal: false if either is NaN.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <=(BFloat16 left, BFloat16 right) => (float)left <= (float)right;

    /// <summary>IEEE greater-than-or-equal: false if either is NaN.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >=(BFloat16 left, BFloat16 right) => (float)left >= (float)right;

    /// <summary>Equivalence, as <see cref="Half.Equals(Half)"/>: true for the same value, for +0 and −0, and for any
    /// two NaNs (unlike <c>==</c>), so that NaN can be found in a collection.</summary>
    /// <param name="other">The value to compare with.</param>
    public bool Equals(BFloat16 other) => ((float)this).Equals((float)other);

    /// <summary>Whether <paramref name="obj"/> is a <see cref="BFloat16"/> that <see cref="Equals(BFloat16)"/> this
    /// one.</summary>
    /// <param name="obj">The object to compare with.</param>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is BFloat16 other && Equals(other);

    /// <summary>A hash code that agrees with <see cref="Equals(BFloat16)"/>: the same for ±0, and the same for every
    /// NaN.</summary>
    public override int GetHashCode() => ((float)this).GetHashCode();

    /// <summary>Orders as <see cref="Half.CompareTo(Half)"/>: NaN below every number and equal to NaN, −0 equal to
    /// +0.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Negative if this is less than <paramref name="other"/>, zero if equal, positive if greater.</returns>
    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);

    /// <summary>As <see cref="CompareTo(BFloat16)"/>; any <see cref="BFloat16"/> is greater than null.</summary>
    /// <param name="obj">A <see cref="BFloat16"/> or null.</param>
    /// <returns>Negative if this is less than <paramref name="obj"/>, zero if equal, positive if greater.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="BFloat16"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        BFloat16 other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(BFloat16)}.", nameof(obj)),
    };

    /// <summary>The shortest decimal (current culture) that <see cref="Parse(string, IFormatProvider?)"/> turns back
    /// into this value: <c>"3.14"</c> for <c>(BFloat16)3.14f</c>, whose exact value is 3.140625.</summary>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the value. A null or empty format, <c>"G"</c> or <c>"R"</c> gives the shortest round-trip
    /// decimal, as <see cref="ToString()"/>; any other format is applied to the exact value as a float.</summary>
    /// <param name="format">A standard or custom numeric format string, or null.</param>
    /// <param name="formatProvider">Culture-specific formatting; null for the current culture.</param>
    /// <returns>The formatted value.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        float value = (float)this;
        bool shortest = string.IsNullOrEmpty(format)
            || string.Equals(format, "G", StringComparison.OrdinalIgnoreCase)
            || string.Equals(format, "R", StringComparison.OrdinalIgnoreCase);
        if (!shortest || !float.IsFinite(value))
            return value.ToString(format, formatProvider);

        // 3 significant digits tell 8-bit significands apart in most binades and 4 in all; stop at the first that does.
        for (int digits = 1; ; digits++)
        {
            double candidate = double.Parse(
                ((double)value).ToString("E" + (digits - 1), formatProvider), NumberStyles.Float, formatProvider);
            if (digits == 9 || ((BFloat16)candidate)._bits == _bits)
                return candidate.ToString(formatProvider);   // double's own shortest form: "1000", not "1E+03"
        }
    }

    /// <summary>Parses a decimal number (or "NaN", "∞", "Infinity" and their negatives, as <see
    /// cref="float.Parse(string, IFormatProvider?)"/> does) and rounds it to bfloat16.</summary>
    /// <remarks>The decimal is rounded to double, then once to bfloat16. That is the correctly rounded bfloat16 unless
    /// the decimal lies within 2^−53 (relative) of a point halfway between two bfloat16 values without being on it,
    /// which needs about 16 significant digits; every string <see cref="ToString()"/> writes parses back
    /// exactly.</remarks>
    /// <param name="s">The text, in the style <see cref="NumberStyles.Float"/> | <see
    /// cref="NumberStyles.AllowThousands"/>.</param>
    /// <param name="provider">Culture-specific formatting; null for the current culture.</param>
    /// <returns>The parsed value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static BFloat16 Parse(string s, IFormatProvider? provider = null) =>
        (BFloat16)double.Parse(s, NumberStyles.Float | NumberStyles.AllowThousands, provider);

    /// <summary>As <see cref="Parse(string, IFormatProvider?)"/>, returning false instead of throwing.</summary>
    /// <param name="s">The text to parse, or null.</param>
    /// <param name="provider">Culture-specific formatting; null for the current culture.</param>
    /// <param name="result">The parsed value, or zero when parsing failed.</param>
    /// <returns>Whether <paramref name="s"/> was a number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out BFloat16 result)
    {
        bool parsed = double.TryParse(s, NumberStyles.Float | NumberStyles.AllowThousands, provider, out double value);
        result = parsed ? (BFloat16)value : default;
        return parsed;
    }
}
