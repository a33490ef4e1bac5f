using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace NormGen.Tests;

/// <summary>
/// Storage16's widening loads and rounding stores against the scalar casts, bit for bit, NaN payloads included, at
/// every width. Widening is checked on all 65536 patterns; rounding on <see cref="NarrowingCases"/>.
/// </summary>
public class ConversionTests(ITestOutputHelper output)
{
    private static readonly Half[] AllHalves =
        Enumerable.Range(0, 1 << 16).Select(i => BitConverter.UInt16BitsToHalf((ushort)i)).ToArray();

    private static readonly BFloat16[] AllBFloat16s =
        Enumerable.Range(0, 1 << 16).Select(i => BFloat16.FromBits((ushort)i)).ToArray();

    private void Describe(Width width) =>
        output.WriteLine($"{width}: {(Widths.IsAccelerated(width) ? "hardware accelerated" : "software fallback")}");

    [Theory]
    [MemberData(nameof(Widths.All), MemberType = typeof(Widths))]
    public void HalfWidening_EqualsTheCast_OnAllPatterns(Width width)
    {
        Describe(width);
        var widened = new float[AllHalves.Length];
        Widths.Widen(width, AllHalves, widened);
        for (int i = 0; i < AllHalves.Length; i++)
        {
            uint expected = BitConverter.SingleToUInt32Bits((float)AllHalves[i]);
            uint actual = BitConverter.SingleToUInt32Bits(widened[i]);
            if (actual != expected)
                Assert.Fail($"{width}: half 0x{i:X4} widened to 0x{actual:X8}, the cast gives 0x{expected:X8}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths.All), MemberType = typeof(Widths))]
    public void BFloat16Widening_IsTheUpperHalf_OnAllPatterns(Width width)
    {
        Describe(width);
        var widened = new float[AllBFloat16s.Length];
        Widths.Widen(width, AllBFloat16s, widened);
        for (int i = 0; i < AllBFloat16s.Length; i++)
        {
            uint expected = (uint)i << 16;
            uint actual = BitConverter.SingleToUInt32Bits(widened[i]);
            if (actual != expected || BitConverter.SingleToUInt32Bits((float)AllBFloat16s[i]) != expected)
                Assert.Fail($"{width}: bfloat16 0x{i:X4} widened to 0x{actual:X8}, expected 0x{expected:X8}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths.All), MemberType = typeof(Widths))]
    public void HalfRounding_EqualsTheCast(Width width)
    {
        Describe(width);
        float[] cases = NarrowingCases.All;
        var rounded = new Half[cases.Length];
        Widths.Narrow(width, cases, rounded);
        for (int i = 0; i < cases.Length; i++)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)cases[i]);
            ushort actual = BitConverter.HalfToUInt16Bits(rounded[i]);
            if (actual != expected)
            {
                Assert.Fail($"{width}: float 0x{BitConverter.SingleToUInt32Bits(cases[i]):X8} rounded to half " +
                    $"0x{actual:X4}, the cast gives 0x{expected:X4}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths.All), MemberType = typeof(Widths))]
    public void BFloat16Rounding_IsCorrectlyRounded(Width width)
    {
        Describe(width);
        float[] cases = NarrowingCases.All;
        var rounded = new BFloat16[cases.Length];
        Widths.Narrow(width, cases, rounded);
        for (int i = 0; i < cases.Length; i++)
        {
            ushort expected = ExpectedBFloat16(cases[i]);
            if (rounded[i].RawValue != expected || ((BFloat16)cases[i]).RawValue != expected)
            {
                Assert.Fail($"{width}: float 0x{BitConverter.SingleToUInt32Bits(cases[i]):X8} rounded to bfloat16 " +
                    $"0x{rounded[i].RawValue:X4} (cast 0x{((BFloat16)cases[i]).RawValue:X4}), " +
                    $"expected 0x{expected:X4}");
            }
        }
    }

    [Fact]
    public void TheHalfCast_IsCorrectlyRounded_SoTheCastIsTheRightOracle()
    {
        // Independent of the cast: scale to quanta, round half to even in double, scale back.
        foreach (float value in NarrowingCases.All.Where(f => !float.IsNaN(f)))
        {
            Half expected = (Half)CorrectRounding.Round(value, significandBits: 11, minExponent: -14);
            Assert.Equal(BitConverter.HalfToUInt16Bits(expected), BitConverter.HalfToUInt16Bits((Half)value));
        }
    }

    [Fact]
    public void NaNs_AreQuietedAndKeepTheirSignAndTopPayloadBits()
    {
        foreach (float value in NarrowingCases.All.Where(float.IsNaN))
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            ushort half = BitConverter.HalfToUInt16Bits((Half)value);
            Assert.Equal((ushort)(bits >> 16 & 0x8000 | 0x7E00 | bits >> 13 & 0x3FF), half);
            Assert.Equal((ushort)((bits | 0x0040_0000) >> 16), ((BFloat16)value).RawValue);
        }
        // Widening quiets too, as the half cast does, and keeps the payload.
        Assert.Equal(0x7FC0_2000u, BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf(0x7C01)));
    }

    [Fact]
    public void TheISAConfiguration_IsInEffect()
    {
        // .ci/run switches instruction sets off with these variables; each must actually turn its width off, or the
        // four configurations would test the same code.
        static bool Off(string name) => Environment.GetEnvironmentVariable(name) == "0";
        output.WriteLine($"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
            $"Vector128 {Vector128.IsHardwareAccelerated}");
        if (Off("DOTNET_EnableAVX512") || Off("DOTNET_EnableAVX2") || Off("DOTNET_EnableHWIntrinsic"))
            Assert.False(Vector512.IsHardwareAccelerated);
        if (Off("DOTNET_EnableAVX2") || Off("DOTNET_EnableHWIntrinsic"))
            Assert.False(Vector256.IsHardwareAccelerated);
        if (Off("DOTNET_EnableHWIntrinsic"))
            Assert.False(Vector128.IsHardwareAccelerated);
    }

    /// <summary>The bfloat16 nearest to a float, computed apart from the code under test: NaN quieted, else the value
    /// rounded in double to 8 significant bits (ties to even) and its float's upper half (∞ where it
    /// overflows).</summary>
    internal static ushort ExpectedBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits | 0x0040_0000) >> 16);
        float rounded = (float)CorrectRounding.Round(value, significandBits: 8, minExponent: -126);
        return (ushort)(BitConverter.SingleToUInt32Bits(rounded) >> 16);
    }
}

/// <summary>The generic face of Storage16 that code written over the element type uses: its vector loads and stores
/// are the concrete Storage16 members (plain loads and stores for float), and its scalar conversions are the
/// casts.</summary>
public class GenericStorageTests
{
    [Fact]
    public void EveryElementType_RoundTripsThroughEveryWidth()
    {
        RoundTrip<float>(f => f);
        RoundTrip<Half>(f => (float)(Half)f);
        RoundTrip<BFloat16>(f => (float)(BFloat16)f);
    }

    /// <summary>Floats stored through each width and loaded back through each width give the values rounded to
    /// the element type.</summary>
    private static void RoundTrip<T>(Func<float, float> rounded)
        where T : unmanaged
    {
        float[] source = TestRows.Uniform(64, -1000, 1000, seed: 3);
        source[5] = float.NaN;
        source[9] = 1e30f;
        float[] expected = source.Select(rounded).ToArray();
        foreach (int lanes in new[] { 4, 8, 16 })
        {
            var stored = new T[source.Length];
            var loaded = new float[source.Length];
            for (nuint i = 0; i < (nuint)source.Length; i += (nuint)lanes)
            {
                switch (lanes)
                {
                    case 4: Storage16.Narrow(Vector128.LoadUnsafe(ref source[0], i), ref stored[0], i); break;
                    case 8: Storage16.Narrow(Vector256.LoadUnsafe(ref source[0], i), ref stored[0], i); break;
                    default: Storage16.Narrow(Vector512.LoadUnsafe(ref source[0], i), ref stored[0], i); break;
                }
            }
            for (int i = 0; i < source.Length; i++)
            {
                uint bits = BitConverter.SingleToUInt32Bits(expected[i]);
                Assert.Equal(bits, BitConverter.SingleToUInt32Bits(Storage16.ToSingle(stored[i])));
                Assert.Equal(bits, BitConverter.SingleToUInt32Bits(Storage16.ToSingle(Storage16.FromSingle<T>(source[i]))));
            }
            foreach (int loadLanes in new[] { 4, 8, 16 })
            {
                for (nuint i = 0; i < (nuint)source.Length; i += (nuint)loadLanes)
                {
                    switch (loadLanes)
                    {
                        case 4: Storage16.Widen128(ref stored[0], i).StoreUnsafe(ref loaded[0], i); break;
                        case 8: Storage16.Widen256(ref stored[0], i).StoreUnsafe(ref loaded[0], i); break;
                        default: Storage16.Widen512(ref stored[0], i).StoreUnsafe(ref loaded[0], i); break;
                    }
                }
                Assert.Equal(
                    expected.Select(BitConverter.SingleToUInt32Bits), loaded.Select(BitConverter.SingleToUInt32Bits));
            }
        }
    }
}
