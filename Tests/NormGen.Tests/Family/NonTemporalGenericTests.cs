using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The generic path's non-temporal forms, forced on small inputs by setting the threshold to 0: forward y (and the
/// fused form's sum), the saved statistics, backward dx, dgamma and dbeta are bit-identical to the ordinary forms', for
/// every alignment of each output and every hidden size (whole vectors or not, on each vector width), and nothing
/// outside an output is written. In-place calls keep the ordinary stores, and the parallel forms give the serial bits.
/// RMSNorm, which has no non-temporal form, is checked to be unaffected.
/// </summary>
[Collection(nameof(NonTemporalThreshold))]
public class NonTemporalGenericTests
{
    private const float Guard = -7.25e-3f;

    private static readonly int[] Sizes = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769, 1024];

    private static readonly RowKind[] Kinds = [RowKind.Random, RowKind.FarPivot, RowKind.Offset1e4Spread1e2];

    private static readonly FamilyEngine Engine = new GenericFamilyEngine();

    public static IEnumerable<object[]> VariantSize() =>
        from v in FamilyData.Variants
        from n in Sizes
        select new object[] { v, n };

    [Theory]
    [MemberData(nameof(VariantSize))]
    public void Forward_IsBitIdentical_AtEveryAlignment(Variant v, int hiddenSize)
    {
        const int rows = 5;
        int length = rows * hiddenSize;
        foreach (RowKind kind in Kinds)
        {
            float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 21);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 22), beta = FamilyData.Beta(v, hiddenSize, seed: 23);
            (float[] Y, float[] Mean, float[] Rstd) expected = default;
            NonTemporalThreshold.With(int.MaxValue, () => expected = FamilyData.RunForward(Engine, v, x, gamma, beta, rows, hiddenSize));

            // Every offset of y in floats mod 16, so every alignment to 64 bytes wherever the array starts.
            for (int offset = 0; offset < 16; offset++)
            {
                float[] buffer = Enumerable.Repeat(Guard, length + 32).ToArray();
                float[] mean = FamilyData.HasMean(v) ? new float[rows] : [], rstd = new float[rows];
                NonTemporalThreshold.With(0, () =>
                    Engine.Forward(v, x, gamma, beta, buffer.AsSpan(offset, length), mean, rstd, hiddenSize, TestData.DefaultEpsilon));
                string at = $"{v}, {kind}, N = {hiddenSize}, y at +{offset}";
                NumericAssert.BitIdentical(expected.Y, buffer.AsSpan(offset, length), "y, " + at);
                NumericAssert.BitIdentical(expected.Mean, mean, "mean, " + at);
                NumericAssert.BitIdentical(expected.Rstd, rstd, "rstd, " + at);
                AssertGuards(buffer, offset, length, "y, " + at);

                // Without statistics: the same y.
                float[] plain = Enumerable.Repeat(Guard, length + 32).ToArray();
                NonTemporalThreshold.With(0, () =>
                    Engine.Forward(v, x, gamma, beta, plain.AsSpan(offset, length), default, default, hiddenSize, TestData.DefaultEpsilon));
                NumericAssert.BitIdentical(expected.Y, plain.AsSpan(offset, length), "y without statistics, " + at);
                AssertGuards(plain, offset, length, "y without statistics, " + at);
            }
        }
    }

    [Theory]
    [MemberData(nameof(VariantSize))]
    public void ForwardResidual_IsBitIdentical_AtEveryAlignment(Variant v, int hiddenSize)
    {
        const int rows = 5;
        int length = rows * hiddenSize;
        foreach (RowKind kind in Kinds)
        {
            float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 31);
            float[] residual = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 32);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 33), beta = FamilyData.Beta(v, hiddenSize, seed: 34);
            (float[] Sum, float[] Y, float[] Mean, float[] Rstd) expected = default;
            NonTemporalThreshold.With(int.MaxValue, () =>
                expected = FamilyData.RunForwardResidual(Engine, v, x, residual, gamma, beta, rows, hiddenSize));

            for (int sumOffset = 0; sumOffset < 16; sumOffset++)
            {
                int yOffset = (sumOffset * 7 + 3) % 16;
                float[] sumBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
                float[] yBuffer = Enumerable.Repeat(Guard, length + 32).ToArray();
                float[] mean = FamilyData.HasMean(v) ? new float[rows] : [], rstd = new float[rows];
                NonTemporalThreshold.With(0, () => Engine.ForwardResidual(v, x, residual, gamma, beta,
                    sumBuffer.AsSpan(sumOffset, length), yBuffer.AsSpan(yOffset, length), mean, rstd, hiddenSize, TestData.DefaultEpsilon));

                string at = $"{v}, {kind}, N = {hiddenSize}, sum at +{sumOffset}, y at +{yOffset}";
                NumericAssert.BitIdentical(expected.Sum, sumBuffer.AsSpan(sumOffset, length), "sum, " + at);
                NumericAssert.BitIdentical(expected.Y, yBuffer.AsSpan(yOffset, length), "y, " + at);
                NumericAssert.BitIdentical(expected.Mean, mean, "mean, " + at);
                NumericAssert.BitIdentical(expected.Rstd, rstd, "rstd, " + at);
                AssertGuards(sumBuffer, sumOffset, length, "sum, " + at);
                AssertGuards(yBuffer, yOffset, length, "y, " + at);
            }
        }
    }

    [Theory]
    [MemberData(nameof(VariantSize))]
    public void Backward_IsBitIdentical_AtEveryAlignment(Variant v, int hiddenSize)
    {
        // More than one block of rows (RowScheduler.BlockRows), so the non-temporal form also runs block by block.
        const int rows = 13;
        int length = rows * hiddenSize;
        foreach (RowKind kind in Kinds)
        {
            float[] x = TestRows.Rows(kind, rows, hiddenSize, seed: 41);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 42), beta = FamilyData.Beta(v, hiddenSize, seed: 43);
            float[] dy = TestRows.Uniform(length, -1, 1, seed: 44);
            var (_, mean, rstd) = FamilyData.RunForward(FamilyEngines.Reference, v, x, gamma, beta, rows, hiddenSize);
            (float[] Dx, float[] Dgamma, float[] Dbeta) expected = default;
            NonTemporalThreshold.With(int.MaxValue, () => expected = FamilyData.RunBackward(Engine, v, dy, x, gamma, mean, rstd, hiddenSize));

            for (int offset = 0; offset < 16; offset++)
            {
                float[] buffer = Enumerable.Repeat(Guard, length + 32).ToArray();
                float[] dgamma = FamilyData.HasGamma(v) ? new float[hiddenSize] : [];
                float[] dbeta = FamilyData.HasBeta(v) ? new float[hiddenSize] : [];
                NonTemporalThreshold.With(0, () =>
                    Engine.Backward(v, dy, x, gamma, mean, rstd, buffer.AsSpan(offset, length), dgamma, dbeta, hiddenSize));
                string at = $"{v}, {kind}, N = {hiddenSize}, dx at +{offset}";
                NumericAssert.BitIdentical(expected.Dx, buffer.AsSpan(offset, length), "dx, " + at);
                NumericAssert.BitIdentical(expected.Dgamma, dgamma, "dgamma, " + at);
                NumericAssert.BitIdentical(expected.Dbeta, dbeta, "dbeta, " + at);
                AssertGuards(buffer, offset, length, "dx, " + at);
            }
        }
    }

    public static IEnumerable<object[]> LayerNormVariants() => FamilyData.LayerNormVariants.Select(v => new object[] { v });

    [Theory]
    [MemberData(nameof(LayerNormVariants))]
    public void InPlaceCalls_TakeTheOrdinaryForm_AndStayCorrect(Variant v)
    {
        foreach (int hiddenSize in new[] { 17, 768, 769 })
        {
            const int rows = 3;
            float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 51);
            float[] residual = TestRows.Rows(RowKind.Offset1e4Spread1e2, rows, hiddenSize, seed: 52);
            float[] gamma = FamilyData.Gamma(v, hiddenSize, seed: 53), beta = FamilyData.Beta(v, hiddenSize, seed: 54);
            (float[] Y, float[] Mean, float[] Rstd) expected = default;
            (float[] Sum, float[] Y, float[] Mean, float[] Rstd) expectedResidual = default;
            NonTemporalThreshold.With(int.MaxValue, () =>
            {
                expected = FamilyData.RunForward(Engine, v, x, gamma, beta, rows, hiddenSize);
                expectedResidual = FamilyData.RunForwardResidual(Engine, v, x, residual, gamma, beta, rows, hiddenSize);
            });

            float[] inPlace = (float[])x.Clone();
            NonTemporalThreshold.With(0, () =>
                Engine.Forward(v, inPlace, gamma, beta, inPlace, [], [], hiddenSize, TestData.DefaultEpsilon));
            NumericAssert.BitIdentical(expected.Y, inPlace, $"{v}, N = {hiddenSize}: y over x");

            foreach ((string what, bool sumOverX, bool yOverResidual) in new[]
            {
                ("sum over x", true, false), ("y over residual", false, true), ("sum over x and y over residual", true, true),
            })
            {
                float[] xCopy = (float[])x.Clone(), residualCopy = (float[])residual.Clone();
                float[] sum = sumOverX ? xCopy : new float[x.Length];
                float[] y = yOverResidual ? residualCopy : new float[x.Length];
                NonTemporalThreshold.With(0, () =>
                    Engine.ForwardResidual(v, xCopy, residualCopy, gamma, beta, sum, y, [], [], hiddenSize, TestData.DefaultEpsilon));
                NumericAssert.BitIdentical(expectedResidual.Sum, sum, $"{v}, N = {hiddenSize}, {what}: sum");
                NumericAssert.BitIdentical(expectedResidual.Y, y, $"{v}, N = {hiddenSize}, {what}: y");
            }
        }
    }

    [Theory]
    [InlineData(768)]
    [InlineData(769)]
    public void ParallelForms_GiveTheSerialBits(int hiddenSize)
    {
        // Enough rows for several threads (RowScheduler.MinElementsPerThread each).
        int rows = 3 * RowScheduler.MinElementsPerThread / hiddenSize + 5;
        float[] x = TestRows.Rows(RowKind.Random, rows, hiddenSize, seed: 61);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 62), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 63);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 64);
        Assert.True(RowScheduler.ForwardThreads(rows, hiddenSize, 4) > 1 && RowScheduler.BackwardThreads(rows, hiddenSize, 4) > 1);

        float[] y = new float[x.Length], mean = new float[rows], rstd = new float[rows];
        float[] dx = new float[x.Length], dgamma = new float[hiddenSize], dbeta = new float[hiddenSize];
        NonTemporalThreshold.With(int.MaxValue, () =>
        {
            LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize);
            LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        });

        foreach (int degree in new[] { 1, 2, 3, 4 })
        {
            float[] yP = new float[x.Length], meanP = new float[rows], rstdP = new float[rows];
            float[] dxP = new float[x.Length], dgammaP = new float[hiddenSize], dbetaP = new float[hiddenSize];
            NonTemporalThreshold.With(0, () =>
            {
                LayerNorm.ForwardParallel(x, gamma, beta, yP, meanP, rstdP, hiddenSize, TestData.DefaultEpsilon, degree);
                LayerNorm.BackwardParallel(dy, x, gamma, mean, rstd, dxP, dgammaP, dbetaP, hiddenSize, degree);
            });
            string what = $"N = {hiddenSize}, {degree} threads";
            NumericAssert.BitIdentical(y, yP, "y, " + what);
            NumericAssert.BitIdentical(mean, meanP, "mean, " + what);
            NumericAssert.BitIdentical(rstd, rstdP, "rstd, " + what);
            NumericAssert.BitIdentical(dx, dxP, "dx, " + what);
            NumericAssert.BitIdentical(dgamma, dgammaP, "dgamma, " + what);
            NumericAssert.BitIdentical(dbeta, dbetaP, "dbeta, " + what);
        }
    }

    private static void AssertGuards(float[] buffer, int offset, int length, string what)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if (i >= offset && i < offset + length) continue;
            Assert.True(BitConverter.SingleToInt32Bits(buffer[i]) == BitConverter.SingleToInt32Bits(Guard),
                $"{what}: element {i - offset} outside the output was written ({buffer[i]:R})");
        }
    }
}
