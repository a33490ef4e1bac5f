using System;
using System.Collections.Generic;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The double → 16-bit rounding the references use: checked against .NET's own (Half)double, an implementation of
/// its own, and, for both formats, against the definition — no representable value is nearer, and a tie goes to the
/// even one — on random doubles, on doubles at, just above and just below every 16-bit tie, and at the ends of the
/// range.
/// </summary>
public class CorrectRoundingTests
{
    [Fact]
    public void ToHalf_AgreesWithTheHalfCastFromDouble()
    {
        foreach (double value in Cases(Format.Half))
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)value);
            ushort actual = BitConverter.HalfToUInt16Bits(CorrectRounding.ToHalf(value));
            if (actual != expected)
                Assert.Fail($"{value:R}: 0x{actual:X4}, (Half)double gives 0x{expected:X4}");
        }
    }

    [Fact]
    public void ToHalf_IsTheNearestHalf_TiesToEven()
    {
        foreach (double value in Cases(Format.Half))
            AssertNearest(value, BitConverter.HalfToUInt16Bits(CorrectRounding.ToHalf(value)), Format.Half);
    }

    [Fact]
    public void ToBFloat16_IsTheNearestBFloat16_TiesToEven()
    {
        foreach (double value in Cases(Format.BFloat16))
            AssertNearest(value, CorrectRounding.ToBFloat16(value).RawValue, Format.BFloat16);
    }

    [Fact]
    public void Specials_PassThrough()
    {
        Assert.True(Half.IsNaN(CorrectRounding.ToHalf(double.NaN)));
        Assert.True(BFloat16.IsNaN(CorrectRounding.ToBFloat16(double.NaN)));
        Assert.Equal(0x7C00, BitConverter.HalfToUInt16Bits(CorrectRounding.ToHalf(double.PositiveInfinity)));
        Assert.Equal(0xFF80, CorrectRounding.ToBFloat16(double.NegativeInfinity).RawValue);
        Assert.Equal(0x8000, BitConverter.HalfToUInt16Bits(CorrectRounding.ToHalf(-0.0)));
        Assert.Equal(0x8000, CorrectRounding.ToBFloat16(-0.0).RawValue);
        Assert.Equal(0x8000, BitConverter.HalfToUInt16Bits(CorrectRounding.ToHalf(-double.Epsilon)));
    }

    private enum Format { Half, BFloat16 }

    private static double ToDouble(ushort bits, Format format) => format == Format.Half
        ? (double)BitConverter.UInt16BitsToHalf(bits)
        : (double)BFloat16.FromBits(bits);

    /// <summary>The result must be the nearest value of the format (±∞ beyond the largest finite one plus half its
    /// ulp), and of two equally near, the one with the even mantissa.</summary>
    private static void AssertNearest(double value, ushort bits, Format format)
    {
        ushort sign = (ushort)(value < 0 || double.IsNegative(value) ? 0x8000 : 0);
        ushort infinity = format == Format.Half ? (ushort)0x7C00 : (ushort)0x7F80;
        double magnitude = Math.Abs(value);
        Assert.True((bits & 0x8000) == sign, $"{value:R}: the sign of 0x{bits:X4}");
        int rounded = bits & 0x7FFF;
        double largest = ToDouble((ushort)(infinity - 1), format);
        double overflow = largest + (largest - ToDouble((ushort)(infinity - 2), format)) / 2;
        if (magnitude >= overflow)
        {
            Assert.True(rounded == infinity, $"{value:R} overflows, but gave 0x{bits:X4}");
            return;
        }
        Assert.True(rounded < infinity, $"{value:R} does not overflow, but gave 0x{bits:X4}");
        double result = ToDouble((ushort)rounded, format);
        double error = Math.Abs(magnitude - result);
        foreach (int neighbour in new[] { rounded - 1, rounded + 1 })
        {
            if (neighbour < 0 || neighbour >= infinity)
                continue;
            double other = Math.Abs(magnitude - ToDouble((ushort)neighbour, format));
            Assert.True(error <= other, $"{value:R}: 0x{neighbour:X4} is nearer than 0x{rounded:X4}");
            if (error == other)
                Assert.True((rounded & 1) == 0, $"{value:R}: a tie goes to the even 0x{neighbour:X4}");
        }
    }

    /// <summary>Random doubles over the whole range of the format and beyond, and every tie with its neighbours at a
    /// distance far below float's resolution, where a rounding through float would go wrong.</summary>
    private static IEnumerable<double> Cases(Format format)
    {
        var random = new Random(format == Format.Half ? 11 : 12);
        int minExponent = format == Format.Half ? -26 : -135, maxExponent = format == Format.Half ? 17 : 129;
        for (int i = 0; i < 200_000; i++)
        {
            double value = (1 + random.NextDouble()) * Math.ScaleB(1, random.Next(minExponent, maxExponent));
            yield return random.Next(2) == 0 ? value : -value;
        }

        ushort infinity = format == Format.Half ? (ushort)0x7C00 : (ushort)0x7F80;
        for (int bits = 0; bits < infinity; bits++)
        {
            double value = ToDouble((ushort)bits, format);
            double next = bits + 1 == infinity
                ? 2 * value - ToDouble((ushort)(bits - 1), format)   // the first value past the largest finite one
                : ToDouble((ushort)(bits + 1), format);
            double tie = (value + next) / 2;
            double tiny = Math.Abs(tie) * Math.ScaleB(1, -40);   // far below float's half ulp
            double[] near = [value, tie, tie + tiny, tie - tiny, Math.BitIncrement(tie), Math.BitDecrement(tie)];
            foreach (double v in near)
            {
                yield return v;
                yield return -v;
            }
        }
        yield return double.MaxValue;
        yield return double.Epsilon;
        yield return 1e-300;
        yield return 1e300;
    }
}
