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
        int fullVectors = hiddenSize / width;
        int tail = hiddenSize % width;
        int accumulators = fullVectors < MaxAccumulators ? fullVectors : MaxAccumulators;

        if (fullVectors <= RegisterResidentMaxVectors)
        {
            int interleaveLimit = isa == VectorIsa.Vector512 ? InterleaveMaxVectors512 : InterleaveMaxVectors;
            int forwardRowsPerIteration = isa != VectorIsa.Scalar && fullVectors <= interleaveLimit ? 2 : 1;
            return new PathPlan(isa, width, fullVectors, tail, accumulators, RowStrategy.RegisterResident, 0, 0, forwardRowsPerIteration);
        }
        if (fullVectors <= UnrolledMaxVectors)
            return new PathPlan(isa, width, fullVectors, tail, accumulators, RowStrategy.Unrolled, 0, 0);
        return new PathPlan(isa, width, fullVectors, tail, LoopUnroll, RowStrategy.Streaming, LoopUnroll, fullVectors / LoopUnroll);
    }
}
