using System.Collections.Generic;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>
/// KernelSpec -> KernelPlan. Every specialization decision lives here, as data the tests can read;
/// the emitter only turns it into text.
/// </summary>
/// <remarks>
/// Rules, per instruction set of width W (16, 8, 4 floats, or 1 for scalar):
/// <list type="bullet">
/// <item>A vector path exists only when N ≥ W; the scalar path always exists.</item>
/// <item>FullVectors = N / W; the tail N mod W is unrolled scalar code with constant indices.</item>
/// <item>FullVectors ≤ <see cref="RegisterResidentMaxVectors"/>: the row is loaded once into locals (register-resident).</item>
/// <item>FullVectors ≤ <see cref="UnrolledMaxVectors"/>: each pass is fully unrolled with constant offsets.</item>
/// <item>Otherwise each pass is a loop of FullVectors / <see cref="LoopUnroll"/> iterations over
/// <see cref="LoopUnroll"/> vectors, then the leftover vectors unrolled. Method size no longer grows with N.</item>
/// <item>Reductions use min(<see cref="MaxAccumulators"/>, FullVectors) independent accumulators, folded pairwise.</item>
/// <item>Register-resident vector paths of at most <see cref="InterleaveMaxVectors"/> vectors
/// (<see cref="InterleaveMaxVectors512"/> on Vector512) handle two rows per forward iteration, interleaved stage by
/// stage: a short row is one long dependency chain (reduce, divide, reduce, sqrt, divide), and a second independent
/// row fills its gaps.</item>
/// <item>Vector paths that are not register-resident, have no tail and at most
/// <see cref="NonTemporalResidualMaxHiddenSize"/> features also get a non-temporal fused residual kernel
/// (<see cref="HasNonTemporalResidual"/>).</item>
/// </list>
/// </remarks>
internal static class Planner
{
    /// <summary>Rows of at most this many vectors stay in locals across the passes. 8 vectors leave
    /// half of the 16 x64 vector registers for accumulators and broadcasts.</summary>
    public const int RegisterResidentMaxVectors = 8;

    /// <summary>Rows of at most this many vectors are fully unrolled. Beyond it a full unroll bloats the
    /// method for no gain, as the loop overhead is already amortized over <see cref="LoopUnroll"/> vectors.</summary>
    public const int UnrolledMaxVectors = 16;

    /// <summary>Vectors per iteration of a streaming loop; also the accumulator count there.</summary>
    public const int LoopUnroll = 4;

    /// <summary>Independent accumulators per reduction: enough to hide the 4-cycle add/FMA latency.</summary>
    public const int MaxAccumulators = 4;

    /// <summary>Register-resident rows of at most this many vectors are processed two at a time: two rows then use at most
    /// 8 vector registers for the data, half of the 16 x64 vector registers (AVX-512 has 32).</summary>
    public const int InterleaveMaxVectors = 4;

    /// <summary>The same limit on Vector512 paths: AVX-512 has 32 vector registers, so two rows of 8 vectors use half of
    /// them. Measured at 256×128 (8 Vector512s per row): 22.0 → 16.3 ns/row forward.</summary>
    public const int InterleaveMaxVectors512 = 8;

    /// <summary>LayerNorm's backward keeps x and dy of rows of at most this many vectors in locals: 8 registers for the
    /// row, half of the 16 x64 vector registers, beside 12 accumulators in pass 1.</summary>
    public const int BackwardResidentMaxVectors = 4;

    /// <summary>The same limit on Vector512 paths. 8 (two rows' worth of its 32 registers) spilled once Σd² joined the
    /// first pass: 16 resident vectors beside 16 accumulators; the N = 128 Backward512 kernel had 66 stack references
    /// in its JIT disassembly at 8, none at 4, and 256×128 backward went from 50.8 to 44.0 ns/row (Stopwatch medians).</summary>
    public const int BackwardResidentMaxVectors512 = 4;

