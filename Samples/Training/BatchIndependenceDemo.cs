using System;
using System.Linq;
using NormGen;

namespace NormGen.Samples.Training;

/// <summary>
/// What sets LayerNorm apart from BatchNorm: a row's output does not depend on the other rows,
/// so it is the same alone, in a batch of 64, or in a batch of any other length.
/// </summary>
public static class BatchIndependenceDemo
{
    public static void Run()
    {
        const int features = TrainingNorm.HiddenSize;
        var random = new Random(5);
        float[] batch = Enumerable.Range(0, 64 * features).Select(_ => (float)Linear.Gaussian(random)).ToArray();
        float[] otherBatch = Enumerable.Range(0, 17 * features).Select(_ => (float)Linear.Gaussian(random)).ToArray();
        float[] gamma = Enumerable.Repeat(1f, features).ToArray(), beta = new float[features];
        ReadOnlySpan<float> row = batch.AsSpan(0, features);
        row.CopyTo(otherBatch);   // the same row, first in a batch of 17 other rows

        float[] alone = new float[features], inBatch = new float[batch.Length], inOther = new float[otherBatch.Length];
        TrainingNorm.Forward(row, gamma, beta, alone);
        TrainingNorm.Forward(batch, gamma, beta, inBatch);
        TrainingNorm.Forward(otherBatch, gamma, beta, inOther);
        bool sameIn64 = alone.AsSpan().SequenceEqual(inBatch.AsSpan(0, features));
        bool sameIn17 = alone.AsSpan().SequenceEqual(inOther.AsSpan(0, features));

        float[] bnBatch = new float[batch.Length], bnOther = new float[otherBatch.Length];
        BatchNorm.Forward(batch, bnBatch, features);
        BatchNorm.Forward(otherBatch, bnOther, features);
        double bnDifference = 0;
        for (int i = 0; i < features; i++) bnDifference = Math.Max(bnDifference, Math.Abs(bnBatch[i] - bnOther[i]));

        Console.WriteLine("Batch independence, one row of 64 features:");
        Console.WriteLine($"  LayerNorm alone vs in a batch of 64: {(sameIn64 ? "bit-identical" : "DIFFERENT")}");
        Console.WriteLine($"  LayerNorm alone vs in a batch of 17: {(sameIn17 ? "bit-identical" : "DIFFERENT")}");
        Console.WriteLine($"  BatchNorm in a batch of 64 vs in a batch of 17: max difference {bnDifference:G3}");
    }
}
