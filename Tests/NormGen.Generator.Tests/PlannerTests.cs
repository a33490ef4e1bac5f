using System.Linq;
using NormGen.Generator.Model;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>The planner's decisions, as data.</summary>
public class PlannerTests
{
    private static KernelPlan Plan(int n) =>
        Planner.Plan(new KernelSpec("A", EquatableArray<TypeDeclarationInfo>.Empty, new TypeDeclarationInfo("static partial", "class", "Norm"), "public", true, n, 1e-5f));

    [Theory]
    [InlineData(1, new[] { "Scalar" })]
    [InlineData(3, new[] { "Scalar" })]
    [InlineData(4, new[] { "Vector128", "Scalar" })]
    [InlineData(15, new[] { "Vector256", "Vector128", "Scalar" })]
    [InlineData(16, new[] { "Vector512", "Vector256", "Vector128", "Scalar" })]
    public void PathsExistOnlyWhereARowHoldsAWholeVector(int n, string[] expected) =>
        Assert.Equal(expected, Plan(n).Paths.Select(p => p.Isa.ToString()));

    [Theory]
    [InlineData(64, "Vector512", 2)]    // 4 vectors, register-resident: two rows per forward iteration
    [InlineData(79, "Vector512", 2)]    // 4 vectors and a tail
    [InlineData(64, "Vector256", 1)]    // 8 vectors: register-resident, but too many registers for two rows
    [InlineData(128, "Vector512", 2)]   // 8 vectors: AVX-512 has 32 registers, enough for two such rows
    [InlineData(143, "Vector512", 2)]   // 8 vectors and a tail
    [InlineData(144, "Vector512", 1)]   // 9 vectors: unrolled, one row at a time
    [InlineData(768, "Vector512", 1)]   // streaming
    [InlineData(4, "Scalar", 1)]        // the scalar path stays one row at a time
    public void ShortRegisterResidentRowsAreInterleavedInPairs(int n, string isa, int rows)
    {
        PathPlan path = Plan(n).Paths.Single(p => p.Isa.ToString() == isa);
        Assert.Equal(rows, path.ForwardRowsPerIteration);
        if (rows == 2)
            Assert.Equal(RowStrategy.RegisterResident, path.Strategy);
    }

    [Fact]
    public void Bert768OnVector256IsAStreamingLoopOfFourAccumulators()
    {
        PathPlan path = Plan(768).Paths.Single(p => p.Isa == VectorIsa.Vector256);
        Assert.Equal(new PathPlan(VectorIsa.Vector256, 8, 96, 0, 4, RowStrategy.Streaming, 4, 24, 1,
            NonTemporalResidual: true, OnePassStatistics: true, NonTemporal: true, PairedPivotSums: true), path);
        Assert.Equal(0, path.RemainderVectors);
        Assert.Equal("768 = 96 × Vector256&lt;float&gt;, tail 0, 4 accumulators, loop of 24 × 4 vectors", Emitter.DescribePath(path, 768));
    }

    [Theory]
    [InlineData(768, "Vector512", false)]   // 32 registers: four accumulators for every sum
    [InlineData(768, "Vector256", true)]    // 16 registers
    [InlineData(768, "Vector128", true)]
    [InlineData(768, "Scalar", true)]
    [InlineData(24, "Vector256", false)]    // 3 vectors, 3 accumulators: 12 with the pivot fits without pairing
    [InlineData(32, "Vector256", true)]
    [InlineData(17, "Vector128", true)]
    [InlineData(64, "Vector256", false)]    // 8 register-resident vectors reduce into 2 accumulators already
    public void BackwardPairsItsDeviationSumsWhereRegistersAreFew(int hiddenSize, string isa, bool paired)
    {
        PathPlan path = Plan(hiddenSize).Paths.Single(p => p.Isa.ToString() == isa);
        Assert.Equal(paired, path.PairedPivotSums);
    }

    [Theory]
    [InlineData(768, "Vector512", true)]    // streaming, no tail, within the limit
    [InlineData(768, "Vector128", true)]
    [InlineData(256, "Vector512", true)]    // 16 vectors, unrolled
    [InlineData(64, "Vector128", true)]     // 16 vectors, unrolled
    [InlineData(100, "Vector128", true)]    // 25 vectors, streaming
    [InlineData(64, "Vector512", false)]    // register-resident
    [InlineData(100, "Vector512", false)]   // register-resident, and a tail
    [InlineData(769, "Vector512", false)]   // a tail
    [InlineData(784, "Vector512", false)]   // 49 vectors, no tail, but wider than the limit
    [InlineData(1024, "Vector512", false)]
    [InlineData(768, "Scalar", false)]      // no non-temporal stores on the scalar path
    public void OnlyTailFreeVectorRowsUpTo768GetTheNonTemporalResidualKernel(int n, string isa, bool expected)
    {
        Assert.Equal(768, Planner.NonTemporalResidualMaxHiddenSize);
        Assert.Equal(expected, Plan(n).Paths.Single(p => p.Isa.ToString() == isa).NonTemporalResidual);
    }