    /// <summary>Register-resident rows of more vectors than this reduce into 2 accumulators, not 4: the row's vectors
    /// are already in registers, two rows of them where the forward interleaves, and 4 accumulators per sum spilled
    /// (the N = 64 Forward256 kernel: 22 stack references at 4, none at 2). The unrolled sums of a row of 5–8 vectors
    /// are short chains, so 2 lose no speed. Vector paths only: on the scalar path (rows of 5–8 floats) the other sum
    /// order moved a generated dx on Tiny rows of N = 7 to 1.6e-5 · (1 + |t|), over the contract; these rows' dx is
    /// rstd · (g − mean(g)) with rstd ≈ 316, so any float order of mean(g) is within a few 1e-6 of the bound.</summary>
    public const int ResidentAccumulatorThreshold = 4;

    private static readonly (VectorIsa Isa, int Width)[] Isas =
    {
        (VectorIsa.Vector512, 16),
        (VectorIsa.Vector256, 8),
        (VectorIsa.Vector128, 4),
        (VectorIsa.Scalar, 1),
    };

    public static KernelPlan Plan(KernelSpec spec, System.Threading.CancellationToken cancellationToken = default)
    {
        var paths = new List<PathPlan>(Isas.Length);
        foreach ((VectorIsa isa, int width) in Isas)
        {
            if (spec.HiddenSize >= width)
                paths.Add(PlanPath(isa, width, spec.HiddenSize));
        }
        return new KernelPlan(spec, new EquatableArray<PathPlan>(paths.ToArray()));
    }

    /// <summary>The plan for one instruction set of <paramref name="width"/> floats; requires hiddenSize ≥ width.</summary>
    public static PathPlan PlanPath(VectorIsa isa, int width, int hiddenSize)
    {
        PathPlan plan = PlanPathAccumulating(isa, width, hiddenSize);
        return plan with { PairedPivotSums = HasPairedPivotSums(isa, plan.Accumulators) };
    }

    /// <summary>
    /// Whether LayerNorm's backward adds its vectors in pairs before Σd and Σd² (see <see cref="PathPlan.PairedPivotSums"/>):
    /// where the path has 16 vector registers (every path but Vector512's 32) and the reductions use
    /// <see cref="MaxAccumulators"/> accumulators, so that its first pass keeps 12 accumulators (Σg and Σg·d four each,
    /// Σd and Σd² two) and the pivot in registers, as before Σd² was added. Four each spilled in the loop of the
    /// Vector256 kernel for N = 768 (JIT disassembly).
    /// </summary>
    public static bool HasPairedPivotSums(VectorIsa isa, int accumulators) =>
        isa != VectorIsa.Vector512 && accumulators == MaxAccumulators;

    private static PathPlan PlanPathAccumulating(VectorIsa isa, int width, int hiddenSize)
    {
        int fullVectors = hiddenSize / width;
        int tail = hiddenSize % width;
        int accumulators = fullVectors < MaxAccumulators ? fullVectors : MaxAccumulators;

        bool onePass = HasOnePassStatistics(isa);
        if (fullVectors <= RegisterResidentMaxVectors)
        {
            int interleaveLimit = isa == VectorIsa.Vector512 ? InterleaveMaxVectors512 : InterleaveMaxVectors;
            int forwardRowsPerIteration = isa != VectorIsa.Scalar && fullVectors <= interleaveLimit ? 2 : 1;
            int backwardResidentLimit = isa == VectorIsa.Vector512 ? BackwardResidentMaxVectors512 : BackwardResidentMaxVectors;
            int residentAccumulators = isa != VectorIsa.Scalar && fullVectors > ResidentAccumulatorThreshold ? 2 : accumulators;
            return new PathPlan(isa, width, fullVectors, tail, residentAccumulators, RowStrategy.RegisterResident, 0, 0,
                forwardRowsPerIteration, OnePassStatistics: onePass, BackwardRegisterResident: fullVectors <= backwardResidentLimit);
        }
        bool nonTemporalResidual = HasNonTemporalResidual(isa, hiddenSize, tail);
        bool nonTemporal = HasNonTemporal(isa, tail);
        if (fullVectors <= UnrolledMaxVectors)
            return new PathPlan(isa, width, fullVectors, tail, accumulators, RowStrategy.Unrolled, 0, 0, 1,
                nonTemporalResidual, onePass, nonTemporal);
        return new PathPlan(isa, width, fullVectors, tail, LoopUnroll, RowStrategy.Streaming, LoopUnroll, fullVectors / LoopUnroll, 1,
            nonTemporalResidual, onePass, nonTemporal);
    }

