using NormGen;

namespace NormGen.Samples.Training;

/// <summary>The generated LayerNorm kernel for the 64-wide residual stream.</summary>
[LayerNorm(64)]
public static partial class TrainingNorm;
