using System;
using Xunit;
using NormGen.Samples.Training;

namespace NormGen.Tests;

/// <summary>
/// LayerNorm normalizes each row on its own, so a row's output cannot depend on its batch:
/// bit for bit, alone, in a batch of 64, or in batches of other lengths. BatchNorm, for contrast, does depend on it.
/// </summary>
public class BatchIndependenceTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (Engine engine in Engines.UnderTest)
            foreach (int n in new[] { 17, 64, 768 })
                data.Add(engine.Name, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowAlone_AndInABatchOf64_AreBitIdentical(string engineName, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        float[] batch = TestRows.Rows(RowKind.Random, 64, hiddenSize, seed: 81);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 82), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 83);
        var (yBatch, meanBatch, rstdBatch) = ParityTests.RunForward(engine, batch, gamma, beta, 64, hiddenSize);

        foreach (int r in new[] { 0, 1, 31, 63 })
        {
            float[] row = batch.AsSpan(r * hiddenSize, hiddenSize).ToArray();
            var (yAlone, meanAlone, rstdAlone) = ParityTests.RunForward(engine, row, gamma, beta, 1, hiddenSize);
            NumericAssert.BitIdentical(yBatch.AsSpan(r * hiddenSize, hiddenSize), yAlone, $"row {r}");
            Assert.Equal(BitConverter.SingleToInt32Bits(meanBatch[r]), BitConverter.SingleToInt32Bits(meanAlone[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(rstdBatch[r]), BitConverter.SingleToInt32Bits(rstdAlone[0]));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameRow_InBatchesOfDifferentLengths_IsBitIdentical(string engineName, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        float[] row = TestRows.Rows(RowKind.MixedScales, 1, hiddenSize, seed: 84);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 85), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 86);
        float[]? first = null;
        foreach (int rows in new[] { 1, 2, 7, 33, 100 })
        {
            // A variable-length sequence: other tokens around it, the row itself at the end.
            float[] batch = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 87 + rows);
            row.CopyTo(batch, (rows - 1) * hiddenSize);
            var (y, _, _) = ParityTests.RunForward(engine, batch, gamma, beta, rows, hiddenSize);
            float[] output = y.AsSpan((rows - 1) * hiddenSize, hiddenSize).ToArray();
            if (first is null) first = output;
            else NumericAssert.BitIdentical(first, output, $"the row in a batch of {rows}");
        }
    }

    [Fact]
    public void BatchNorm_GivesTheSameRowDifferentOutputsInDifferentBatches()
    {
        const int features = 64;
        float[] batchA = TestRows.Rows(RowKind.Random, 64, features, seed: 88);
        float[] batchB = TestRows.Rows(RowKind.Random, 17, features, seed: 89);
        batchA.AsSpan(0, features).CopyTo(batchB);   // the same first row in both
        float[] yA = new float[batchA.Length], yB = new float[batchB.Length];
        BatchNorm.Forward(batchA, yA, features);
        BatchNorm.Forward(batchB, yB, features);

        int differing = 0;
        for (int i = 0; i < features; i++)
            if (Math.Abs(yA[i] - yB[i]) > 1e-3f) differing++;
        Assert.True(differing > features / 2, $"only {differing} of {features} outputs differ");
    }
}
