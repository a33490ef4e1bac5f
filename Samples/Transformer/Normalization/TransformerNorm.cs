namespace NormGen.Samples.Transformer;

/// <summary>The generated LayerNorm kernel for the sample's 64-wide residual stream.</summary>
[LayerNorm(64)]
public static partial class TransformerNorm;
