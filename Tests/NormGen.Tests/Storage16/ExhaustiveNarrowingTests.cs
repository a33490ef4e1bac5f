using System;
using System.Threading.Tasks;
using Xunit;

namespace NormGen.Tests;

/// <summary>A test that runs only when NORMGEN_EXHAUSTIVE=1: it takes about a minute per width.</summary>
public sealed class ExhaustiveFactAttribute : FactAttribute
{
    public ExhaustiveFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("NORMGEN_EXHAUSTIVE") != "1")
            Skip = "Exhaustive over all 2^32 floats; set NORMGEN_EXHAUSTIVE=1 to run it.";
    }
}

/// <summary>Every one of the 2^32 floats rounded by every width, against the casts, bit for bit.</summary>
public class ExhaustiveNarrowingTests
{
    private const int Block = 1 << 16;

    [ExhaustiveFact]
    public void EveryFloat_RoundsAsTheCasts_AtEveryWidth()
    {
        // Blocks of 65536 consecutive bit patterns, on every core.
        Parallel.For(0, 1 << 16, block =>
        {
            var source = new float[Block];
            var expectedHalf = new ushort[Block];
            var expectedBFloat16 = new ushort[Block];
            for (int i = 0; i < Block; i++)
            {
                source[i] = BitConverter.UInt32BitsToSingle((uint)block << 16 | (uint)i);
                expectedHalf[i] = BitConverter.HalfToUInt16Bits((Half)source[i]);
                expectedBFloat16[i] = ConversionTests.ExpectedBFloat16(source[i]);
            }
            var half = new Half[Block];
            var bfloat16 = new BFloat16[Block];
            foreach (Width width in Enum.GetValues<Width>())
            {
                Widths.Narrow(width, source, half);
                Widths.Narrow(width, source, bfloat16);
                for (int i = 0; i < Block; i++)
                {
                    if (BitConverter.HalfToUInt16Bits(half[i]) != expectedHalf[i]
                        || bfloat16[i].RawValue != expectedBFloat16[i])
                    {
                        Assert.Fail($"{width}: 0x{BitConverter.SingleToUInt32Bits(source[i]):X8}");
                    }
                }
            }
        });
    }
}
