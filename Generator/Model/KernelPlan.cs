namespace NormGen.Generator.Model;

/// <summary>The instruction sets a kernel path is written for, widest first.</summary>
internal enum VectorIsa
{
    Vector512,
    Vector256,
    Vector128,
    Scalar,
}

/// <summary>How a path walks one row.</summary>
internal enum RowStrategy
{
    /// <summary>The row is loaded once into locals and every pass reuses them; everything is unrolled.</summary>
    RegisterResident,

    /// <summary>Each pass rereads the row from L1 with constant offsets; every vector is unrolled, no loop.</summary>
    Unrolled,

    /// <summary>Each pass is a loop with a constant trip count over blocks of <see cref="PathPlan.LoopUnroll"/>
    /// vectors, followed by the leftover vectors unrolled.</summary>
    Streaming,
}

/// <summary>Every specialization decision for one instruction set, as data.</summary>
/// <param name="Isa">The vector type this path uses.</param>
/// <param name="Width">Floats per vector (1 for the scalar path).</param>
/// <param name="FullVectors">Whole vectors per row: HiddenSize / Width.</param>
/// <param name="Tail">Features left after the whole vectors: HiddenSize mod Width, handled by unrolled scalar code.</param>
/// <param name="Accumulators">Independent accumulators per reduction.</param>
/// <param name="Strategy">How the row is walked.</param>
/// <param name="LoopUnroll">Vectors per loop iteration (Streaming only, else 0).</param>
/// <param name="LoopIterations">Constant trip count of each pass's loop (Streaming only, else 0).</param>
/// <param name="ForwardRowsPerIteration">Rows each iteration of the forward kernel's row loop handles, stage by stage interleaved
/// (1 or 2), so the reduction → divide → sqrt latency chain of one row overlaps the other's; a last odd row runs alone.
/// The backward kernel handles one row per iteration (two rows of its live values spill; measured slower).</param>
/// <param name="NonTemporalResidual">Whether the fused residual form also gets a kernel that writes sum and y with
/// non-temporal stores, taken on calls too large for the cache (see <c>NormGen.NonTemporalStores</c>).</param>
/// <param name="OnePassStatistics">Whether LayerNorm's forward takes its statistics in one pass over the row, with the
/// corrected two-pass form as the fallback the guard picks (<c>NormGen.StatisticsGuards.OnePassHolds</c>).</param>
/// <param name="NonTemporal">Whether the plain forward and the backward also get kernels that write y and dx with
/// non-temporal stores, taken on calls too large for the cache.</param>
/// <param name="BackwardRegisterResident">With <see cref="RowStrategy.RegisterResident"/>: whether LayerNorm's backward
/// also keeps the row (x and dy, two vectors per vector of the row) in locals across its passes; otherwise it reloads
/// them from L1 with the same constant offsets.</param>
/// <param name="PairedPivotSums">Whether LayerNorm's backward adds its vectors' d = x − pivot (and d²) in pairs before they
/// reach the Σd and Σd² accumulators, so those two sums need half the accumulators: on paths with 16 vector registers,
/// where four sums of four accumulators would take every register.</param>
internal sealed record PathPlan(
    VectorIsa Isa,
    int Width,
    int FullVectors,
    int Tail,
    int Accumulators,
    RowStrategy Strategy,
    int LoopUnroll,
    int LoopIterations,
    int ForwardRowsPerIteration = 1,
    bool NonTemporalResidual = false,
    bool OnePassStatistics = false,
    bool NonTemporal = false,
    bool BackwardRegisterResident = false,
    bool PairedPivotSums = false)
{
    /// <summary>Vectors covered by the loop.</summary>
    public int LoopVectors => LoopUnroll * LoopIterations;

    /// <summary>Whole vectors after the loop, unrolled (all of them when there is no loop).</summary>
    public int RemainderVectors => FullVectors - LoopVectors;
}

/// <summary>The full plan for one attributed class: what to emit and how.</summary>
/// <param name="Spec">What the user asked for.</param>
/// <param name="Paths">The paths to emit, widest first; the scalar path is always last.</param>
internal sealed record KernelPlan(KernelSpec Spec, EquatableArray<PathPlan> Paths);

/// <summary>One generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);
