using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NormGen.Samples.SentenceEmbeddings.Model;
using NormGen.Samples.SentenceEmbeddings.OnnxModel;
using NormGen.Samples.SentenceEmbeddings.Text;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>all-MiniLM-L6-v2 loaded once: the ONNX bytes (for ONNX Runtime), the weights read from them, the tokenizer.</summary>
internal sealed class MiniLmModel
{
    private MiniLmModel(byte[] onnx, BertWeights weights, MiniLmTokenizer tokenizer)
    {
        Onnx = onnx;
        Weights = weights;
        Tokenizer = tokenizer;
    }

    public byte[] Onnx { get; }
    public BertWeights Weights { get; }
    public MiniLmTokenizer Tokenizer { get; }

    public static MiniLmModel Load()
    {
        byte[] onnx = ModelResources.ReadModel();
        BertWeights weights;
        using (var stream = new MemoryStream(onnx, writable: false)) weights = OnnxBertReader.Read(stream);
        MiniLmTokenizer tokenizer;
        using (Stream vocabulary = ModelResources.OpenVocabulary()) tokenizer = new MiniLmTokenizer(vocabulary);
        return new MiniLmModel(onnx, weights, tokenizer);
    }

    public BertEncoder CreateEncoder(NormEngine? norm = null) => new(Weights, norm ?? NormEngine.Generated);

    /// <summary>Token ids of each text.</summary>
    public int[][] Tokenize(IEnumerable<string> texts) => texts.Select(Tokenizer.Encode).ToArray();

    /// <summary>Embeddings of token sequences, in padded batches of at most <paramref name="batchSize"/>.</summary>
    public static float[][] Embed(BertEncoder encoder, IReadOnlyList<int[]> tokens, int batchSize = 32)
    {
        var result = new List<float[]>(tokens.Count);
        for (int start = 0; start < tokens.Count; start += batchSize)
        {
            var batch = new TokenBatch(tokens.Skip(start).Take(batchSize).ToArray());
            float[] hidden = encoder.Forward(batch);
            result.AddRange(Pooling.MeanPoolNormalize(hidden, batch.Count, batch.Length, batch.Lengths));
        }
        return result.ToArray();
    }
}
