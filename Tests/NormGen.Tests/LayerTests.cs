using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>The training layer: parameters, accumulated gradients, saved statistics and misuse.</summary>
public class LayerTests
{
    private const int N = 33;

    [Fact]
    public void NewLayer_HasUnitGammaZeroBetaAndZeroGradients()
    {
        var layer = new LayerNormLayer(N);
        Assert.All(layer.Gamma, v => Assert.Equal(1f, v));
        Assert.All(layer.Beta, v => Assert.Equal(0f, v));
        Assert.All(layer.GammaGrad, v => Assert.Equal(0f, v));
        Assert.All(layer.BetaGrad, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ForwardAndBackward_MatchTheKernel_AndGradientsAccumulateUntilZeroGrad()
    {
        const int rows = 4;
        var layer = new LayerNormLayer(N);
        TestRows.Uniform(N, -2, 2, seed: 1).CopyTo(layer.Gamma, 0);
        TestRows.Uniform(N, -1, 1, seed: 2).CopyTo(layer.Beta, 0);
        float[] x = TestRows.Rows(RowKind.Random, rows, N, seed: 3), dy = TestRows.Uniform(rows * N, -1, 1, seed: 4);

        var (yKernel, mean, rstd) = ParityTests.RunForward(Engines.Generic, x, layer.Gamma, layer.Beta, rows, N);
        var (dxKernel, dgamma, dbeta) = ParityTests.RunBackward(Engines.Generic, dy, x, layer.Gamma, mean, rstd, N);

        var y = new float[x.Length];
        var dx = new float[x.Length];
        layer.Forward(x, y);
        NumericAssert.BitIdentical(yKernel, y, "y");
        layer.Backward(dy, x, dx);
        NumericAssert.BitIdentical(dxKernel, dx, "dx");
        NumericAssert.BitIdentical(dgamma, layer.GammaGrad, "GammaGrad after one Backward");
        NumericAssert.BitIdentical(dbeta, layer.BetaGrad, "BetaGrad after one Backward");

        layer.Backward(dy, x, dx);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(dgamma[i] + dgamma[i], layer.GammaGrad[i]);
            Assert.Equal(dbeta[i] + dbeta[i], layer.BetaGrad[i]);
        }

        layer.ZeroGrad();
        Assert.All(layer.GammaGrad, v => Assert.Equal(0f, v));
        Assert.All(layer.BetaGrad, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GeneratedKernelLayer_RunsTheGeneratedKernel()
    {
        const int rows = 3;
        var layer = new LayerNormLayer<GeneratedKernels.N33.Kernel>();
        Assert.Equal(33, layer.HiddenSize);
        Assert.Equal(GeneratedKernels.N33.Epsilon, LayerNormLayer<GeneratedKernels.N33.Kernel>.Epsilon);
        TestRows.Uniform(N, -2, 2, seed: 11).CopyTo(layer.Gamma, 0);
        float[] x = TestRows.Rows(RowKind.MixedScales, rows, N, seed: 12), dy = TestRows.Uniform(rows * N, -1, 1, seed: 13);
        var (yKernel, mean, rstd) = ParityTests.RunForward(Engines.ByName("Generated"), x, layer.Gamma, layer.Beta, rows, N);
        var (dxKernel, dgamma, _) = ParityTests.RunBackward(Engines.ByName("Generated"), dy, x, layer.Gamma, mean, rstd, N);

        float[] y = new float[x.Length], dx = new float[x.Length];
        layer.Forward(x, y);
        layer.Backward(dy, x, dx);
        NumericAssert.BitIdentical(yKernel, y, "y");
        NumericAssert.BitIdentical(dxKernel, dx, "dx");
        NumericAssert.BitIdentical(dgamma, layer.GammaGrad, "GammaGrad");
    }

    [Fact]
    public void BackwardWithoutForward_Throws()
    {
        var layer = new LayerNormLayer(N);
        var e = Assert.Throws<InvalidOperationException>(() => layer.Backward(new float[N], new float[N], new float[N]));
        Assert.Contains("Forward", e.Message);
        Assert.All(layer.GammaGrad, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BackwardWithAnotherRowCount_Throws()
    {
        var layer = new LayerNormLayer(N);
        float[] x = TestRows.Rows(RowKind.Random, 2, N, seed: 5);
        layer.Forward(x, new float[x.Length]);
        var e = Assert.Throws<InvalidOperationException>(() => layer.Backward(new float[3 * N], new float[3 * N], new float[3 * N]));
        Assert.Contains("2", e.Message);
        Assert.All(layer.GammaGrad, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RefusedForward_LeavesNothingToGoBackwardThrough()
    {
        var layer = new LayerNormLayer(N);
        float[] x = TestRows.Rows(RowKind.Random, 2, N, seed: 6);
        layer.Forward(x, new float[x.Length]);
        Assert.Throws<ArgumentException>(() => layer.Forward(x, new float[x.Length - 1]));
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new float[x.Length], x, new float[x.Length]));
    }

    [Fact]
    public void ForwardAndBackward_AllocateNothing_OnceTheRowCountIsKnown()
    {
        const int rows = 8;
        var layer = new LayerNormLayer(N);
        float[] x = TestRows.Rows(RowKind.Random, rows, N, seed: 7), y = new float[x.Length], dy = TestRows.Uniform(x.Length, -1, 1, seed: 8), dx = new float[x.Length];
        layer.Forward(x, y);
        layer.Backward(dy, x, dx);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            layer.Forward(x, y);
            layer.Backward(dy, x, dx);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadConstructorArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNormLayer(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNormLayer(8, float.NaN));
    }
}
