using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// Sentences' token ids padded to the longest one: row-major [Count, Length], with [PAD] (id 0) and a mask of 0
/// after each sentence's own tokens. Token types are all 0 (one segment).
/// </summary>
internal sealed class TokenBatch
{
    public const int PadId = 0;

    public TokenBatch(IReadOnlyList<int[]> sentences)
    {
        if (sentences.Count == 0)
            throw new ArgumentException("A batch needs at least one sentence.", nameof(sentences));
        Count = sentences.Count;
        Lengths = sentences.Select(s => s.Length).ToArray();
        if (Lengths.Any(n => n < 1 || n > BertConfig.MaxTokens))
            throw new ArgumentException($"Each sentence needs 1 to {BertConfig.MaxTokens} tokens.", nameof(sentences));
        Length = Lengths.Max();
        Ids = new int[Count * Length];
        Mask = new int[Count * Length];
        for (int b = 0; b < Count; b++)
        {
            sentences[b].CopyTo(Ids, b * Length);
            Ids.AsSpan(b * Length + Lengths[b], Length - Lengths[b]).Fill(PadId);
            Mask.AsSpan(b * Length, Lengths[b]).Fill(1);
        }
    }

    public int Count { get; }
    /// <summary>The padded length, the longest sentence's.</summary>
    public int Length { get; }
    public int[] Lengths { get; }
    public int[] Ids { get; }
    /// <summary>1 for a real token, 0 for padding; the encoder skips masked keys entirely.</summary>
    public int[] Mask { get; }
    public int Rows => Count * Length;
}
