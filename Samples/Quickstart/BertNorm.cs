using NormGen;

namespace NormGen.Samples.Quickstart;

/// <summary>LayerNorm for BERT-base's 768 features; the generator writes the rest of this class.</summary>
[LayerNorm(768)]
public static partial class BertNorm;

/// <summary>A 64-feature kernel: the whole row fits in registers, the case where specialization pays most.</summary>
[LayerNorm(64)]
public static partial class SmallNorm;
