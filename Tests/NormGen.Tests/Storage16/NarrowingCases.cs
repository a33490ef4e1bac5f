using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Tests;

/// <summary>
/// The floats the narrowing tests round: a dense sample of all 2^32, which take about a minute per width and
/// configuration (<see cref="ExhaustiveNarrowingTests"/> runs them all when NORMGEN_EXHAUSTIVE=1):
/// <list type="bullet">
/// <item>every upper half (sign, exponent, top 7 mantissa bits: every bfloat16) with lower halves that sit at, next to
/// and between the rounding points of both formats: exact bfloat16 ties (0x8000) and their neighbours, half ties for
/// the normal range (bit 12 alone, with bit 13 even or odd), zero, all ones;</item>
/// <item>every half's tie with the next half up, and the float on either side of it, both signs: this covers every
/// rounding point of half, subnormal ones and the tie at 65520 that rounds to ∞;</item>
/// <item>float subnormals, the boundaries of overflow for both formats, ±0, ±∞, and NaNs with many payloads, quiet and
/// signalling, of both signs.</item>
/// </list>
/// </summary>
public static class NarrowingCases
{
    private static readonly ushort[] LowHalves =
    [
        0x0000, 0x0001, 0x0FFF, 0x1000, 0x1001, 0x1FFF, 0x2000, 0x2FFF, 0x3000, 0x3001, 0x5000, 0x7000,
        0x7FFF, 0x8000, 0x8001, 0x9000, 0xB000, 0xD000, 0xEFFF, 0xF000, 0xF001, 0xFFFF,
    ];

    private static readonly Lazy<float[]> Cases = new(Build);

    /// <summary>The cases, padded to a multiple of 16 lanes (with zeros).</summary>
    public static float[] All => Cases.Value;

    private static float[] Build()
    {
        var bits = new List<uint>();
        for (uint upper = 0; upper <= 0xFFFF; upper++)
            foreach (ushort lower in LowHalves)
                bits.Add(upper << 16 | lower);

        for (int h = 0; h < 0x7C00; h++)   // every finite half ≥ 0, up to its tie with the next (65504 → ∞ at 65520)
        {
            double value = (double)BitConverter.UInt16BitsToHalf((ushort)h);
            double next = h == 0x7BFF ? 65536 : (double)BitConverter.UInt16BitsToHalf((ushort)(h + 1));
            float tie = (float)((value + next) / 2);   // exact: 12 significant bits
            foreach (float f in new[] { tie, MathF.BitDecrement(tie), MathF.BitIncrement(tie) })
            {
                bits.Add(BitConverter.SingleToUInt32Bits(f));
                bits.Add(BitConverter.SingleToUInt32Bits(-f));
            }
        }

        var random = new Random(16);
        for (int i = 0; i < 1 << 16; i++)   // float subnormals
        {
            uint mantissa = (uint)random.Next(1, 1 << 23);
            bits.Add(mantissa);
            bits.Add(mantissa | 0x8000_0000);
        }

        uint[] boundaries =
        [
            0x477F_E000, // 65504, the largest half
            0x477F_EFFF, 0x477F_F000, 0x477F_F001, // around 65520, which rounds to ∞
            0x4780_0000, // 65536
            0x7F7F_0000, // the largest bfloat16
            0x7F7F_7FFF, 0x7F7F_8000, 0x7F7F_8001, // around its tie with ∞
            0x7F7F_FFFF, // float.MaxValue: ∞ in both
            0x7F80_0000, // ∞
            0x0000_0000, 0x0000_0001, 0x0080_0000, // 0, the smallest subnormal and normal float
            0x3380_0000, 0x3380_0001, 0x337F_FFFF, // 2^−24 (the smallest half) and its neighbours
            0x3300_0000, 0x3300_0001, 0x32FF_FFFF, // 2^−25, the tie between 0 and the smallest half
            0x3880_0000, 0x387F_FFFF, 0x387F_E000, 0x387F_F000, // 2^−14 (the smallest normal half) and below
        ];
        foreach (uint b in boundaries)
        {
            bits.Add(b);
            bits.Add(b | 0x8000_0000);
        }

        for (uint payload = 0; payload < 1 << 10; payload++)   // NaN: every value of the bits a half keeps, and more
        {
            foreach (uint low in new uint[] { 0, 1, 0x1000, 0x1FFF })
            {
                uint mantissa = payload << 13 | low;
                if (mantissa == 0)
                    continue;   // that is ∞
                bits.Add(0x7F80_0000 | mantissa);
                bits.Add(0xFF80_0000 | mantissa);
            }
        }

        return Widths.Padded(bits.Select(BitConverter.UInt32BitsToSingle).ToArray(), 0f);
    }
}
