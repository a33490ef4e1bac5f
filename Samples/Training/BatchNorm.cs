using System;

namespace NormGen.Samples.Training;

/// <summary>
/// A minimal BatchNorm (training mode, no affine), for contrast with LayerNorm: each feature is
/// normalized with the mean and variance over the rows of the batch, so a row's output depends on
/// which other rows share its batch.
/// </summary>
public static class BatchNorm
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int features, float epsilon = 1e-5f)
    {
        int rows = x.Length / features;
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += x[r * features + f];
            double mean = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++) squares += Math.Pow(x[r * features + f] - mean, 2);
            double rstd = 1 / Math.Sqrt(squares / rows + epsilon);
            for (int r = 0; r < rows; r++) y[r * features + f] = (float)((x[r * features + f] - mean) * rstd);
        }
    }
}
