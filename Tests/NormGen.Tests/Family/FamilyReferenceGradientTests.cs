using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// Proves the family's oracles: RMSNorm's and the LayerNorm variants' reference backward equal central finite
/// differences of their own forward, in double. The loss is L = Σ w · y for fixed random weights w, so dL/dy = w.
/// </summary>
public class FamilyReferenceGradientTests
{
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
    [InlineData(9, RowKind.Tiny)]
    public void RmsNormReferenceBackward_MatchesFiniteDifferences(int hiddenSize, RowKind kind)
    {
        double[] x = FiniteDifferences.ToDouble(TestRows.Rows(kind, 1, hiddenSize, seed: 91));
        double[] gamma = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -2, 2, seed: 92));
        double[] w = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -1, 1, seed: 93));
        const double epsilon = 1e-5;

        var y = new double[hiddenSize];
        RmsNormReference.ForwardRow(x, gamma, y, epsilon, out double rstd);
        var dx = new double[hiddenSize];
        var dgamma = new double[hiddenSize];
        RmsNormReference.BackwardRow(w, x, gamma, rstd, dx, dgamma);

        double Loss() { RmsNormReference.ForwardRow(x, gamma, y, epsilon, out _); return Dot(w, y); }

        // Scale the step with the row's root mean square so the difference sees the function, not rounding.
        double scale = 1 / rstd;
        for (int i = 0; i < hiddenSize; i++)
        {
            AssertClose(FiniteDifferences.Derivative(x, i, Step * scale, Loss), dx[i], $"dx[{i}]", 1 / scale);
            AssertClose(FiniteDifferences.Derivative(gamma, i, Step, Loss), dgamma[i], $"dgamma[{i}]", 1);
        }
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(false, 17)]
    [InlineData(true, 3)]
    [InlineData(true, 64)]
    public void LayerNormVariantsReferenceBackward_MatchesFiniteDifferences(bool affine, int hiddenSize)
    {
        // affine: the no-bias form (gamma, no beta); otherwise neither.
        double[] x = FiniteDifferences.ToDouble(TestRows.Rows(RowKind.Random, 1, hiddenSize, seed: 94));
        double[] gamma = affine ? FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -2, 2, seed: 95)) : [];
        double[] w = FiniteDifferences.ToDouble(TestRows.Uniform(hiddenSize, -1, 1, seed: 96));
        const double epsilon = 1e-5;

        var y = new double[hiddenSize];
        LayerNormReference.ForwardRow(x, gamma, [], y, epsilon, out _, out double rstd);
        var dx = new double[hiddenSize];
        var dgamma = new double[gamma.Length];
        LayerNormReference.BackwardRow(w, x, gamma, rstd, dx, dgamma, []);

        double Loss() { LayerNormReference.ForwardRow(x, gamma, [], y, epsilon, out _, out _); return Dot(w, y); }

        double spread = 1 / rstd;
        for (int i = 0; i < hiddenSize; i++)
        {
            AssertClose(FiniteDifferences.Derivative(x, i, Step * spread, Loss), dx[i], $"dx[{i}]", 1 / spread);
            if (affine)
                AssertClose(FiniteDifferences.Derivative(gamma, i, Step, Loss), dgamma[i], $"dgamma[{i}]", 1);
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
