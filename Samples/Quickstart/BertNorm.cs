using NormGen;

namespace NormGen.Samples.Quickstart;

/// <summary>LayerNorm for BERT-base's 768 features; the generator writes the rest of this class.</summary>
[LayerNorm(768)]
public static partial class BertNorm;
