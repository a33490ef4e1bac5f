using System;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>sentence-transformers' head for this model: mean pooling over the real tokens, then L2 normalization.</summary>
/// <remarks>Both NormGen's and ONNX Runtime's hidden states go through this same code, so the comparison is the encoders'.</remarks>
internal static class Pooling
{
    /// <summary>One 384-value unit vector per sentence, from hidden states [count, length, 384].</summary>
    public static float[][] MeanPoolNormalize(ReadOnlySpan<float> hidden, int count, int length, int[] lengths)
    {
        const int H = BertConfig.Hidden;
        var result = new float[count][];
        Span<double> sum = stackalloc double[H];
        for (int b = 0; b < count; b++)
        {
            sum.Clear();
            for (int t = 0; t < lengths[b]; t++)
            {
                ReadOnlySpan<float> row = hidden.Slice((b * length + t) * H, H);
                for (int j = 0; j < H; j++) sum[j] += row[j];
            }
            double squares = 0;
            for (int j = 0; j < H; j++)
            {
                sum[j] /= lengths[b];
                squares += sum[j] * sum[j];
            }
            double scale = 1.0 / Math.Max(Math.Sqrt(squares), 1e-12);
            var embedding = new float[H];
            for (int j = 0; j < H; j++) embedding[j] = (float)(sum[j] * scale);
            result[b] = embedding;
        }
        return result;
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(aa * bb);
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
