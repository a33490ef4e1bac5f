using System;

namespace NormGen;

/// <summary>
/// Rounding a double once, correctly, to a narrower binary format (half, bfloat16). Rounding it to float first and
/// then to the 16-bit type would round twice, which is wrong near ties: a double just above a 16-bit tie can land on
/// the tie in float and then go to even, the wrong way. The references' "within 1 ulp" contract needs the correctly
/// rounded value.
/// </summary>
internal static class CorrectRounding
{
    /// <summary>
    /// <paramref name="value"/> rounded to nearest, ties to even, among the numbers with
    /// <paramref name="significandBits"/> significant bits (the implicit bit included) whose exponent is at least
    /// <paramref name="minExponent"/>, with subnormals below it: the quantum there is fixed at
    /// 2^(<paramref name="minExponent"/> − <paramref name="significandBits"/> + 1). The result is a double; it is
    /// exactly representable in the format unless it lies above the format's largest finite value, in which case it is
    /// at least the next power of two, which every cast to the format turns into ∞. NaN, ±∞ and ±0 are returned as is.
    /// </summary>
    /// <remarks>Scale to an integer count of quanta, round that to even, scale back. Every step is exact in double
    /// but the one rounding: the quotient is a power-of-two scaling below 2^<paramref
    /// name="significandBits"/>.</remarks>
    public static double Round(double value, int significandBits, int minExponent)
    {
        if (!double.IsFinite(value) || value == 0)
            return value;

        int exponent = Math.Max(Math.ILogB(value), minExponent);
        double quantum = Math.ScaleB(1.0, exponent - (significandBits - 1));
        // Math.Round keeps the sign of a value that rounds to zero, so −tiny gives −0, as a cast does.
        return Math.Round(value / quantum, MidpointRounding.ToEven) * quantum;
    }

    /// <summary><paramref name="value"/> correctly rounded to half (11 significant bits, normals from 2^−14).</summary>
    public static Half ToHalf(double value) => (Half)Round(value, significandBits: 11, minExponent: -14);

    /// <summary><paramref name="value"/> correctly rounded to bfloat16 (8 significant bits, normals from
    /// 2^−126).</summary>
    /// <remarks>The rounded double is a float exactly (or beyond float's range, so ∞), and then exactly a
    /// bfloat16.</remarks>
    public static BFloat16 ToBFloat16(double value) =>
        (BFloat16)(float)Round(value, significandBits: 8, minExponent: -126);
}
