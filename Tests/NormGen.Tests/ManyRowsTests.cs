using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// dgamma and dbeta are sums over every row. Over thousands of rows a single running float sum drifts
/// past the contract |a − t| ≤ 1e-5·(1 + |t|); the engines reduce fixed row blocks into float partials
/// and combine the partials in double, in a fixed order.
/// </summary>
public class ManyRowsTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string engine in new[] { "Generic", "Generated" })
        {
            data.Add(engine, 8192, 64);
            data.Add(engine, 4096, 768);
            data.Add(engine, 1000, 100);   // rows not a multiple of the block
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_ManyRows_MatchesReference(string engineName, int rows, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        Assert.True(engine.Supports(hiddenSize, TestData.DefaultEpsilon), $"{engineName} has no kernel for {hiddenSize}");
        float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: rows + hiddenSize);
        float[] gamma = TestRows.Uniform(hiddenSize, 0.5f, 1.5f, seed: 11);
        float[] beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 12);
        // Gradients with a bias, as a loss gives them: the per-column sums grow with the row count.
        float[] dy = TestRows.Uniform(x.Length, -0.5f, 1.5f, seed: 13);
        var (_, mean, rstd) = ParityTests.RunForward(Engines.Reference, x, gamma, beta, rows, hiddenSize);

        var (dxRef, dgammaRef, dbetaRef) = ParityTests.RunBackward(Engines.Reference, dy, x, gamma, mean, rstd, hiddenSize);
        var (dx, dgamma, dbeta) = ParityTests.RunBackward(engine, dy, x, gamma, mean, rstd, hiddenSize);

        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
        NumericAssert.Close(dxRef, dx, "dx");
    }
}
