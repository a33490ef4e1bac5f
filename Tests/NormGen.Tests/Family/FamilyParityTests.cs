using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>Every family engine against the double-precision reference, for every variant, hidden size and row kind.</summary>
public class FamilyParityTests
{
    [Theory]
    [MemberData(nameof(FamilyData.EngineVariantSizeKind), MemberType = typeof(FamilyData))]
    public void Forward_MatchesReference(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 31 + (int)kind);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 1), beta = FamilyData.Beta(v, hiddenSize, seed: 2);

        var (yRef, meanRef, rstdRef) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);
        var (y, mean, rstd) = FamilyData.RunForward(engine, v, x, gamma, beta, rows, hiddenSize);

        NumericAssert.Close(yRef, y, "y");
        NumericAssert.Close(meanRef, mean, "mean");
        NumericAssert.Close(rstdRef, rstd, "rstd");

        // The overload without statistics computes the same y, bit for bit.
        var yOnly = new float[x.Length];
        engine.Forward(v, x, gamma, beta, yOnly, default, default, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(y, yOnly, "y without statistics");
    }

    /// <summary>Epsilon reaches every variant: rows of 1e-20 are all epsilon, so a wrong one shows in y and rstd.</summary>
    [Theory]
    [MemberData(nameof(Epsilons))]
    public void Forward_OtherEpsilons_MatchReference(string engineName, Variant v, float epsilon)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        foreach (int hiddenSize in new[] { 17, 768 })
        {
            if (!engine.Supports(v, hiddenSize, epsilon)) continue;
            foreach (RowKind kind in new[] { RowKind.Tiny, RowKind.Random })
            {
                int rows = 3;
                float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 81), residual = TestRows.Rows(kind, rows, hiddenSize, seed: 82);
                float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 83), beta = FamilyData.Beta(v, hiddenSize, seed: 84);

                var (yRef, meanRef, rstdRef) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize, epsilon);
                var (y, mean, rstd) = FamilyData.RunForward(engine, v, x, gamma, beta, rows, hiddenSize, epsilon);
                NumericAssert.Close(yRef, y, $"y ({kind}, N = {hiddenSize})");
                NumericAssert.Close(meanRef, mean, $"mean ({kind}, N = {hiddenSize})");
                NumericAssert.Close(rstdRef, rstd, $"rstd ({kind}, N = {hiddenSize})");

                var (_, yResRef, _, rstdResRef) = FamilyData.RunForwardResidual(FamilyEngines.Reference, v, x, residual, gamma, beta, rows, hiddenSize, epsilon);
                var (_, yRes, _, rstdRes) = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize, epsilon);
                NumericAssert.Close(yResRef, yRes, $"residual y ({kind}, N = {hiddenSize})");
                NumericAssert.Close(rstdResRef, rstdRes, $"residual rstd ({kind}, N = {hiddenSize})");
            }
        }
    }

    public static TheoryData<string, Variant, float> Epsilons()
    {
        var data = new TheoryData<string, Variant, float>();
        foreach (FamilyEngine engine in FamilyEngines.UnderTest)
            foreach (Variant v in FamilyData.Variants)
                foreach (float epsilon in new[] { 1e-6f, 1e-2f })
                    data.Add(engine.Name, v, epsilon);
        return data;
    }

    [Theory]
    [MemberData(nameof(FamilyData.EngineVariantSizeKind), MemberType = typeof(FamilyData))]
    public void ForwardResidual_MatchesReference_AndTheUnfusedForwardOnTheSum(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 41 + (int)kind);
        float[] residual = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 43 + (int)kind);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 3), beta = FamilyData.Beta(v, hiddenSize, seed: 4);

        var (sumRef, yRef, meanRef, rstdRef) = FamilyData.RunForwardResidual(FamilyEngines.Reference, v, x, residual, gamma, beta, rows, hiddenSize);
        var (sum, y, mean, rstd) = FamilyData.RunForwardResidual(engine, v, x, residual, gamma, beta, rows, hiddenSize);

        // sum is the float add, bit for bit, in every engine.
        var expectedSum = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
            expectedSum[i] = x[i] + residual[i];
        NumericAssert.BitIdentical(expectedSum, sumRef, "reference sum");
        NumericAssert.BitIdentical(expectedSum, sum, "sum");

        NumericAssert.Close(yRef, y, "y");
        NumericAssert.Close(meanRef, mean, "mean");
        NumericAssert.Close(rstdRef, rstd, "rstd");

        // The fused form is exactly the unfused forward on the stored sum.
        var (yUnfused, meanUnfused, rstdUnfused) = FamilyData.RunForward(engine, v, sum, gamma, beta, rows, hiddenSize);
        NumericAssert.BitIdentical(yUnfused, y, "fused y against Forward(sum)");
        NumericAssert.BitIdentical(meanUnfused, mean, "fused mean against Forward(sum)");
        NumericAssert.BitIdentical(rstdUnfused, rstd, "fused rstd against Forward(sum)");

        // And without statistics, the same bits.
        var sumOnly = new float[x.Length];
        var yOnly = new float[x.Length];
        engine.ForwardResidual(v, x, residual, gamma, beta, sumOnly, yOnly, default, default, hiddenSize, TestData.DefaultEpsilon);
        NumericAssert.BitIdentical(sum, sumOnly, "sum without statistics");
        NumericAssert.BitIdentical(y, yOnly, "y without statistics");
    }

    [Theory]
    [MemberData(nameof(FamilyData.EngineVariantSizeKind), MemberType = typeof(FamilyData))]
    public void Backward_MatchesReference(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 37 + (int)kind);
        // The seeds of ParityTests.Backward_MatchesReference: the LayerNorm variant sees exactly its data.
        // Backward_OtherSeeds_MatchesReference runs other data through the longest rows.
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 3), beta = FamilyData.Beta(v, hiddenSize, seed: 4);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 5);
        var (_, mean, rstd) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);

        var (dxRef, dgammaRef, dbetaRef) = FamilyData.RunBackward(FamilyEngines.Reference, v, dy, x, gamma, mean, rstd, hiddenSize);
        var (dx, dgamma, dbeta) = FamilyData.RunBackward(engine, v, dy, x, gamma, mean, rstd, hiddenSize);

        NumericAssert.Close(dxRef, dx, "dx");
        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
    }

    /// <summary>Many rows: dgamma and dbeta go through the scheduler's blocks and chunks (with dbeta absent for
    /// no-bias variants, with no reduction at all without affine), and still match the reference.</summary>
    /// <summary>
    /// Backward on the longest rows with other data (gamma, beta, dy from seeds 5, 6, 7). It caught the generic scalar
    /// path, whose sums of g and g · xhat ran in two float chains of 2048 terms at N = 4095 and erred by 1.05e-5 in dx
    /// on Offset1e4Spread1e2 rows; they are four chains now, as the statistics' are.
    /// </summary>
    [Theory]
    [MemberData(nameof(FamilyData.UnderTestVariantLongRowsAdversarialKinds), MemberType = typeof(FamilyData))]
    public void Backward_OtherSeeds_MatchesReference(string engineName, Variant v, int hiddenSize, RowKind kind)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = TestData.RowsFor(hiddenSize);
        float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: hiddenSize * 37 + (int)kind);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 5), beta = FamilyData.Beta(v, hiddenSize, seed: 6);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 7);
        var (_, mean, rstd) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);

        var (dxRef, dgammaRef, dbetaRef) = FamilyData.RunBackward(FamilyEngines.Reference, v, dy, x, gamma, mean, rstd, hiddenSize);
        var (dx, dgamma, dbeta) = FamilyData.RunBackward(engine, v, dy, x, gamma, mean, rstd, hiddenSize);

        NumericAssert.Close(dxRef, dx, "dx");
        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
    }

    [Theory]
    [MemberData(nameof(FamilyData.UnderTestVariantFewSizes), MemberType = typeof(FamilyData))]
    public void Backward_ManyRows_MatchesReference(string engineName, Variant v, int hiddenSize)
    {
        FamilyEngine engine = FamilyEngines.ByName(engineName);
        if (!engine.Supports(v, hiddenSize, TestData.DefaultEpsilon)) return;
        int rows = Math.Max(37, 200_000 / hiddenSize);
        float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 71);
        float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 72), beta = FamilyData.Beta(v, hiddenSize, seed: 73);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 74);
        var (_, mean, rstd) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);

        var (dxRef, dgammaRef, dbetaRef) = FamilyData.RunBackward(FamilyEngines.Reference, v, dy, x, gamma, mean, rstd, hiddenSize);
        var (dx, dgamma, dbeta) = FamilyData.RunBackward(engine, v, dy, x, gamma, mean, rstd, hiddenSize);

        NumericAssert.Close(dxRef, dx, "dx");
        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
    }
}
