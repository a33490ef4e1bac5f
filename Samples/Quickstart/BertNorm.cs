using NormGen;

namespace NormGen.Samples.Quickstart;

/// <summary>LayerNorm for BERT-base's 768 features; the generator writes the rest of this class.</summary>
[LayerNorm(768)]
public static partial class BertNorm;

/// <summary>A 64-feature kernel: the whole row fits in registers, the case where specialization pays most.</summary>
[LayerNorm(64)]
public static partial class SmallNorm;

/// <summary>RMSNorm over 768 features, as in LLaMA-style models: y = x / sqrt(mean(x²) + eps) · gamma.</summary>
[RmsNorm(768, Epsilon = 1e-6f)]
public static partial class RmsNorm768;
