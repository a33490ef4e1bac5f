using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>Every engine against the double-precision reference, on every hidden size and row kind.</summary>
public class ParityTests
{
    [Theory]
    [MemberData(nameof(TestData.EngineSizeKind), MemberType = typeof(TestData))]
    public void Forward_MatchesReference(string engineName, int hiddenSize, RowKind kind)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 31 + (int)kind);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 1);
        float[] beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 2);

        var (yRef, meanRef, rstdRef) = RunForward(Engines.Reference, x, gamma, beta, rows, hiddenSize);
        var (y, mean, rstd) = RunForward(engine, x, gamma, beta, rows, hiddenSize);

        NumericAssert.Close(yRef, y, "y");
        NumericAssert.Close(meanRef, mean, "mean");
        NumericAssert.Close(rstdRef, rstd, "rstd");

        // The overload without statistics computes the same y.
        var yOnly = new float[x.Length];
        engine.Forward(x, gamma, beta, yOnly, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(y, yOnly, "y without statistics");
    }

    [Theory]
    [MemberData(nameof(TestData.EngineSizeKind), MemberType = typeof(TestData))]
    public void Backward_MatchesReference(string engineName, int hiddenSize, RowKind kind)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 37 + (int)kind);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 3);
        float[] beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 4);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 5);
        var (_, mean, rstd) = RunForward(Engines.Reference, x, gamma, beta, rows, hiddenSize);

        var (dxRef, dgammaRef, dbetaRef) = RunBackward(Engines.Reference, dy, x, gamma, mean, rstd, hiddenSize);
        var (dx, dgamma, dbeta) = RunBackward(engine, dy, x, gamma, mean, rstd, hiddenSize);

        NumericAssert.Close(dxRef, dx, "dx");
        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
    }

    internal static (float[] Y, float[] Mean, float[] Rstd) RunForward(
        Engine engine, float[] x, float[] gamma, float[] beta, int rows, int hiddenSize, float epsilon = TestData.DefaultEpsilon)
    {
        var y = new float[x.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        engine.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
        return (y, mean, rstd);
    }

    internal static (float[] Dx, float[] Dgamma, float[] Dbeta) RunBackward(
        Engine engine, float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, int hiddenSize)
    {
        var dx = new float[x.Length];
        // Garbage in the gradient buffers: Backward must overwrite, not add.
        var dgamma = new float[hiddenSize];
        var dbeta = new float[hiddenSize];
        dgamma.AsSpan().Fill(123f);
        dbeta.AsSpan().Fill(-456f);
        engine.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        return (dx, dgamma, dbeta);
    }
}
