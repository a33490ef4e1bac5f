namespace NormGen.Generator.Upgrade;

/// <summary>Which generated class a generic call corresponds to: the attribute and its options.</summary>
/// <remarks>Shared as source with NormGen.CodeFixes, which reads it back from the NG1001 diagnostic's properties.</remarks>
internal enum KernelVariant
{
    /// <summary><c>[LayerNorm(N)]</c>.</summary>
    LayerNorm,

    /// <summary><c>[LayerNorm(N, Bias = false)]</c>.</summary>
    LayerNormNoBias,

    /// <summary><c>[LayerNorm(N, ElementwiseAffine = false)]</c>.</summary>
    LayerNormNoAffine,

    /// <summary><c>[RmsNorm(N)]</c>.</summary>
    RmsNorm,
}
