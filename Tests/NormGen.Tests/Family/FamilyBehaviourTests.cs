using System;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The family's exact behaviours, on every engine: constant rows (LayerNorm variants) and zero rows (RMSNorm) exact,
/// rows isolated from a NaN or ∞ neighbour, in-place residual forms, bad input refused without writing, no allocations.
/// </summary>
public class FamilyBehaviourTests
{
    private static readonly float[] Constants = [0f, 1e-20f, -123.456f, 1e4f + 0.1f, 1e6f, -3e38f];

    [Theory]
    [MemberData(nameof(FamilyData.EngineLayerNormVariantSize), MemberType = typeof(FamilyData))]
    public void LayerNormVariants_ConstantRow_IsExact_AndGradientsFinite(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = Constants.Length;
        var x = new float[rows * hiddenSize];
        for (int r = 0; r < rows; r++)
            x.AsSpan(r * hiddenSize, hiddenSize).Fill(Constants[r]);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 7), beta = FamilyData.Beta(v, hiddenSize, seed: 8);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 9);
        // xhat is exactly 0: y is beta, or 0 (xhat · gamma, xhat) without it.
        float[] expected = FamilyData.HasBeta(v) ? beta : new float[hiddenSize];

        var (y, mean, rstd) = FamilyData.RunForward(engine, v, x, gamma, beta, rows, hiddenSize);
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < hiddenSize; i++)
                Assert.True(expected[i] == y[r * hiddenSize + i], $"y[{r}, {i}] of the row of {Constants[r]} is {y[r * hiddenSize + i]:R}, not {expected[i]:R}");
            Assert.Equal(Constants[r], mean[r]);
            Assert.Equal(1f / MathF.Sqrt(TestData.DefaultEpsilon), rstd[r], 1e-6f * rstd[r]);
        }

        // The residual form: x + residual constant too (residual itself constant per row).
        float[] residual = x.Select(value => value / 2).ToArray();
        var (sum, yResidual, _, _) = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize);
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < hiddenSize; i++)
                Assert.True(expected[i] == yResidual[r * hiddenSize + i] || !float.IsFinite(sum[r * hiddenSize]),
                    $"residual y[{r}, {i}] is {yResidual[r * hiddenSize + i]:R}, not {expected[i]:R}");
        }

        var (dx, dgamma, dbeta) = FamilyData.RunBackward(engine, v, dy, x, gamma, mean, rstd, hiddenSize);
        Assert.All(dx, value => Assert.True(float.IsFinite(value)));
        Assert.All(dgamma, value => Assert.Equal(0f, value));   // Σ dy · xhat with xhat exactly 0
        Assert.All(dbeta, value => Assert.True(float.IsFinite(value)));
        if (hiddenSize == 1)
            Assert.All(dx, value => Assert.Equal(0f, value));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RmsNorm_ZeroRow_GivesZeroExactly_AndFiniteGradients(string engineName, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(Variant.RmsNorm, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 3;
        var x = new float[rows * hiddenSize];
        float[] gamma = FamilyData.Gamma(Variant.RmsNorm, hiddenSize, seed: 11);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 12);

        var (y, _, rstd) = FamilyData.RunForward(engine, Variant.RmsNorm, x, gamma, [], rows, hiddenSize);
        Assert.All(y, value => Assert.True(value == 0f, $"y = {value:R}"));
        Assert.All(rstd, value => Assert.Equal(1f / MathF.Sqrt(TestData.DefaultEpsilon), value, 1e-6f * value));

        // x + (−x) = 0 exactly: the residual form too.
        float[] x2 = TestRows.Uniform(x.Length, -3, 3, seed: 13);
        float[] negated = x2.Select(value => -value).ToArray();
        var (sum, yResidual, _, _) = FamilyData.RunForwardResidual(engine, Variant.RmsNorm, x2, negated, gamma, [], rows, hiddenSize);
        Assert.All(sum, value => Assert.True(value == 0f));
        Assert.All(yResidual, value => Assert.True(value == 0f, $"residual y = {value:R}"));

        var (dx, dgamma, _) = FamilyData.RunBackward(engine, Variant.RmsNorm, dy, x, gamma, [], rstd, hiddenSize);
        Assert.All(dx, value => Assert.True(float.IsFinite(value)));
        Assert.All(dgamma, value => Assert.True(value == 0f, $"dgamma = {value:R}"));   // xhat is exactly 0
    }

    public static TheoryData<string, int> Sizes()
    {
        var data = new TheoryData<string, int>();
        foreach (FamilyEngine engine in FamilyEngines.All)
            foreach (int n in TestData.HiddenSizes)
                data.Add(engine.Name, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(FamilyData.EngineVariantFewSizes), MemberType = typeof(FamilyData))]
    public void NaNOrInfinityInOneRow_LeavesTheOtherRowsBitIdentical(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 5;
        float[] clean = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 21);
        float[] dirty = (float[])clean.Clone();
        dirty[1 * hiddenSize + hiddenSize / 2] = float.NaN;
        dirty[3 * hiddenSize] = float.PositiveInfinity;
        float[] residual = TestRows.Uniform(clean.Length, -1, 1, seed: 22);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 23), beta = FamilyData.Beta(v, hiddenSize, seed: 24);
        float[] dy = TestRows.Uniform(clean.Length, -1, 1, seed: 25);

        var (yClean, meanClean, rstdClean) = FamilyData.RunForward(engine, v, clean, gamma, beta, rows, hiddenSize);
        var (yDirty, meanDirty, rstdDirty) = FamilyData.RunForward(engine, v, dirty, gamma, beta, rows, hiddenSize);
        var (_, yResClean, _, _) = FamilyData.RunForwardResidual(engine, v, clean, residual, gamma, beta, rows, hiddenSize);
        var (_, yResDirty, _, _) = FamilyData.RunForwardResidual(engine, v, dirty, residual, gamma, beta, rows, hiddenSize);
        // Backward with each run's own statistics; the clean rows' statistics are identical.
        var (dxClean, _, _) = FamilyData.RunBackward(engine, v, dy, clean, gamma, meanClean, rstdClean, hiddenSize);
        var (dxDirty, _, _) = FamilyData.RunBackward(engine, v, dy, dirty, gamma, meanDirty, rstdDirty, hiddenSize);

        foreach (int r in new[] { 0, 2, 4 })
        {
            Range row = new(r * hiddenSize, (r + 1) * hiddenSize);
            NumericAssert.BitIdentical(yClean.AsSpan(row), yDirty.AsSpan(row), $"y row {r}");
            NumericAssert.BitIdentical(yResClean.AsSpan(row), yResDirty.AsSpan(row), $"residual y row {r}");
            NumericAssert.BitIdentical(dxClean.AsSpan(row), dxDirty.AsSpan(row), $"dx row {r}");
            NumericAssert.BitIdentical(rstdClean.AsSpan(r, 1), rstdDirty.AsSpan(r, 1), $"rstd row {r}");
            if (FamilyData.HasMean(v))
                NumericAssert.BitIdentical(meanClean.AsSpan(r, 1), meanDirty.AsSpan(r, 1), $"mean row {r}");
        }
        // The bad rows are bad, not silently clean.
        Assert.Contains(yDirty.AsSpan(hiddenSize, hiddenSize).ToArray(), value => !float.IsFinite(value));
    }

    [Theory]
    [MemberData(nameof(FamilyData.EngineVariantFewSizes), MemberType = typeof(FamilyData))]
    public void ForwardResidual_InPlace_GivesTheSameBits(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        const int rows = 4;
        float[] x = TestRows.Rows(RowKind.MixedScales, rows, hiddenSize, seed: 31);
        float[] residual = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 32);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 33), beta = FamilyData.Beta(v, hiddenSize, seed: 34);
        var (sum, y, mean, rstd) = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize);
        float[] NewMean() => FamilyData.HasMean(v) ? new float[rows] : [];

        // sum over x, y over residual (the usual transformer use: the stream is updated in place).
        float[] x1 = (float[])x.Clone(), r1 = (float[])residual.Clone();
        engine.ForwardResidual(v, x1, r1, gamma, beta, x1, r1, NewMean(), new float[rows], hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(sum, x1, "sum written over x");
        NumericAssert.BitIdentical(y, r1, "y written over residual");

        // sum over residual, y over x.
        float[] x2 = (float[])x.Clone(), r2 = (float[])residual.Clone();
        float[] mean2 = NewMean(), rstd2 = new float[rows];
        engine.ForwardResidual(v, x2, r2, gamma, beta, r2, x2, mean2, rstd2, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(sum, r2, "sum written over residual");
        NumericAssert.BitIdentical(y, x2, "y written over x");
        NumericAssert.BitIdentical(mean, mean2, "mean");
        NumericAssert.BitIdentical(rstd, rstd2, "rstd");

        // Plain forward in place.
        float[] x3 = (float[])sum.Clone();
        engine.Forward(v, x3, gamma, beta, x3, default, default, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(y, x3, "Forward in place on the sum");
    }

    [Theory]
    [MemberData(nameof(FamilyData.EngineVariant), MemberType = typeof(FamilyData))]
    public void BadInput_IsRefusedBeforeAnythingIsWritten(string engineName, Variant v)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        const int n = 8, rows = 3;
        if (!engine.Supports(v, n, TestData.DefaultEpsilon)) return;
        float[] x = TestRows.Uniform(rows * n, -1, 1, seed: 41), residual = TestRows.Uniform(rows * n, -1, 1, seed: 42);
        float[] gamma = FamilyData.Gamma(v, n, seed: 43), beta = FamilyData.Beta(v, n, seed: 44);
        float[] Sentinels(int length) => Enumerable.Repeat(-777f, length).ToArray();
        float[] sum = Sentinels(rows * n), y = Sentinels(rows * n), rstd = Sentinels(rows);
        float[] mean = FamilyData.HasMean(v) ? Sentinels(rows) : [];

        void Refused(string parameter, Action call, params float[][] buffers)
        {
            float[][] before = buffers.Select(b => (float[])b.Clone()).ToArray();
            ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
            Assert.Equal(parameter, e.ParamName);
            for (int i = 0; i < buffers.Length; i++)
                NumericAssert.BitIdentical(before[i], buffers[i], $"{parameter}: buffer {i} after a refused call");
        }

        Refused("y", () => engine.ForwardResidual(v, x, residual, gamma, beta, sum, sum, mean, rstd, n, TestData.DefaultEpsilon), sum, mean, rstd);
        Refused("y", () => engine.Forward(v, x, gamma, beta, y.AsSpan(1), mean, rstd, n, TestData.DefaultEpsilon), y, mean, rstd);
        Refused("sum", () => engine.ForwardResidual(v, x, residual, gamma, beta, sum.AsSpan(1), y, mean, rstd, n, TestData.DefaultEpsilon), sum, y, mean, rstd);
        Refused("residual", () => engine.ForwardResidual(v, x, residual.AsSpan(1), gamma, beta, sum, y, mean, rstd, n, TestData.DefaultEpsilon), sum, y, mean, rstd);
        Refused("rstd", () => engine.Forward(v, x, gamma, beta, y, mean, rstd.AsSpan(1), n, TestData.DefaultEpsilon), y, mean, rstd);
        Refused("rstd", () => engine.Forward(v, x, gamma, beta, y, mean, y.AsSpan(0, rows), n, TestData.DefaultEpsilon), y, mean);
        if (engine.Supports(v, n, 0f))   // an engine whose epsilon is fixed at build time has no such call
            Assert.Throws<ArgumentOutOfRangeException>(() => engine.Forward(v, x, gamma, beta, y, mean, rstd, n, 0f));
        if (FamilyData.HasGamma(v))
            Refused("gamma", () => engine.Forward(v, x, gamma.AsSpan(1), beta, y, mean, rstd, n, TestData.DefaultEpsilon), y, mean, rstd);

        float[] dy = TestRows.Uniform(rows * n, -1, 1, seed: 45), dx = Sentinels(rows * n), rstdIn = TestRows.Uniform(rows, 1, 2, seed: 46);
        float[] meanIn = FamilyData.HasMean(v) ? TestRows.Uniform(rows, -1, 1, seed: 47) : [];
        float[] dgamma = FamilyData.HasGamma(v) ? Sentinels(n) : [], dbeta = FamilyData.HasBeta(v) ? Sentinels(n) : [];
        Refused("dx", () => engine.Backward(v, dy, x, gamma, meanIn, rstdIn, dy, dgamma, dbeta, n), dgamma, dbeta);
        Refused("dx", () => engine.Backward(v, dy, x, gamma, meanIn, rstdIn, dx.AsSpan(1), dgamma, dbeta, n), dx, dgamma, dbeta);
        Refused("rstd", () => engine.Backward(v, dy, x, gamma, meanIn, rstdIn.AsSpan(1), dx, dgamma, dbeta, n), dx, dgamma, dbeta);
        if (FamilyData.HasGamma(v))
            Refused("dgamma", () => engine.Backward(v, dy, x, gamma, meanIn, rstdIn, dx, dgamma.AsSpan(1), dbeta, n), dx, dgamma, dbeta);
        if (FamilyData.HasMean(v))
            Refused("mean", () => engine.Backward(v, dy, x, gamma, meanIn.AsSpan(1), rstdIn, dx, dgamma, dbeta, n), dx, dgamma, dbeta);
    }

    /// <summary>
    /// The variants are the full LayerNorm with parts left out, and the generic path and the reference leave them out
    /// without changing anything else: without bias, dx and dgamma are the full backward's bits (so the scheduler's
    /// dgamma-only reduction matches its dgamma-and-dbeta one); without affine, dx and y are those of gamma = 1, beta = 0.
    /// </summary>
    [Theory]
    [InlineData("Reference", 7, 5)]
    [InlineData("Generic", 7, 5)]
    [InlineData("Generic", 64, 100)]
    [InlineData("Generic", 768, 100)]
    [InlineData("Generic", 769, 300)]
    public void Variants_AreTheFullLayerNormWithPartsLeftOut(string engineName, int hiddenSize, int rows)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        float[] x = TestRows.Rows(RowKind.MixedScales, rows, hiddenSize, seed: 61);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 62), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 63);
        float[] ones = Enumerable.Repeat(1f, hiddenSize).ToArray(), zeros = new float[hiddenSize];
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 64);
        var (_, mean, rstd) = FamilyData.RunForward(engine, Variant.LayerNorm, x, gamma, beta, rows, hiddenSize);

        var (dxFull, dgammaFull, _) = FamilyData.RunBackward(engine, Variant.LayerNorm, dy, x, gamma, mean, rstd, hiddenSize);
        var (dxNoBias, dgammaNoBias, _) = FamilyData.RunBackward(engine, Variant.LayerNormNoBias, dy, x, gamma, mean, rstd, hiddenSize);
        NumericAssert.BitIdentical(dxFull, dxNoBias, "no-bias dx");
        NumericAssert.BitIdentical(dgammaFull, dgammaNoBias, "no-bias dgamma");

        var (dxOnes, _, _) = FamilyData.RunBackward(engine, Variant.LayerNorm, dy, x, ones, mean, rstd, hiddenSize);
        var (dxNoAffine, _, _) = FamilyData.RunBackward(engine, Variant.LayerNormNoAffine, dy, x, [], mean, rstd, hiddenSize);
        NumericAssert.BitIdentical(dxOnes, dxNoAffine, "no-affine dx");

        var (yOnes, _, _) = FamilyData.RunForward(engine, Variant.LayerNorm, x, ones, zeros, rows, hiddenSize);
        var (yNoAffine, meanNoAffine, rstdNoAffine) = FamilyData.RunForward(engine, Variant.LayerNormNoAffine, x, [], [], rows, hiddenSize);
        for (int i = 0; i < x.Length; i++)
            Assert.True(yOnes[i] == yNoAffine[i], $"no-affine y[{i}] = {yNoAffine[i]:R}, with gamma = 1 and beta = 0 {yOnes[i]:R}");
        NumericAssert.BitIdentical(mean, meanNoAffine, "no-affine mean");
        NumericAssert.BitIdentical(rstd, rstdNoAffine, "no-affine rstd");
    }

    [Theory]
    [InlineData(Variant.LayerNorm)]
    [InlineData(Variant.LayerNormNoBias)]
    [InlineData(Variant.LayerNormNoAffine)]
    [InlineData(Variant.RmsNorm)]
    public void Generic_HotPaths_AllocateNothing(Variant v)
    {
        FamilyEngine engine = FamilyEngines.ByName("Generic");
        foreach (int n in new[] { 17, 768, 4096 })
        {
            int rows = 20;
            float[] x = TestRows.Rows(RowKind.Random, rows, n, seed: 51), residual = TestRows.Uniform(x.Length, -1, 1, seed: 52);
            float[] gamma = FamilyData.Gamma(v, n, seed: 53), beta = FamilyData.Beta(v, n, seed: 54), dy = TestRows.Uniform(x.Length, -1, 1, seed: 55);
            float[] sum = new float[x.Length], y = new float[x.Length], dx = new float[x.Length], rstd = new float[rows];
            float[] mean = FamilyData.HasMean(v) ? new float[rows] : [];
            float[] dgamma = FamilyData.HasGamma(v) ? new float[n] : [], dbeta = FamilyData.HasBeta(v) ? new float[n] : [];

            void Calls()
            {
                engine.Forward(v, x, gamma, beta, y, mean, rstd, n, TestData.DefaultEpsilon);
                engine.Forward(v, x, gamma, beta, y, default, default, n, TestData.DefaultEpsilon);
                engine.ForwardResidual(v, x, residual, gamma, beta, sum, y, mean, rstd, n, TestData.DefaultEpsilon);
                engine.ForwardResidual(v, x, residual, gamma, beta, sum, y, default, default, n, TestData.DefaultEpsilon);
                engine.Backward(v, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
            }

            for (int i = 0; i < 3; i++) Calls();   // JIT tiers, thread scratch
            // A per-call allocation shows in every window; anything else (the runtime's own) in few.
            bool clean = false;
            for (int window = 0; window < 5 && !clean; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Calls();
                clean = GC.GetAllocatedBytesForCurrentThread() == before;
            }
            Assert.True(clean, $"{v} at {n} allocates");
        }
    }
}
