namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>A LayerNorm's scale and shift.</summary>
internal sealed record NormWeights(string Name, float[] Gamma, float[] Beta);

/// <summary>One encoder layer: self-attention with its output projection, then the feed-forward; post-LN.</summary>
internal sealed record BertLayer(
    Linear Query, Linear Key, Linear Value, Linear AttentionOutput, NormWeights AttentionNorm,
    Linear Intermediate, Linear Output, NormWeights OutputNorm);

/// <summary>All of all-MiniLM-L6-v2's weights that the sentence embedding uses (the pooler is not).</summary>
internal sealed record BertWeights(
    float[] WordEmbeddings, float[] PositionEmbeddings, float[] TokenTypeEmbeddings, NormWeights EmbeddingNorm,
    BertLayer[] Layers);
