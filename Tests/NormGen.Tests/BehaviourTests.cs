using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace NormGen.Tests;

/// <summary>In-place use, row isolation and thread safety, on every engine.</summary>
public class BehaviourTests
{
    [Theory]
    [MemberData(nameof(TestData.EngineSize), MemberType = typeof(TestData))]
    public void InPlace_GivesTheSameResult(string engineName, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 21);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 22), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 23);
        var (expected, expectedMean, expectedRstd) = ParityTests.RunForward(engine, x, gamma, beta, rows, hiddenSize);

        float[] buffer = (float[])x.Clone();
        var mean = new float[rows];
        var rstd = new float[rows];
        engine.Forward(buffer, gamma, beta, buffer, mean, rstd, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(expected, buffer, "y in place");
        NumericAssert.BitIdentical(expectedMean, mean, "mean in place");
        NumericAssert.BitIdentical(expectedRstd, rstd, "rstd in place");

        buffer = (float[])x.Clone();
        engine.Forward(buffer, gamma, beta, buffer, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(expected, buffer, "y in place without statistics");
    }

    [Theory]
    [MemberData(nameof(IsolationCases))]
    public void NonFiniteValueInOneRow_LeavesOtherRowsBitIdentical(string engineName, int hiddenSize, float poison)
    {
        Engine engine = Engines.ByName(engineName);
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 4, poisoned = 2;
        float[] clean = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 31);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 32), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 33);
        float[] dy = TestRows.Uniform(clean.Length, -1, 1, seed: 34);
        float[] dirty = (float[])clean.Clone();
        dirty[poisoned * hiddenSize + hiddenSize / 2] = poison;

        var (yClean, meanClean, rstdClean) = ParityTests.RunForward(engine, clean, gamma, beta, rows, hiddenSize);
        var (yDirty, meanDirty, rstdDirty) = ParityTests.RunForward(engine, dirty, gamma, beta, rows, hiddenSize);
        var (dxClean, _, _) = ParityTests.RunBackward(engine, dy, clean, gamma, meanClean, rstdClean, hiddenSize);
        var (dxDirty, _, _) = ParityTests.RunBackward(engine, dy, dirty, gamma, meanDirty, rstdDirty, hiddenSize);

        for (int r = 0; r < rows; r++)
        {
            Range row = (r * hiddenSize)..((r + 1) * hiddenSize);
            if (r == poisoned)
            {
                Assert.True(yDirty[row].Any(v => !float.IsFinite(v)), "the poisoned row should show the non-finite value");
                continue;
            }
            NumericAssert.BitIdentical(yClean[row], yDirty[row], $"y of row {r}");
            NumericAssert.BitIdentical(dxClean[row], dxDirty[row], $"dx of row {r}");
            Assert.Equal(meanClean[r], meanDirty[r]);
            Assert.Equal(rstdClean[r], rstdDirty[r]);
        }
    }

    public static TheoryData<string, int, float> IsolationCases()
    {
        var data = new TheoryData<string, int, float>();
        foreach (Engine engine in Engines.All)
            foreach (int n in new[] { 1, 7, 17, 768 })
                foreach (float poison in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    data.Add(engine.Name, n, poison);
        return data;
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void EightThreadsAtOnce_GiveBitIdenticalResultsToOneThread(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        const int hiddenSize = 768, rows = 16;
        if (!engine.Supports(hiddenSize, TestData.DefaultEpsilon)) return;
        float[] x = TestRows.Rows(RowKind.MixedScales, rows, hiddenSize, seed: 41);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 42), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 43);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 44);
        var (y, mean, rstd) = ParityTests.RunForward(engine, x, gamma, beta, rows, hiddenSize);
        var (dx, dgamma, dbeta) = ParityTests.RunBackward(engine, dy, x, gamma, mean, rstd, hiddenSize);

        using var start = new Barrier(8);
        var results = new ((float[] Y, float[] Mean, float[] Rstd) Forward, (float[] Dx, float[] Dgamma, float[] Dbeta) Backward)[8];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            var forward = ParityTests.RunForward(engine, x, gamma, beta, rows, hiddenSize);
            var backward = ParityTests.RunBackward(engine, dy, x, gamma, forward.Mean, forward.Rstd, hiddenSize);
            results[t] = (forward, backward);
        })).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();

        foreach (var (forward, backward) in results)
        {
            NumericAssert.BitIdentical(y, forward.Y, "y");
            NumericAssert.BitIdentical(mean, forward.Mean, "mean");
            NumericAssert.BitIdentical(rstd, forward.Rstd, "rstd");
            NumericAssert.BitIdentical(dx, backward.Dx, "dx");
            NumericAssert.BitIdentical(dgamma, backward.Dgamma, "dgamma");
            NumericAssert.BitIdentical(dbeta, backward.Dbeta, "dbeta");
        }
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void CustomEpsilon_IsUsed(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        const int hiddenSize = 17, rows = 3;
        const float epsilon = 1e-3f;
        if (!engine.Supports(hiddenSize, epsilon)) return;
        float[] x = TestRows.Rows(RowKind.Tiny, rows, hiddenSize, seed: 51);   // var ≈ 0, so rstd = 1/sqrt(eps)
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 52), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 53);
        var (_, _, rstd) = ParityTests.RunForward(engine, x, gamma, beta, rows, hiddenSize, epsilon);
        Assert.All(rstd, v => Assert.Equal(1f / MathF.Sqrt(epsilon), v, 1e-6f * v));
    }
}
