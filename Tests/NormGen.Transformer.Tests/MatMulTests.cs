using System;
using System.Linq;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>
/// The dense layer's products against plain double loops, at shapes that leave every remainder: rows not a
/// multiple of 4, inputs not a multiple of 4, outputs not a multiple of the vector width; and a row's forward
/// output the same bits alone as in a block of four.
/// </summary>
public class MatMulTests
{
    [Theory]
    [InlineData(7, 5, 13)]
    [InlineData(9, 64, 14)]
    [InlineData(4, 17, 33)]
    [InlineData(6, 64, 192)]
    [InlineData(3, 256, 64)]
    [InlineData(1, 1, 1)]
    public void Products_MatchDoubleLoops(int rowCount, int inputs, int outputs)
    {
        var random = new Random(rowCount * 1000 + inputs * 10 + outputs);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        // Rows 0, 2, 3, … of a larger buffer, so the row list is not simply 0 … n − 1; row 1 must stay untouched.
        int[] rows = [0, .. Enumerable.Range(2, rowCount - 1)];
        int bufferRows = rowCount + 1;
        float[] x = Random(bufferRows * inputs), weight = Random(inputs * outputs), bias = Random(outputs);
        float[] dy = Random(bufferRows * outputs);
        float[] y = Enumerable.Repeat(7f, bufferRows * outputs).ToArray();
        float[] dx = Enumerable.Repeat(7f, bufferRows * inputs).ToArray();
        float[] weightGrad = Random(inputs * outputs), biasGrad = Random(outputs);
        float[] weightGradBefore = (float[])weightGrad.Clone(), biasGradBefore = (float[])biasGrad.Clone();

        MatMul.Forward(x, weight, bias, y, rows, inputs, outputs);
        MatMul.BackwardInput(dy, weight, dx, rows, inputs, outputs, new float[inputs * outputs], new float[inputs]);
        MatMul.BackwardWeight(x, dy, weightGrad, biasGrad, rows, inputs, outputs);

        foreach (int r in rows)
        {
            for (int o = 0; o < outputs; o++)
            {
                double expected = bias[o];
                for (int k = 0; k < inputs; k++) expected += (double)x[r * inputs + k] * weight[k * outputs + o];
                AssertClose(expected, y[r * outputs + o], inputs, $"y[{r}, {o}]");
            }
            for (int k = 0; k < inputs; k++)
            {
                double expected = 0;
                for (int o = 0; o < outputs; o++) expected += (double)dy[r * outputs + o] * weight[k * outputs + o];
                AssertClose(expected, dx[r * inputs + k], outputs, $"dx[{r}, {k}]");
            }
        }
        for (int k = 0; k < inputs; k++)
            for (int o = 0; o < outputs; o++)
            {
                double expected = weightGradBefore[k * outputs + o];
                foreach (int r in rows) expected += (double)x[r * inputs + k] * dy[r * outputs + o];
                AssertClose(expected, weightGrad[k * outputs + o], rows.Length, $"dW[{k}, {o}]");
            }
        for (int o = 0; o < outputs; o++)
        {
            double expected = biasGradBefore[o] + rows.Sum(r => (double)dy[r * outputs + o]);
            AssertClose(expected, biasGrad[o], rows.Length, $"db[{o}]");
        }
        Assert.All(y.AsSpan(outputs, outputs).ToArray(), v => Assert.Equal(7f, v));
        Assert.All(dx.AsSpan(inputs, inputs).ToArray(), v => Assert.Equal(7f, v));
    }

    [Fact]
    public void ARowsForward_IsTheSameBits_AloneAndInABlockOfFour()
    {
        const int inputs = 64, outputs = 14;
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 5 * inputs).Select(_ => (float)random.NextDouble()).ToArray();
        float[] weight = [.. Enumerable.Range(0, inputs * outputs).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] bias = new float[outputs];
        float[] inBlock = new float[5 * outputs], alone = new float[5 * outputs];

        MatMul.Forward(x, weight, bias, inBlock, [0, 1, 2, 3, 4], inputs, outputs);   // rows 0-3 blocked, 4 alone
        for (int r = 0; r < 5; r++) MatMul.Forward(x, weight, bias, alone, [r], inputs, outputs);

        Assert.Equal(alone.Select(BitConverter.SingleToInt32Bits), inBlock.Select(BitConverter.SingleToInt32Bits));
    }

    // Float sums of n products of values in [-1, 1]: a few ulps of n, relative to 1.
    private static void AssertClose(double expected, float actual, int terms, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * terms + 1e-6,
            $"{what}: expected {expected:R}, got {actual:R}");
}
