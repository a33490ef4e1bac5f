using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Samples.Transformer;

/// <summary>
/// How far apart two sets of activations are: the largest |a − b|, and whether every value has the same bits.
/// </summary>
internal readonly record struct Difference(double MaxAbs, bool BitIdentical)
{
    public static readonly Difference None = new(0, true);

    public Difference Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = MaxAbs;
        bool identical = BitIdentical;
        for (int i = 0; i < a.Length; i++)
        {
            identical &= BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i]);
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return new Difference(max, identical);
    }

    public override string ToString() => BitIdentical ? "bit-identical" : $"differ by up to {MaxAbs:G3}";
}

/// <summary>
/// One sequence's activations three ways: alone in a batch of one; inside a padded batch of sequences of other
/// lengths; and decoded token by token, each step running the prefix so far and keeping its last position. With
/// LayerNorm every row is computed from its own sequence only, so all three agree bit for bit.
/// </summary>
/// <param name="NormsInBatch">Every norm's output rows, alone vs in the padded batch.</param>
/// <param name="LogitsInBatch">The logits, alone vs in the padded batch.</param>
/// <param name="NormsDecoded">Every norm's output at each position, alone vs decoded token by token.</param>
/// <param name="LogitsDecoded">The logits at each position, alone vs decoded token by token.</param>
/// <param name="Tokens">The sequence's length in tokens.</param>
/// <param name="BatchLength">Rows per sequence in the padded batch.</param>
internal sealed record SequenceIdentity(Difference NormsInBatch, Difference LogitsInBatch, Difference NormsDecoded,
    Difference LogitsDecoded, int Tokens, int BatchLength)
{
    public bool AllBitIdentical =>
        NormsInBatch.BitIdentical && LogitsInBatch.BitIdentical &&
        NormsDecoded.BitIdentical && LogitsDecoded.BitIdentical;

    /// <summary>Runs the three forms of <paramref name="sequences"/>[<paramref name="subject"/>], the padded batch
    /// holding it among <paramref name="companions"/> (at their middle). The model's mode is left as it is.</summary>
    public static SequenceIdentity Check(
        DecoderModel model, IReadOnlyList<Sequence> sequences, int subject, int[] companions)
    {
        var config = model.Config;
        int tokens = sequences[subject].InputLength, norms = model.Norms.Count;
        int width = config.Width, vocabulary = config.Vocabulary;
        var batch = new Batch(companions.Length + 1, config.MaxLength);

        // Alone: a batch of one, no padding.
        batch.Fill(sequences, [subject]);
        model.Forward(batch);
        float[][] normsAlone = Enumerable.Range(0, norms).Select(s => model.NormOutput(s, batch).ToArray()).ToArray();
        float[] logitsAlone = model.Logits(batch).ToArray();

        // Inside a padded batch, between sequences of other lengths.
        int[] order = [.. companions.Take(companions.Length / 2), subject, .. companions.Skip(companions.Length / 2)];
        int position = companions.Length / 2;
        batch.Fill(sequences, order);
        model.Forward(batch);
        int first = position * batch.Length;
        var normsInBatch = Difference.None;
        for (int s = 0; s < norms; s++)
            normsInBatch = normsInBatch.Add(
                normsAlone[s], model.NormOutput(s, batch).Slice(first * width, tokens * width));
        var logitsInBatch = Difference.None.Add(
            logitsAlone, model.Logits(batch).Slice(first * vocabulary, tokens * vocabulary));
        int batchLength = batch.Length;

        // Token by token: the prefix of t tokens, recomputed from scratch; its last row is position t − 1.
        var normsDecoded = Difference.None;
        var logitsDecoded = Difference.None;
        for (int t = 1; t <= tokens; t++)
        {
            batch.Fill(sequences, [subject], length: t, prefix: t);
            model.Forward(batch);
            int last = t - 1;
            for (int s = 0; s < norms; s++)
                normsDecoded = normsDecoded.Add(
                    normsAlone[s].AsSpan(last * width, width), model.NormOutput(s, batch).Slice(last * width, width));
            logitsDecoded = logitsDecoded.Add(logitsAlone.AsSpan(last * vocabulary, vocabulary),
                model.Logits(batch).Slice(last * vocabulary, vocabulary));
        }
        return new SequenceIdentity(normsInBatch, logitsInBatch, normsDecoded, logitsDecoded, tokens, batchLength);
    }
}
