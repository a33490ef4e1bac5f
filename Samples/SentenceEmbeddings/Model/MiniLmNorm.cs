namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// The generated LayerNorm for all-MiniLM-L6-v2: 384 features, BERT's epsilon of 1e-12. Every one of the model's
/// 13 LayerNorms (after the embeddings, after each layer's attention and after each feed-forward) runs through it.
/// </summary>
[LayerNorm(384, Epsilon = 1e-12f)]
internal static partial class MiniLmNorm;
