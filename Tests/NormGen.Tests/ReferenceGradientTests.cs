using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// Proves the oracle itself: the reference's backward equals central finite differences of its
/// own forward, both in double. The loss is L = Σ w · y for fixed random weights w, so dL/dy = w.
/// </summary>
public class ReferenceGradientTests
{
    // Central differences in double: truncation error ~h², rounding ~1e-16/h; h = 1e-5 balances them near 1e-10.
    private const double Step = 1e-5;
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(1, RowKind.Random)]
    [InlineData(2, RowKind.Random)]
    [InlineData(3, RowKind.Random)]
    [InlineData(17, RowKind.Random)]
    [InlineData(64, RowKind.MixedScales)]
    [InlineData(100, RowKind.Random)]
    [InlineData(33, RowKind.Offset1e4Spread1e2)]
    public void ReferenceBackward_MatchesFiniteDifferences(int hiddenSize, RowKind kind)
    {
        double[] x = FiniteDifferences.ToDouble(TestRows.Rows(kind, 1, hiddenSize, seed: 61));
        double[] gamma = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -2, 2, seed: 62));
        double[] beta = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -1, 1, seed: 63));
        double[] w = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -1, 1, seed: 64));
        const double epsilon = 1e-5;

        var y = new double[hiddenSize];
        LayerNormReference.ForwardRow(x, gamma, beta, y, epsilon, out _, out double rstd);
        var dx = new double[hiddenSize];
        var dgamma = new double[hiddenSize];
        var dbeta = new double[hiddenSize];
        LayerNormReference.BackwardRow(w, x, gamma, rstd, dx, dgamma, dbeta);

        double Loss() { LayerNormReference.ForwardRow(x, gamma, beta, y, epsilon, out _, out _); return Dot(w, y); }

        // Scale the step with the row's spread so the difference sees the function, not rounding.
        double spread = 1 / rstd;
        for (int i = 0; i < hiddenSize; i++)
        {
            AssertClose(FiniteDifferences.Derivative(x, i, Step * spread, Loss), dx[i], $"dx[{i}]", 1 / spread);
            AssertClose(FiniteDifferences.Derivative(gamma, i, Step, Loss), dgamma[i], $"dgamma[{i}]", 1);
            AssertClose(FiniteDifferences.Derivative(beta, i, Step, Loss), dbeta[i], $"dbeta[{i}]", 1);
        }
    }

    private static void AssertClose(double expected, double actual, string what, double scale)
    {
        double error = Math.Abs(expected - actual);
        Assert.True(error <= Tolerance * (scale + Math.Abs(expected)),
            $"{what}: finite difference {expected:R}, backward {actual:R}, error {error:E3}");
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
