using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace NormGen.Tests;

/// <summary>The <see cref="BFloat16"/> struct: layout, rounding, classification, equality, formatting.</summary>
public class BFloat16Tests
{
    private static readonly float Tie8 = MathF.ScaleB(1f, -8);   // half a bfloat16 ulp at 1

    private static BFloat16 Bits(int bits) => BFloat16.FromBits((ushort)bits);

    [Fact]
    public void IsTwoBytes_AndRawDataCastsInPlace()
    {
        Assert.Equal(2, Unsafe.SizeOf<BFloat16>());
        Assert.Equal(2, Marshal.SizeOf<BFloat16>());
        ushort[] raw = [0x3F80, 0xC040, 0x7F80, 0x0001];
        Span<BFloat16> values = MemoryMarshal.Cast<ushort, BFloat16>(raw.AsSpan());
        Assert.Equal(raw.Length, values.Length);
        Assert.Equal(new[] { 1f, -3f, float.PositiveInfinity, float.Epsilon * 65536 },
            new[] { (float)values[0], (float)values[1], (float)values[2], (float)values[3] });
        values[0] = (BFloat16)0.5f;
        Assert.Equal(0x3F00, raw[0]);   // a write through the cast lands in the raw data
    }

    [Fact]
    public void FromBitsAndRawValue_RoundTripEveryPattern_AndWideningIsTheUpperHalf()
    {
        for (int i = 0; i <= 0xFFFF; i++)
        {
            BFloat16 value = Bits(i);
            Assert.Equal(i, value.RawValue);
            Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits((float)value));
            Assert.Equal((double)(float)value, (double)value);
        }
    }

    [Fact]
    public void Rounding_TiesGoToEven()
    {
        // 1 + 2^−8 lies halfway between 1 (even mantissa) and 1 + 2^−7 (odd): to 1.
        Assert.Equal(0x3F80, ((BFloat16)(1f + Tie8)).RawValue);
        // 1 + 3·2^−8 lies halfway between 1 + 2^−7 (odd) and 1 + 2^−6 (even): up.
        Assert.Equal(0x3F82, ((BFloat16)(1f + 3 * Tie8)).RawValue);
        // Just above a tie rounds up, just below rounds down.
        Assert.Equal(0x3F81, ((BFloat16)MathF.BitIncrement(1f + Tie8)).RawValue);
        Assert.Equal(0x3F81, ((BFloat16)MathF.BitDecrement(1f + 3 * Tie8)).RawValue);
        // Negative values mirror positive ones.
        Assert.Equal(0xBF80, ((BFloat16)(-1f - Tie8)).RawValue);
        // A carry out of the mantissa steps the exponent: 2 − 2^−9 rounds up to 2.
        Assert.Equal(0x4000, ((BFloat16)(2f - MathF.ScaleB(1f, -9))).RawValue);
        // Subnormals round at the same bit: the smallest float subnormal goes to zero, a tie above the smallest
        // bfloat16 subnormal to even.
        Assert.Equal(0x0000, ((BFloat16)float.Epsilon).RawValue);
        Assert.Equal(0x0002, ((BFloat16)BitConverter.UInt32BitsToSingle(0x0001_8000)).RawValue);
    }

    [Fact]
    public void Overflow_RoundsToInfinity_AndTheLargestFiniteValueStays()
    {
        Assert.Equal(BFloat16.MaxValue.RawValue, ((BFloat16)(float)BFloat16.MaxValue).RawValue);
        Assert.Equal(0x7F7F, ((BFloat16)BitConverter.UInt32BitsToSingle(0x7F7F_7FFF)).RawValue);
        Assert.Equal(0x7F80, ((BFloat16)BitConverter.UInt32BitsToSingle(0x7F7F_8000)).RawValue);   // tie to even: ∞
        Assert.Equal(0x7F80, ((BFloat16)float.MaxValue).RawValue);
        Assert.Equal(0xFF80, ((BFloat16)float.MinValue).RawValue);
        Assert.Equal(0x7F80, ((BFloat16)float.PositiveInfinity).RawValue);
        Assert.Equal(0xFF80, ((BFloat16)float.NegativeInfinity).RawValue);
        Assert.Equal(0x7F80, ((BFloat16)1e300).RawValue);
    }

    [Fact]
    public void NaN_StaysNaN_IsQuieted_AndNeverRoundsIntoInfinity()
    {
        // A signalling NaN with only the lowest payload bit: truncating would make it ∞, rounding would carry.
        BFloat16 fromSignalling = (BFloat16)BitConverter.UInt32BitsToSingle(0x7F80_0001);
        Assert.True(BFloat16.IsNaN(fromSignalling));
        Assert.Equal(0x7FC0, fromSignalling.RawValue);
        // All payload bits set: adding a rounding bias would carry into the sign.
        Assert.Equal(0x7FFF, ((BFloat16)BitConverter.UInt32BitsToSingle(0x7FFF_FFFF)).RawValue);
        Assert.Equal(0xFFFF, ((BFloat16)BitConverter.UInt32BitsToSingle(0xFFFF_FFFF)).RawValue);
        Assert.Equal(0xFFC0, ((BFloat16)float.NaN).RawValue);
        Assert.Equal(BFloat16.NaN.RawValue, ((BFloat16)float.NaN).RawValue);
        Assert.True(BFloat16.IsNaN((BFloat16)double.NaN));
        Assert.True(float.IsNaN((float)BFloat16.NaN));
    }

    [Fact]
    public void DoubleConversion_RoundsOnce_NotThroughFloat()
    {
        // 1 + 2^−8 + 2^−30 is just above the tie between 1 and 1 + 2^−7. Through float it would become the tie
        // itself (2^−30 is below float's half ulp at 1) and then go to even, down to 1: wrong by one ulp.
        double justAboveTie = 1 + Math.ScaleB(1, -8) + Math.ScaleB(1, -30);
        Assert.Equal(0x3F80, ((BFloat16)(float)justAboveTie).RawValue);   // the double rounding
        Assert.Equal(0x3F81, ((BFloat16)justAboveTie).RawValue);          // the correct rounding
        Assert.Equal(0x3F80, ((BFloat16)(1 + Math.ScaleB(1, -8))).RawValue);   // the exact tie goes to even
        Assert.Equal(0x8000, ((BFloat16)(-1e-300)).RawValue);                 // underflow keeps the sign
    }

    [Fact]
    public void Constants_HaveTheirStandardBits()
    {
        Assert.Equal(0x0000, BFloat16.Zero.RawValue);
        Assert.Equal(0x8000, BFloat16.NegativeZero.RawValue);
        Assert.Equal(1f, (float)BFloat16.One);
        Assert.Equal(MathF.ScaleB(1, -133), (float)BFloat16.Epsilon);
        Assert.Equal((2 - MathF.ScaleB(1, -7)) * MathF.ScaleB(1, 127), (float)BFloat16.MaxValue);
        Assert.Equal(-(float)BFloat16.MaxValue, (float)BFloat16.MinValue);
        Assert.Equal(float.PositiveInfinity, (float)BFloat16.PositiveInfinity);
        Assert.Equal(float.NegativeInfinity, (float)BFloat16.NegativeInfinity);
        Assert.Equal(default(BFloat16).RawValue, BFloat16.Zero.RawValue);
    }

    [Fact]
    public void Classification_AgreesWithFloat_OnEveryPattern()
    {
        for (int i = 0; i <= 0xFFFF; i++)
        {
            BFloat16 value = Bits(i);
            float f = (float)value;
            Assert.Equal(float.IsNaN(f), BFloat16.IsNaN(value));
            Assert.Equal(float.IsInfinity(f), BFloat16.IsInfinity(value));
            Assert.Equal(float.IsPositiveInfinity(f), BFloat16.IsPositiveInfinity(value));
            Assert.Equal(float.IsNegativeInfinity(f), BFloat16.IsNegativeInfinity(value));
            Assert.Equal(float.IsFinite(f), BFloat16.IsFinite(value));
            Assert.Equal(float.IsNegative(f), BFloat16.IsNegative(value));
            Assert.Equal(float.IsNormal(f), BFloat16.IsNormal(value));
            Assert.Equal(float.IsSubnormal(f), BFloat16.IsSubnormal(value));
        }
    }

    [Fact]
    public void Equality_FollowsHalf()
    {
        BFloat16 nan = BFloat16.NaN, otherNaN = Bits(0x7FC1);
        BFloat16 zero = BFloat16.Zero, negativeZero = BFloat16.NegativeZero;
        Half halfNaN = Half.NaN, halfOtherNaN = BitConverter.UInt16BitsToHalf(0x7E01);

        // The operators are IEEE's: NaN is unequal to everything, itself included; the zeros are equal.
        BFloat16 sameNaN = nan;
        Half sameHalfNaN = halfNaN;
        Assert.Equal(halfNaN == sameHalfNaN, nan == sameNaN);
        Assert.False(nan == sameNaN);
        Assert.True(nan != sameNaN);
        Assert.True(zero == negativeZero);
        Assert.False(zero != negativeZero);
        Assert.False(nan < zero || nan > zero || nan <= zero || nan >= zero);
        Assert.True(negativeZero <= zero && negativeZero >= zero && !(negativeZero < zero));
        Assert.True((BFloat16)1f < (BFloat16)2f && (BFloat16)2f > (BFloat16)1f);

        // Equals is an equivalence: every NaN equals every NaN, the zeros are equal, and the hash codes agree.
        Assert.Equal(halfNaN.Equals(halfOtherNaN), nan.Equals(otherNaN));
        Assert.True(nan.Equals(otherNaN));
        Assert.True(zero.Equals(negativeZero));
        Assert.Equal(nan.GetHashCode(), otherNaN.GetHashCode());
        Assert.Equal(zero.GetHashCode(), negativeZero.GetHashCode());
        Assert.True(((object)zero).Equals(negativeZero));
        Assert.False(((object)zero).Equals(0f));
        Assert.False(((BFloat16)1f).Equals((BFloat16)2f));

        var set = new HashSet<BFloat16> { nan, zero };
        Assert.Contains(otherNaN, set);
        Assert.Contains(negativeZero, set);
    }

    [Fact]
    public void Equality_AgreesWithFloat_OnEveryPairOfNeighbours()
    {
        for (int i = 0; i <= 0xFFFF; i++)
        {
            BFloat16 a = Bits(i), b = Bits((i + 1) & 0xFFFF), c = Bits(i ^ 0x8000);
            foreach (BFloat16 other in new[] { a, b, c })
            {
                float fa = (float)a, fo = (float)other;
                Assert.Equal(fa == fo, a == other);
                Assert.Equal(fa.Equals(fo), a.Equals(other));
                Assert.Equal(fa.CompareTo(fo), a.CompareTo(other));
                if (a.Equals(other))
                    Assert.Equal(a.GetHashCode(), other.GetHashCode());
            }
        }
    }

    [Fact]
    public void CompareTo_OrdersNaNFirst_AsHalfDoes()
    {
        BFloat16[] values = [(BFloat16)2f, BFloat16.NaN, BFloat16.NegativeInfinity, (BFloat16)(-1f), BFloat16.Zero];
        Array.Sort(values);
        Assert.True(BFloat16.IsNaN(values[0]));
        Assert.Equal(new[] { float.NegativeInfinity, -1f, 0f, 2f },
            new[] { (float)values[1], (float)values[2], (float)values[3], (float)values[4] });
        Assert.Equal(Half.NaN.CompareTo(Half.Zero), BFloat16.NaN.CompareTo(BFloat16.Zero));
        Assert.Equal(0, BFloat16.NaN.CompareTo(Bits(0x7FC1)));
        Assert.Equal(0, BFloat16.NegativeZero.CompareTo(BFloat16.Zero));
        Assert.Equal(1, BFloat16.Zero.CompareTo(null));
        Assert.Equal(-1, BFloat16.Zero.CompareTo((object)BFloat16.One));
        ArgumentException wrongType = Assert.Throws<ArgumentException>(() => BFloat16.Zero.CompareTo(0f));
        Assert.Equal("obj", wrongType.ParamName);
    }

    [Fact]
    public void ToString_IsTheShortestRoundTrip()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        Assert.Equal("3.14", ((BFloat16)3.14f).ToString(null, invariant));   // the exact value is 3.140625
        Assert.Equal(3.140625f, (float)(BFloat16)3.14f);
        Assert.Equal("1", BFloat16.One.ToString(null, invariant));
        Assert.Equal("1000", ((BFloat16)1000f).ToString(null, invariant));   // not "1E+03"
        Assert.Equal("256", ((BFloat16)256f).ToString("R", invariant));
        Assert.Equal("-0", BFloat16.NegativeZero.ToString(null, invariant));
        Assert.Equal(float.NaN.ToString(invariant), BFloat16.NaN.ToString(null, invariant));
        Assert.Equal(float.PositiveInfinity.ToString(invariant), BFloat16.PositiveInfinity.ToString(null, invariant));
        Assert.Equal("3,14", ((BFloat16)3.14f).ToString(null, CultureInfo.GetCultureInfo("de-DE")));
        // Other formats apply to the exact value.
        Assert.Equal("3.140625", ((BFloat16)3.14f).ToString("F6", invariant));
        Assert.Equal("3.14", ((BFloat16)3.14f).ToString("G3", invariant));
    }

    [Fact]
    public void ToStringAndParse_RoundTripEveryPattern_AndNoShorterStringWould()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        for (int i = 0; i <= 0xFFFF; i++)
        {
            BFloat16 value = Bits(i);
            string text = value.ToString(null, invariant);
            BFloat16 parsed = BFloat16.Parse(text, invariant);
            if (BFloat16.IsNaN(value))
            {
                Assert.True(BFloat16.IsNaN(parsed));
                continue;
            }
            Assert.Equal(value.RawValue, parsed.RawValue);
            Assert.True(BFloat16.TryParse(text, invariant, out BFloat16 tried));
            Assert.Equal(value.RawValue, tried.RawValue);

            // One significant digit fewer does not round-trip (for more than one digit).
            int digits = SignificantDigits(text);
            if (digits > 1 && BFloat16.IsFinite(value))
            {
                string shorter = ((double)value).ToString("E" + (digits - 2), invariant);
                Assert.NotEqual(value.RawValue, BFloat16.Parse(shorter, invariant).RawValue);
            }
        }
    }

    [Fact]
    public void Parse_RefusesNonNumbers()
    {
        Assert.False(BFloat16.TryParse("abc", CultureInfo.InvariantCulture, out BFloat16 result));
        Assert.Equal(0, result.RawValue);
        Assert.False(BFloat16.TryParse(null, CultureInfo.InvariantCulture, out _));
        Assert.Throws<FormatException>(() => BFloat16.Parse("1.2.3", CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentNullException>(() => BFloat16.Parse(null!, CultureInfo.InvariantCulture));
        Assert.Equal(0x7F80, BFloat16.Parse("1e39", CultureInfo.InvariantCulture).RawValue);   // overflow: ∞
    }

    private static int SignificantDigits(string text)
    {
        string mantissa = text.Split('E', 'e')[0].TrimStart('-').Replace(".", "").TrimStart('0');
        return Math.Max(1, mantissa.TrimEnd('0').Length);
    }
}
