using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>A constant row has zero variance: y must be beta exactly and every gradient finite.</summary>
public class ConstantRowTests
{
    private static readonly float[] Constants = [0f, 1e-20f, -123.456f, 1e4f + 0.1f, 1e6f, -3e38f];

    [Theory]
    [MemberData(nameof(TestData.EngineSize), MemberType = typeof(TestData))]
    public void ConstantRow_GivesBetaExactly_AndFiniteGradients(string engineName, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = Constants.Length;
        var x = new float[rows * hiddenSize];
        for (int r = 0; r < rows; r++)
            x.AsSpan(r * hiddenSize, hiddenSize).Fill(Constants[r]);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 7);
        float[] beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 8);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 9);

        var (y, mean, rstd) = ParityTests.RunForward(engine, x, gamma, beta, rows, hiddenSize);
        for (int r = 0; r < rows; r++)
        {
            NumericAssert.BitIdentical(beta, y.AsSpan(r * hiddenSize, hiddenSize), $"y of the row of {Constants[r]}");
            Assert.Equal(Constants[r], mean[r]);
            Assert.Equal(1f / MathF.Sqrt(TestData.DefaultEpsilon), rstd[r], 1e-6f * rstd[r]);
        }

        var (dx, dgamma, dbeta) = ParityTests.RunBackward(engine, dy, x, gamma, mean, rstd, hiddenSize);
        Assert.All(dx, v => Assert.True(float.IsFinite(v)));
        Assert.All(dgamma, v => Assert.Equal(0f, v));   // xhat is exactly 0 on a constant row
        Assert.All(dbeta, v => Assert.True(float.IsFinite(v)));
        if (hiddenSize == 1)
            Assert.All(dx, v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void HiddenSizeOne_GradientsAreExactlyZero_ForAnyValue(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(1, TestData.DefaultEpsilon)) return;
        float[] x = TestRows.Uniform(50, -1e4f, 1e4f, seed: 10);
        float[] gamma = [1.7f], beta = [0.3f];
        float[] dy = TestRows.Uniform(50, -1, 1, seed: 11);
        var (y, mean, rstd) = ParityTests.RunForward(engine, x, gamma, beta, 50, 1);
        Assert.All(y, v => Assert.Equal(0.3f, v));
        var (dx, dgamma, _) = ParityTests.RunBackward(engine, dy, x, gamma, mean, rstd, 1);
        Assert.All(dx, v => Assert.Equal(0f, v));
        Assert.Equal(0f, dgamma[0]);
    }
}
