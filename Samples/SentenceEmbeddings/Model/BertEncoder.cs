using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// The BERT encoder of all-MiniLM-L6-v2 in plain C#: embeddings, 6 post-LN layers of 12-head self-attention and a
/// 1536-wide exact-GELU feed-forward. Its 13 LayerNorms run through a <see cref="NormEngine"/> (the generated
/// kernel by default), in the fused residual form wherever a residual add precedes them.
/// </summary>
/// <remarks>
/// Single-threaded. Every step computes each token row on its own (the matrix multiplies, the LayerNorms, GELU)
/// or each sentence on its own (attention skips masked keys, it does not add −10000 to them), so a sentence gets
/// the same bits alone and in any padded batch. <see cref="NormTicks"/> and <see cref="TotalTicks"/> accumulate
/// the time in the LayerNorm calls and in the whole encoder.
/// </remarks>
internal sealed class BertEncoder(BertWeights weights, NormEngine norm)
{
    private const int H = BertConfig.Hidden;
    private const int D = BertConfig.HeadSize;
    private static readonly float Scale = MathF.Sqrt(D); // the graph divides the scores by √32

    public NormEngine Norm { get; } = norm;
    public long NormTicks { get; private set; }
    public long TotalTicks { get; private set; }

    public void ResetTimers() => NormTicks = TotalTicks = 0;

    /// <summary>When set, each LayerNorm's input rows (real tokens only) are scanned after the call (outside the timers).</summary>
    public NormInputStatistics? Statistics { get; set; }

    /// <summary>The last hidden state, [batch.Count, batch.Length, 384]; padded rows hold values that mean nothing.</summary>
    public float[] Forward(TokenBatch batch)
    {
        long start = Stopwatch.GetTimestamp();
        int rows = batch.Rows;
        var hidden = new float[rows * H];
        var q = new float[rows * H];
        var k = new float[rows * H];
        var v = new float[rows * H];
        var context = new float[rows * H];
        var scratch = new float[rows * H];
        var intermediate = new float[rows * BertConfig.Intermediate];

        Embed(batch, hidden);
        Statistics?.Add(hidden, batch);
        TimedNorm(hidden, weights.EmbeddingNorm);

        foreach (BertLayer layer in weights.Layers)
        {
            layer.Query.Forward(hidden, q, rows);
            layer.Key.Forward(hidden, k, rows);
            layer.Value.Forward(hidden, v, rows);
            Attention(batch, q, k, v, context);
            layer.AttentionOutput.Forward(context, scratch, rows);
            TimedNormResidual(scratch, hidden, layer.AttentionNorm, q);   // hidden = LN(attention + hidden)
            Statistics?.Add(q, batch);                                     // q holds the sum the LayerNorm saw

            layer.Intermediate.Forward(hidden, intermediate, rows);
            Gelu(intermediate);
            layer.Output.Forward(intermediate, scratch, rows);
            TimedNormResidual(scratch, hidden, layer.OutputNorm, q);      // hidden = LN(ffn + hidden)
            Statistics?.Add(q, batch);
        }
        TotalTicks += Stopwatch.GetTimestamp() - start;
        return hidden;
    }

    // word + token type (all 0), then + position: the graph's order of adds.
    private void Embed(TokenBatch batch, Span<float> hidden)
    {
        ReadOnlySpan<float> tokenType = weights.TokenTypeEmbeddings.AsSpan(0, H);
        for (int b = 0; b < batch.Count; b++)
            for (int t = 0; t < batch.Length; t++)
            {
                int row = b * batch.Length + t;
                int id = batch.Ids[row];
                if ((uint)id >= BertConfig.VocabularySize)
                    throw new ArgumentOutOfRangeException(nameof(batch), $"Token id {id}.");
                ReadOnlySpan<float> word = weights.WordEmbeddings.AsSpan(id * H, H);
                ReadOnlySpan<float> position = weights.PositionEmbeddings.AsSpan(t * H, H);
                Span<float> h = hidden.Slice(row * H, H);
                for (int j = 0; j < H; j++) h[j] = word[j] + tokenType[j] + position[j];
            }
    }

    private void TimedNorm(float[] hidden, NormWeights w)
    {
        long start = Stopwatch.GetTimestamp();
        Norm.Forward(hidden, w.Gamma, w.Beta, hidden);
        NormTicks += Stopwatch.GetTimestamp() - start;
    }

    private void TimedNormResidual(float[] x, float[] residual, NormWeights w, float[] sum)
    {
        long start = Stopwatch.GetTimestamp();
        Norm.ForwardResidual(x, residual, w.Gamma, w.Beta, sum, residual);
        NormTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>12-head scaled dot-product attention; a query attends only to its own sentence's real tokens.</summary>
    private static void Attention(TokenBatch batch, float[] q, float[] k, float[] v, float[] context)
    {
        int t = batch.Length;
        Span<float> p = new float[t];
        for (int b = 0; b < batch.Count; b++)
        {
            ReadOnlySpan<int> mask = batch.Mask.AsSpan(b * t, t);
            for (int head = 0; head < BertConfig.Heads; head++)
                for (int i = 0; i < t; i++)
                {
                    ReadOnlySpan<float> qi = q.AsSpan((b * t + i) * H + head * D, D);
                    float max = float.NegativeInfinity;
                    for (int j = 0; j < t; j++)
                    {
                        if (mask[j] == 0) continue;
                        p[j] = Dot32(qi, k.AsSpan((b * t + j) * H + head * D, D)) / Scale;
                        max = MathF.Max(max, p[j]);
                    }
                    float sum = 0;
                    for (int j = 0; j < t; j++)
                    {
                        if (mask[j] == 0) continue;
                        p[j] = MathF.Exp(p[j] - max);
                        sum += p[j];
                    }
                    Span<float> ci = context.AsSpan((b * t + i) * H + head * D, D);
                    ci.Clear();
                    for (int j = 0; j < t; j++)
                    {
                        if (mask[j] == 0) continue;
                        Axpy32(p[j] / sum, v.AsSpan((b * t + j) * H + head * D, D), ci);
                    }
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot32(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> s = Vector256.Create(a) * Vector256.Create(b)
                + Vector256.Create(a[8..]) * Vector256.Create(b[8..]);
            s += Vector256.Create(a[16..]) * Vector256.Create(b[16..])
                + Vector256.Create(a[24..]) * Vector256.Create(b[24..]);
            return Vector256.Sum(s);
        }
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < D; i += 4)
        {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy32(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a = Vector256.Create(alpha);
            for (int i = 0; i < D; i += 8)
                (Vector256.Create(y[i..]) + a * Vector256.Create(x[i..])).CopyTo(y[i..]);
            return;
        }
        for (int i = 0; i < D; i++) y[i] += alpha * x[i];
    }

    private static void Gelu(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = Erf.Gelu(x[i]);
    }
}
