using System;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// What the LayerNorms of a real BERT see: BERT-family hidden states carry a few outlier features far larger than
/// the rest, which random test rows do not have. Collects, over the real tokens' LayerNorm inputs, the largest |x|
/// and its feature, the mean |x|, and the smallest row variance (against which epsilon = 1e-12 is added).
/// </summary>
internal sealed class NormInputStatistics
{
    private double _sumAbs;
    private long _count;

    public float MaxAbs { get; private set; }
    public int MaxFeature { get; private set; }
    public double MeanAbs => _sumAbs / Math.Max(_count, 1);
    public double MinVariance { get; private set; } = double.MaxValue;

    public void Add(ReadOnlySpan<float> rows, TokenBatch batch)
    {
        const int H = BertConfig.Hidden;
        for (int b = 0; b < batch.Count; b++)
            for (int t = 0; t < batch.Lengths[b]; t++)
            {
                ReadOnlySpan<float> row = rows.Slice((b * batch.Length + t) * H, H);
                double sum = 0;
                for (int j = 0; j < H; j++)
                {
                    float a = Math.Abs(row[j]);
                    sum += row[j];
                    _sumAbs += a;
                    if (a > MaxAbs) (MaxAbs, MaxFeature) = (a, j);
                }
                double mean = sum / H, squares = 0;
                for (int j = 0; j < H; j++) squares += (row[j] - mean) * (row[j] - mean);
                MinVariance = Math.Min(MinVariance, squares / H);
                _count += H;
            }
    }
}