    /// <summary>
    /// Whether LayerNorm's forward takes its statistics in one pass (Σd and Σd² for d = x − x[0]) behind the guard of
    /// <c>NormGen.StatisticsGuards.OnePassHolds</c>: on the vector paths. The scalar path's four chains run N / 4
    /// terms deep, so the guard's factor of up to 11 on their rounding error could reach the 1e-5 contract at the
    /// longest rows; it keeps the corrected two-pass form.
    /// </summary>
    public static bool HasOnePassStatistics(VectorIsa isa) => isa != VectorIsa.Scalar;

    /// <summary>
    /// Whether the plain forward and the backward get kernels that write y and dx with non-temporal stores, for calls
    /// too large for the cache: on vector paths that are not register-resident and have no tail (the stores are whole
    /// vectors at a partition shifted to each row's alignment, so every element must come from the same vector
    /// arithmetic as in the ordinary kernel).
    /// </summary>
    public static bool HasNonTemporal(VectorIsa isa, int tail) => isa != VectorIsa.Scalar && tail == 0;

    /// <summary>
    /// Whether a path gets the non-temporal fused residual kernel, taken on calls too large for the cache: there the
    /// fused form is bound by memory traffic, and writing sum and y around the cache saves reading each of their lines
    /// before it is overwritten. Only
    /// <list type="bullet">
    /// <item>on vector paths that are not register-resident (short rows gain more from the two-row interleave);</item>
    /// <item>without a tail: its stores are whole vectors at a partition shifted to each row's alignment, so every
    /// element must come from the same vector arithmetic as in the ordinary kernel, which computes the tail in scalar code;</item>
    /// <item>up to <see cref="NonTemporalResidualMaxHiddenSize"/> features.</item>
    /// </list>
    /// </summary>
    public static bool HasNonTemporalResidual(VectorIsa isa, int hiddenSize, int tail) =>
        isa != VectorIsa.Scalar && tail == 0 && hiddenSize <= NonTemporalResidualMaxHiddenSize;

    /// <summary>
    /// The widest row that gets the non-temporal residual kernel. Measured (Stopwatch, fused ÷ add-then-forward,
    /// Vector512, ≥ 2 Mi elements; docs/benchmarks.md, rows 9 to 9g of the performance table): LayerNorm gains at
    /// N = 256, 512 and 768 (1.22–1.53× against 0.95–1.20× for the ordinary fused kernel) but loses at 896, 1024, 1152,
    /// 2048 and 4096 (0.85–1.11× against 0.95–1.18×); RMSNorm gains up to 1152 and is within ±0.05 at 2048 and 4096.
    /// Why LayerNorm's four passes lose beyond 768 was not found; one limit for both keeps the rule simple.
    /// </summary>
    public const int NonTemporalResidualMaxHiddenSize = 768;

    /// <summary>How far ahead the non-temporal residual kernels prefetch x and residual, in floats: about 6 KiB per
    /// input. Measured at 4096×768 (Stopwatch, LayerNorm fused ÷ add-then-forward, one process each): one row (3 KiB)
    /// ahead 0.79–1.32×, two rows 1.36–1.38×, three rows 1.22–1.25×.</summary>
    public const int PrefetchAheadFloats = 1536;

    /// <summary>The rows ahead the non-temporal residual kernels prefetch: the fewest whole rows that cover
    /// <see cref="PrefetchAheadFloats"/> (2 for N = 768, 3 for 512).</summary>
    public static int PrefetchRowsAhead(int hiddenSize) => (PrefetchAheadFloats + hiddenSize - 1) / hiddenSize;
}
