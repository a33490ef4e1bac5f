using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The generated Backward against central finite differences of LayerNormReference's forward, in double,
/// on the very float inputs the kernel sees. Loss L = Σ dy · y, so the exact gradients are dx, dgamma, dbeta.
/// </summary>
/// <remarks>
/// Tolerance 2e-5 · (scale + |t|): the kernel's float arithmetic is within the 1e-5 contract of the reference
/// (ParityTests), the reference is within 1e-6 of its finite differences (ReferenceGradientTests), and the
/// differences here are in double, so 2e-5 bounds both with room, while a wrong term (a missing xhat · mean(g · xhat),
/// a sign, a factor of N) shows as an error of order 1.
/// </remarks>
public class GradientCheckTests
{
    private const double Tolerance = 2e-5;
    private const double Step = 1e-5;
    private const int Rows = 2;

    [Theory]
    [InlineData(1, RowKind.Random)]
    [InlineData(3, RowKind.Random)]
    [InlineData(17, RowKind.Random)]
    [InlineData(17, RowKind.Offset1e4Spread1e2)]
    [InlineData(64, RowKind.Random)]
    [InlineData(64, RowKind.MixedScales)]
    [InlineData(768, RowKind.Random)]
    public void GeneratedBackward_MatchesFiniteDifferencesOfTheReference(int hiddenSize, RowKind kind)
    {
        Engine generated = Engines.ByName("Generated");
        Assert.True(generated.Supports(hiddenSize, TestData.DefaultEpsilon), $"no generated kernel for {hiddenSize}");
        float[] x = TestRows.Rows(kind, Rows, hiddenSize, seed: 71);
        float[] gamma = TestRows.Uniform(hiddenSize, -2, 2, seed: 72), beta = TestRows.Uniform(hiddenSize, -1, 1, seed: 73);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 74);
        var (_, mean, rstd) = ParityTests.RunForward(generated, x, gamma, beta, Rows, hiddenSize);
        var (dx, dgamma, dbeta) = ParityTests.RunBackward(generated, dy, x, gamma, mean, rstd, hiddenSize);

        double[] xd = FiniteDifferences.ToDouble(x), gammad = FiniteDifferences.ToDouble(gamma), betad = FiniteDifferences.ToDouble(beta), dyd = FiniteDifferences.ToDouble(dy);
        var yRow = new double[hiddenSize];
        double Loss()
        {
            double loss = 0;
            for (int r = 0; r < Rows; r++)
            {
                LayerNormReference.ForwardRow(xd.AsSpan(r * hiddenSize, hiddenSize), gammad, betad, yRow, TestData.DefaultEpsilon, out _, out _);
                for (int i = 0; i < hiddenSize; i++) loss += dyd[r * hiddenSize + i] * yRow[i];
            }
            return loss;
        }

        for (int r = 0; r < Rows; r++)
        {
            double spread = 1 / rstd[r];   // dx scales with rstd; step and tolerance follow the row's spread
            for (int i = 0; i < hiddenSize; i++)
            {
                int k = r * hiddenSize + i;
                AssertClose(FiniteDifferences.Derivative(xd, k, Step * spread, Loss), dx[k], $"dx[{k}]", Math.Min(1, rstd[r]));
            }
        }
        for (int i = 0; i < hiddenSize; i++)
        {
            AssertClose(FiniteDifferences.Derivative(gammad, i, Step, Loss), dgamma[i], $"dgamma[{i}]", 1);
            AssertClose(FiniteDifferences.Derivative(betad, i, Step, Loss), dbeta[i], $"dbeta[{i}]", 1);
        }
    }

    private static void AssertClose(double expected, double actual, string what, double scale)
    {
        double error = Math.Abs(expected - actual);
        Assert.True(error <= Tolerance * (scale + Math.Abs(expected)),
            $"{what}: finite difference {expected:R}, generated backward {actual:R}, error {error:E3}");
    }
}
