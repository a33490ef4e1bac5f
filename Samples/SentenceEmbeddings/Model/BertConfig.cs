namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>The shape of all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT), as the ONNX reader checks it.</summary>
internal static class BertConfig
{
    public const int Hidden = 384;
    public const int Heads = 12;
    public const int HeadSize = Hidden / Heads;
    public const int Intermediate = 1536;
    public const int Layers = 6;
    public const int VocabularySize = 30522;
    public const int MaxPositions = 512;
    public const int TokenTypes = 2;
    /// <summary>BERT's LayerNorm epsilon; the reader checks that the graph adds this value before each Sqrt.</summary>
    public const float Epsilon = 1e-12f;
    /// <summary>sentence-transformers' max_seq_length for this model: [CLS] + 254 word pieces + [SEP].</summary>
    public const int MaxTokens = 256;
}