    [Theory]
    [InlineData(768, "Vector512", true)]
    [InlineData(17, "Vector256", true)]     // register-resident rows too
    [InlineData(4, "Vector128", true)]
    [InlineData(768, "Scalar", false)]      // the scalar path's chains are N / 4 deep: it keeps the two-pass form
    [InlineData(1, "Scalar", false)]
    public void LayerNormForwardStatisticsTakeOnePassOnTheVectorPaths(int n, string isa, bool expected) =>
        Assert.Equal(expected, Plan(n).Paths.Single(p => p.Isa.ToString() == isa).OnePassStatistics);

    [Theory]
    [InlineData(768, "Vector512", true)]    // streaming, no tail
    [InlineData(4096, "Vector256", true)]   // no width limit, unlike the fused form's
    [InlineData(65536, "Vector128", true)]
    [InlineData(256, "Vector512", true)]    // 16 vectors, unrolled
    [InlineData(100, "Vector128", true)]    // 25 vectors, streaming
    [InlineData(128, "Vector512", false)]   // register-resident
    [InlineData(769, "Vector256", false)]   // a tail
    [InlineData(1000, "Vector512", false)]  // 62 vectors and a tail of 8
    [InlineData(1000, "Vector256", true)]   // 125 whole vectors
    [InlineData(768, "Scalar", false)]      // no non-temporal stores on the scalar path
    public void TailFreeStreamingAndUnrolledVectorRowsGetNonTemporalForwardAndBackward(int n, string isa, bool expected) =>
        Assert.Equal(expected, Plan(n).Paths.Single(p => p.Isa.ToString() == isa).NonTemporal);

    [Theory]
    [InlineData(128, "Vector512", false)]   // 8 vectors: x and dy beside 16 accumulators spilled on AVX-512 too
    [InlineData(64, "Vector512", true)]     // 4 vectors
    [InlineData(64, "Vector256", false)]    // 8 vectors: 16 registers for the row would spill on AVX2
    [InlineData(32, "Vector256", true)]     // 4 vectors
    [InlineData(16, "Vector128", true)]
    [InlineData(8, "Scalar", false)]
    [InlineData(4, "Scalar", true)]
    public void LayerNormBackwardKeepsTheRowInRegistersUpToTheIsasLimit(int n, string isa, bool expected)
    {
        PathPlan path = Plan(n).Paths.Single(p => p.Isa.ToString() == isa);
        Assert.Equal(RowStrategy.RegisterResident, path.Strategy);
        Assert.Equal(expected, path.BackwardRegisterResident);
    }

    [Theory]
    [InlineData(768, 2)]
    [InlineData(512, 3)]
    [InlineData(256, 6)]
    [InlineData(64, 24)]
    public void NonTemporalKernelsPrefetchAbout6KiBAhead(int n, int rows) =>
        Assert.Equal(rows, Planner.PrefetchRowsAhead(n));

    [Theory]
    [InlineData(17, "Vector256", 2, 1, 2, "RegisterResident")]
    [InlineData(71, "Vector256", 8, 7, 2, "RegisterResident")]   // 5–8 resident vectors: 2 accumulators
    [InlineData(39, "Vector256", 4, 7, 4, "RegisterResident")]
    [InlineData(72, "Vector256", 9, 0, 4, "Unrolled")]
    [InlineData(135, "Vector256", 16, 7, 4, "Unrolled")]
    [InlineData(136, "Vector256", 17, 0, 4, "Streaming")]
    [InlineData(769, "Vector512", 48, 1, 4, "Streaming")]
    [InlineData(7, "Vector128", 1, 3, 1, "RegisterResident")]
    [InlineData(8, "Scalar", 8, 0, 4, "RegisterResident")]      // the scalar path keeps 4
    [InlineData(9, "Scalar", 9, 0, 4, "Unrolled")]
    [InlineData(17, "Scalar", 17, 0, 4, "Streaming")]
    public void StrategyFollowsTheVectorCount(int n, string isa, int fullVectors, int tail, int accumulators, string strategy)
    {
        PathPlan path = Plan(n).Paths.Single(p => p.Isa.ToString() == isa);
        Assert.Equal(fullVectors, path.FullVectors);
        Assert.Equal(tail, path.Tail);
        Assert.Equal(accumulators, path.Accumulators);
        Assert.Equal(strategy, path.Strategy.ToString());
        Assert.Equal(n, path.FullVectors * path.Width + path.Tail);
    }

    [Fact]
    public void StreamingLoopsCoverEveryVectorOnce()
    {
        foreach (int n in new[] { 137, 1000, 4095, 8191, Parser.MaxHiddenSize })
        {
            foreach (PathPlan path in Plan(n).Paths.Where(p => p.Strategy == RowStrategy.Streaming))
            {
                Assert.Equal(Planner.LoopUnroll, path.LoopUnroll);
                Assert.Equal(path.FullVectors, path.LoopVectors + path.RemainderVectors);
                Assert.InRange(path.RemainderVectors, 0, path.LoopUnroll - 1);
            }
        }
    }

    [Fact]
    public void EmittedSizeStopsGrowingOnceLoopsTakeOver()
    {
        // Method size is bounded: the largest supported kernel is no bigger than a mid-size streaming one plus tails.
        int Lines(int n) => Emitter.Emit(Plan(n)).Text.Split('\n').Length;
        Assert.InRange(Lines(Parser.MaxHiddenSize), 1, Lines(1024) + 50);
        Assert.True(Lines(1024) < Lines(256) + 200);
    }
}
