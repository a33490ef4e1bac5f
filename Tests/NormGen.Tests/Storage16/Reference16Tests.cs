using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The 16-bit references: every overload, for half and bfloat16, with gamma and beta in the row type and in float.
/// Each T output must be the double result rounded once to T; the float outputs must be the float reference's,
/// bit for bit, on the same (exactly representable) data; constant rows give beta exactly; NaN stays in its row;
/// overflow gives ∞; the fused sum is the rounded float add.
/// </summary>
public class Reference16Tests
{
    public static readonly Reference16<Half> Half16 = new HalfReference16();
    public static readonly Reference16<BFloat16> BFloat16_16 = new BFloat16Reference16();

    public static IEnumerable<object[]> Types() => [["Half"], ["BFloat16"]];

    private static readonly int[] Sizes = [1, 2, 3, 7, 8, 17, 64, 100, 769];
    private const int Rows = 3;

    /// <summary>Runs a test written once over the element type for the named type.</summary>
    private static void Run(string type, Action<Reference16<Half>> half, Action<Reference16<BFloat16>> bfloat16)
    {
        if (type == "Half")
            half(Half16);
        else
            bfloat16(BFloat16_16);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Forward_IsTheDoubleRowRoundedOnce(string type) => Run(type, ForwardIsRoundedOnce, ForwardIsRoundedOnce);

    private static void ForwardIsRoundedOnce<T>(Reference16<T> r) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Data16.Uniform(r, Rows * n, -2, 2, seed: n), gamma = Data16.Uniform(r, n, 0.5f, 1.5f, seed: n + 1),
                beta = Data16.Uniform(r, n, -1, 1, seed: n + 2), residual = Data16.Uniform(r, Rows * n, -1, 1, n + 3);
            float[] gammaF = Data16.Widen(r, gamma), betaF = Data16.Widen(r, beta);

            // LayerNorm, both parameter types, with and without the residual.
            foreach (bool withResidual in new[] { false, true })
            {
                T[] input = withResidual ? Data16.Sum(r, x, residual) : x;
                var (expectedY, expectedMean, expectedRstd) = Data16.LayerNormInDouble(r, input, gamma, beta, n);
                T[] y = new T[x.Length], sum = new T[x.Length];
                float[] mean = new float[Rows], rstd = new float[Rows];
                for (int p = 0; p < 2; p++)
                {
                    switch (withResidual, p)
                    {
                        case (true, 0):
                            r.LayerNormForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, n);
                            break;
                        case (true, _):
                            r.LayerNormForwardResidual(x, residual, gammaF, betaF, sum, y, mean, rstd, n);
                            break;
                        case (false, 0): r.LayerNormForward(x, gamma, beta, y, mean, rstd, n); break;
                        case (false, _): r.LayerNormForward(x, gammaF, betaF, y, mean, rstd, n); break;
                    }
                    Data16.AssertBitIdentical(r, expectedY, y, $"LayerNorm y, n = {n}, residual {withResidual}, p {p}");
                    NumericAssert.BitIdentical(expectedMean, mean, $"mean, n = {n}");
                    NumericAssert.BitIdentical(expectedRstd, rstd, $"rstd, n = {n}");
                    if (withResidual)
                        Data16.AssertBitIdentical(r, input, sum, $"sum, n = {n}");
                }
            }

            // RMSNorm.
            {
                var (expectedY, expectedRstd) = Data16.RmsNormInDouble(r, x, gamma, n);
                T[] y = new T[x.Length];
                float[] rstd = new float[Rows];
                r.RmsNormForward(x, gamma, y, rstd, n);
                Data16.AssertBitIdentical(r, expectedY, y, $"RMSNorm y, n = {n}");
                NumericAssert.BitIdentical(expectedRstd, rstd, $"RMSNorm rstd, n = {n}");
                r.RmsNormForward(x, gammaF, y, rstd, n);
                Data16.AssertBitIdentical(r, expectedY, y, $"RMSNorm y (float gamma), n = {n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Outputs_AreRoundedOnceFromDouble_NotThroughFloat(string type) => Run(type, RoundedOnce, RoundedOnce);

    /// <summary>
    /// Rows where rounding the double result to float first and then to T would give the wrong neighbour: RMSNorm rows
    /// of two elements in [0.5, 2), y_i = gamma_i · x_i / sqrt((x_0² + x_1²) / 2 + eps), searched over a grid of pairs.
    /// The reference must give the correctly rounded value on every one of them.
    /// </summary>
    private static void RoundedOnce<T>(Reference16<T> r) where T : unmanaged
    {
        T[] grid = Enumerable.Range(0, 1 << 16).Select(b => r.FromBits((ushort)b))
            .Where(v => r.ToSingle(v) >= 0.5f && r.ToSingle(v) < 2f).ToArray();
        int step = Math.Max(1, grid.Length / 256);   // about 256 × 256 pairs for either type
        int found = 0;
        foreach (float[] g in new[] { new[] { 1f, 1f }, new[] { 1.5f, 0.75f }, new[] { 3f, 1.25f } })
        {
            T[] gamma = g.Select(r.FromSingle).ToArray();
            var rows = new List<T>();
            for (int i = 0; i < grid.Length; i += step)
            {
                for (int j = 0; j < grid.Length; j += step)
                {
                    double x0 = r.ToSingle(grid[i]), x1 = r.ToSingle(grid[j]);
                    double rstd = 1.0 / Math.Sqrt((x0 * x0 + x1 * x1) / 2 + TestData.DefaultEpsilon);
                    double y0 = x0 * rstd * r.ToSingle(gamma[0]), y1 = x1 * rstd * r.ToSingle(gamma[1]);
                    if (r.Bits(r.FromDouble(y0)) != r.Bits(r.FromSingle((float)y0))
                        || r.Bits(r.FromDouble(y1)) != r.Bits(r.FromSingle((float)y1)))
                    {
                        rows.Add(grid[i]);
                        rows.Add(grid[j]);
                    }
                }
            }
            if (rows.Count == 0)
                continue;
            found += rows.Count / 2;
            T[] input = rows.ToArray(), output = new T[input.Length];
            r.RmsNormForward(input, gamma, output, hiddenSize: 2);
            var (expected, _) = Data16.RmsNormInDouble(r, input, gamma, 2);
            Data16.AssertBitIdentical(r, expected, output, $"rounded once, gamma [{g[0]}, {g[1]}]");
        }
        Assert.True(found > 0, "no row needed the single rounding: the test would not tell the two apart");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void AgreesWithTheFloatReference_OnTheSameData(string type) =>
        Run(type, AgreesWithFloatReference, AgreesWithFloatReference);

    /// <summary>
    /// The float reference on the widened data computes the same doubles: its float outputs (mean, rstd, dgamma, dbeta)
    /// are bit-identical, and each T output is within one T ulp of the float one (equal to it rounded to T, except when
    /// the float lies next to a T tie and rounding it again goes the other way).
    /// </summary>
    private static void AgreesWithFloatReference<T>(Reference16<T> r) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Data16.Uniform(r, Rows * n, -3, 3, seed: 10 * n);
            T[] dy = Data16.Uniform(r, Rows * n, -1, 1, seed: 10 * n + 1);
            T[] gamma = Data16.Uniform(r, n, -2, 2, seed: 10 * n + 2), beta = Data16.Uniform(r, n, -1, 1, 10 * n + 3);
            float[] xF = Data16.Widen(r, x), dyF = Data16.Widen(r, dy), gammaF = Data16.Widen(r, gamma),
                betaF = Data16.Widen(r, beta);

            T[] y = new T[x.Length], dx = new T[x.Length];
            float[] mean = new float[Rows], rstd = new float[Rows], dgamma = new float[n], dbeta = new float[n];
            float[] yF = new float[x.Length], dxF = new float[x.Length];
            float[] meanF = new float[Rows], rstdF = new float[Rows], dgammaF = new float[n], dbetaF = new float[n];

            r.LayerNormForward(x, gamma, beta, y, mean, rstd, n);
            LayerNormReference.Forward(xF, gammaF, betaF, yF, meanF, rstdF, n);
            r.LayerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
            LayerNormReference.Backward(dyF, xF, gammaF, meanF, rstdF, dxF, dgammaF, dbetaF, n);
            NumericAssert.BitIdentical(meanF, mean, "mean");
            NumericAssert.BitIdentical(rstdF, rstd, "rstd");
            NumericAssert.BitIdentical(dgammaF, dgamma, "dgamma");
            NumericAssert.BitIdentical(dbetaF, dbeta, "dbeta");
            Data16.AssertWithinOneUlp(r, yF, y, $"y, n = {n}");
            Data16.AssertWithinOneUlp(r, dxF, dx, $"dx, n = {n}");

            r.RmsNormForward(x, gamma, y, rstd, n);
            RmsNormReference.Forward(xF, gammaF, yF, rstdF, n);
            r.RmsNormBackward(dy, x, gamma, rstd, dx, dgamma, n);
            RmsNormReference.Backward(dyF, xF, gammaF, rstdF, dxF, dgammaF, n);
            NumericAssert.BitIdentical(rstdF, rstd, "RMSNorm rstd");
            NumericAssert.BitIdentical(dgammaF, dgamma, "RMSNorm dgamma");
            Data16.AssertWithinOneUlp(r, yF, y, $"RMSNorm y, n = {n}");
            Data16.AssertWithinOneUlp(r, dxF, dx, $"RMSNorm dx, n = {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryOverload_AgreesWithTheFullForm(string type) => Run(type, OverloadsAgree, OverloadsAgree);

    /// <summary>
    /// Each variant is the full form with its missing parameters neutral, exactly (in double, xhat · 1 + 0 is xhat):
    /// NoBias is beta = 0, NoAffine is gamma = 1 and beta = 0; the forms without statistics write the same y; the
    /// float-parameter overloads equal the T-parameter ones on the same values; the fused forms equal the add followed
    /// by the plain form; and each backward variant equals the full backward with the same neutral parameters.
    /// </summary>
    private static void OverloadsAgree<T>(Reference16<T> r) where T : unmanaged
    {
        foreach (int n in new[] { 1, 5, 33 })
        {
            int length = Rows * n;
            T[] x = Data16.Uniform(r, length, -2, 2, seed: n), residual = Data16.Uniform(r, length, -2, 2, n + 1),
                dy = Data16.Uniform(r, length, -1, 1, n + 2), gamma = Data16.Uniform(r, n, 0.5f, 2, n + 3),
                beta = Data16.Uniform(r, n, -1, 1, n + 4);
            T[] ones = Enumerable.Repeat(r.FromSingle(1), n).ToArray(), zeros = new T[n];
            float[] gammaF = Data16.Widen(r, gamma), betaF = Data16.Widen(r, beta);
            T[] sum = Data16.Sum(r, x, residual);

            // The full forms everything else must equal.
            var full = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(x, gamma, beta, full.Y, full.Mean, full.Rstd, n);
            var noBias = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(x, gamma, zeros, noBias.Y, noBias.Mean, noBias.Rstd, n);
            var noAffine = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(x, ones, zeros, noAffine.Y, noAffine.Mean, noAffine.Rstd, n);
            var ofSum = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(sum, gamma, beta, ofSum.Y, ofSum.Mean, ofSum.Rstd, n);
            var noBiasOfSum = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(sum, gamma, zeros, noBiasOfSum.Y, noBiasOfSum.Mean, noBiasOfSum.Rstd, n);
            var noAffineOfSum = new Outputs<T>(length, Rows, n);
            r.LayerNormForward(sum, ones, zeros, noAffineOfSum.Y, noAffineOfSum.Mean, noAffineOfSum.Rstd, n);

            var o = new Outputs<T>(length, Rows, n);
            void Check(Outputs<T> expected, string name, bool statistics = true, bool withSum = false)
            {
                Data16.AssertBitIdentical(r, expected.Y, o.Y, name + ": y");
                if (statistics)
                {
                    NumericAssert.BitIdentical(expected.Mean, o.Mean, name + ": mean");
                    NumericAssert.BitIdentical(expected.Rstd, o.Rstd, name + ": rstd");
                }
                if (withSum)
                    Data16.AssertBitIdentical(r, sum, o.Sum, name + ": sum");
                o = new Outputs<T>(length, Rows, n);
            }

            r.LayerNormForward(x, gamma, beta, o.Y, n); Check(full, "Forward", statistics: false);
            r.LayerNormForward(x, gammaF, betaF, o.Y, n); Check(full, "Forward float", statistics: false);
            r.LayerNormForward(x, gammaF, betaF, o.Y, o.Mean, o.Rstd, n); Check(full, "Forward float, statistics");
            r.LayerNormForwardNoBias(x, gamma, o.Y, n); Check(noBias, "NoBias", statistics: false);
            r.LayerNormForwardNoBias(x, gammaF, o.Y, n); Check(noBias, "NoBias float", statistics: false);
            r.LayerNormForwardNoBias(x, gamma, o.Y, o.Mean, o.Rstd, n); Check(noBias, "NoBias, statistics");
            r.LayerNormForwardNoBias(x, gammaF, o.Y, o.Mean, o.Rstd, n); Check(noBias, "NoBias float, statistics");
            r.LayerNormForwardNoAffine(x, o.Y, n); Check(noAffine, "NoAffine", statistics: false);
            r.LayerNormForwardNoAffine(x, o.Y, o.Mean, o.Rstd, n); Check(noAffine, "NoAffine, statistics");

            r.LayerNormForwardResidual(x, residual, gamma, beta, o.Sum, o.Y, n);
            Check(ofSum, "Residual", statistics: false, withSum: true);
            r.LayerNormForwardResidual(x, residual, gammaF, betaF, o.Sum, o.Y, n);
            Check(ofSum, "Residual float", statistics: false, withSum: true);
            r.LayerNormForwardResidual(x, residual, gamma, beta, o.Sum, o.Y, o.Mean, o.Rstd, n);
            Check(ofSum, "Residual, statistics", withSum: true);
            r.LayerNormForwardResidual(x, residual, gammaF, betaF, o.Sum, o.Y, o.Mean, o.Rstd, n);
            Check(ofSum, "Residual float, statistics", withSum: true);
            r.LayerNormForwardResidualNoBias(x, residual, gamma, o.Sum, o.Y, n);
            Check(noBiasOfSum, "ResidualNoBias", statistics: false, withSum: true);
            r.LayerNormForwardResidualNoBias(x, residual, gammaF, o.Sum, o.Y, n);
            Check(noBiasOfSum, "ResidualNoBias float", statistics: false, withSum: true);
            r.LayerNormForwardResidualNoBias(x, residual, gamma, o.Sum, o.Y, o.Mean, o.Rstd, n);
            Check(noBiasOfSum, "ResidualNoBias, statistics", withSum: true);
            r.LayerNormForwardResidualNoBias(x, residual, gammaF, o.Sum, o.Y, o.Mean, o.Rstd, n);
            Check(noBiasOfSum, "ResidualNoBias float, statistics", withSum: true);
            r.LayerNormForwardResidualNoAffine(x, residual, o.Sum, o.Y, n);
            Check(noAffineOfSum, "ResidualNoAffine", statistics: false, withSum: true);
            r.LayerNormForwardResidualNoAffine(x, residual, o.Sum, o.Y, o.Mean, o.Rstd, n);
            Check(noAffineOfSum, "ResidualNoAffine, statistics", withSum: true);

            // Backward: the full form with T and float gamma; NoBias is the full form's dx and dgamma; NoAffine is
            // the full form with gamma = 1.
            var b = new Outputs<T>(length, Rows, n);
            r.LayerNormBackward(dy, x, gamma, full.Mean, full.Rstd, b.Y, b.Dgamma, b.Dbeta, n);
            var bOnes = new Outputs<T>(length, Rows, n);
            r.LayerNormBackward(dy, x, ones, full.Mean, full.Rstd, bOnes.Y, bOnes.Dgamma, bOnes.Dbeta, n);
            var c = new Outputs<T>(length, Rows, n);
            r.LayerNormBackward(dy, x, gammaF, full.Mean, full.Rstd, c.Y, c.Dgamma, c.Dbeta, n);
            Data16.AssertBitIdentical(r, b.Y, c.Y, "Backward float: dx");
            NumericAssert.BitIdentical(b.Dgamma, c.Dgamma, "Backward float: dgamma");
            NumericAssert.BitIdentical(b.Dbeta, c.Dbeta, "Backward float: dbeta");
            c = new Outputs<T>(length, Rows, n);
            r.LayerNormBackwardNoBias(dy, x, gamma, full.Mean, full.Rstd, c.Y, c.Dgamma, n);
            Data16.AssertBitIdentical(r, b.Y, c.Y, "BackwardNoBias: dx");
            NumericAssert.BitIdentical(b.Dgamma, c.Dgamma, "BackwardNoBias: dgamma");
            c = new Outputs<T>(length, Rows, n);
            r.LayerNormBackwardNoBias(dy, x, gammaF, full.Mean, full.Rstd, c.Y, c.Dgamma, n);
            Data16.AssertBitIdentical(r, b.Y, c.Y, "BackwardNoBias float: dx");
            NumericAssert.BitIdentical(b.Dgamma, c.Dgamma, "BackwardNoBias float: dgamma");
            c = new Outputs<T>(length, Rows, n);
            r.LayerNormBackwardNoAffine(dy, x, full.Mean, full.Rstd, c.Y, n);
            Data16.AssertBitIdentical(r, bOnes.Y, c.Y, "BackwardNoAffine: dx");

            // RMSNorm: the forms with and without rstd and the residual, both gamma types, and backward.
            var rms = new Outputs<T>(length, Rows, n);
            r.RmsNormForward(x, gamma, rms.Y, rms.Rstd, n);
            var rmsOfSum = new Outputs<T>(length, Rows, n);
            r.RmsNormForward(sum, gamma, rmsOfSum.Y, rmsOfSum.Rstd, n);
            void CheckRms(Outputs<T> expected, string name, bool withRstd, bool withSum)
            {
                Data16.AssertBitIdentical(r, expected.Y, o.Y, name + ": y");
                if (withRstd)
                    NumericAssert.BitIdentical(expected.Rstd, o.Rstd, name + ": rstd");
                if (withSum)
                    Data16.AssertBitIdentical(r, sum, o.Sum, name + ": sum");
                o = new Outputs<T>(length, Rows, n);
            }
            r.RmsNormForward(x, gamma, o.Y, n); CheckRms(rms, "RMSNorm", false, false);
            r.RmsNormForward(x, gammaF, o.Y, n); CheckRms(rms, "RMSNorm float", false, false);
            r.RmsNormForward(x, gammaF, o.Y, o.Rstd, n); CheckRms(rms, "RMSNorm float, rstd", true, false);
            r.RmsNormForwardResidual(x, residual, gamma, o.Sum, o.Y, n);
            CheckRms(rmsOfSum, "RMSNorm residual", false, true);
            r.RmsNormForwardResidual(x, residual, gammaF, o.Sum, o.Y, n);
            CheckRms(rmsOfSum, "RMSNorm residual float", false, true);
            r.RmsNormForwardResidual(x, residual, gamma, o.Sum, o.Y, o.Rstd, n);
            CheckRms(rmsOfSum, "RMSNorm residual, rstd", true, true);
            r.RmsNormForwardResidual(x, residual, gammaF, o.Sum, o.Y, o.Rstd, n);
            CheckRms(rmsOfSum, "RMSNorm residual float, rstd", true, true);

            var rb = new Outputs<T>(length, Rows, n);
            r.RmsNormBackward(dy, x, gamma, rms.Rstd, rb.Y, rb.Dgamma, n);
            var rc = new Outputs<T>(length, Rows, n);
            r.RmsNormBackward(dy, x, gammaF, rms.Rstd, rc.Y, rc.Dgamma, n);
            Data16.AssertBitIdentical(r, rb.Y, rc.Y, "RMSNorm backward float: dx");
            NumericAssert.BitIdentical(rb.Dgamma, rc.Dgamma, "RMSNorm backward float: dgamma");
            Assert.Contains(rb.Dgamma, v => v != 0);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void ConstantRows_GiveBetaExactly(string type) => Run(type, ConstantRowsGiveBeta, ConstantRowsGiveBeta);

    private static void ConstantRowsGiveBeta<T>(Reference16<T> r) where T : unmanaged
    {
        float large = r.Name == "Half" ? 60000f : 1e30f;
        foreach (int n in new[] { 1, 2, 7, 768, 4095 })
        {
            foreach (float value in new[] { 0f, 1f, -3.5f, 0.1f, large, -large })
            {
                T[] x = Enumerable.Repeat(r.FromSingle(value), 2 * n).ToArray();
                T[] gamma = Data16.Uniform(r, n, -2, 2, seed: n), beta = Data16.Uniform(r, n, -3, 3, seed: n + 1);
                float[] betaF = TestRows.Uniform(n, -3, 3, n + 2), gammaF = Data16.Widen(r, gamma);
                T[] expectedFromFloat = betaF.Select(r.FromSingle).ToArray();   // one rounding of beta, as the cast

                T[] y = new T[x.Length], dx = new T[x.Length];
                float[] mean = new float[2], rstd = new float[2], dgamma = new float[n], dbeta = new float[n];
                r.LayerNormForward(x, gamma, beta, y, mean, rstd, n);
                for (int row = 0; row < 2; row++)
                    Data16.AssertBitIdentical(r, beta, y[(row * n)..((row + 1) * n)], $"constant {value}, n = {n}");
                Assert.All(mean, m => Assert.Equal(r.ToSingle(r.FromSingle(value)), m));

                r.LayerNormForward(x, gammaF, betaF, y, n);
                for (int row = 0; row < 2; row++)
                {
                    Data16.AssertBitIdentical(r, expectedFromFloat, y[(row * n)..((row + 1) * n)],
                        $"float beta, n = {n}");
                }

                // Zero rows give zero in RMSNorm; the gradients of a constant row are finite.
                T[] dy = Data16.Uniform(r, x.Length, -1, 1, seed: n + 3);
                r.LayerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
                Assert.All(dx, v => Assert.True(float.IsFinite(r.ToSingle(v))));
                if (value == 0)
                {
                    r.RmsNormForward(x, gamma, y, n);
                    Assert.All(y, v => Assert.Equal(0f, r.ToSingle(v)));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void NaNAndInfinityRows_ChangeTheirRowOnly(string type) =>
        Run(type, SpecialRowsAreIsolated, SpecialRowsAreIsolated);

    private static void SpecialRowsAreIsolated<T>(Reference16<T> r) where T : unmanaged
    {
        const int n = 17, rows = 4, bad = 2;
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            T[] clean = Data16.Uniform(r, rows * n, -2, 2, seed: 5), dy = Data16.Uniform(r, rows * n, -1, 1, 6);
            T[] residual = Data16.Uniform(r, rows * n, -1, 1, 7);
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, 8), beta = Data16.Uniform(r, n, -1, 1, 9);
            T[] dirty = (T[])clean.Clone();
            dirty[bad * n + 5] = r.FromSingle(special);

            var a = new Outputs<T>(rows * n, rows, n);
            var z = new Outputs<T>(rows * n, rows, n);
            r.LayerNormForwardResidual(clean, residual, gamma, beta, a.Sum, a.Y, a.Mean, a.Rstd, n);
            r.LayerNormForwardResidual(dirty, residual, gamma, beta, z.Sum, z.Y, z.Mean, z.Rstd, n);
            r.LayerNormBackward(dy, a.Sum, gamma, a.Mean, a.Rstd, a.Dx, a.Dgamma, a.Dbeta, n);
            r.LayerNormBackward(dy, z.Sum, gamma, z.Mean, z.Rstd, z.Dx, z.Dgamma, z.Dbeta, n);
            for (int row = 0; row < rows; row++)
            {
                Range span = (row * n)..((row + 1) * n);
                if (row == bad)
                {
                    Assert.All(z.Y[span], v => Assert.True(float.IsNaN(r.ToSingle(v)), $"y in the {special} row"));
                    Assert.True(float.IsNaN(z.Mean[row]) || float.IsInfinity(z.Mean[row]));
                    Assert.All(z.Dx[span], v => Assert.True(float.IsNaN(r.ToSingle(v)), $"dx in the {special} row"));
                    continue;
                }
                Data16.AssertBitIdentical(r, a.Y[span], z.Y[span], $"y of row {row}");
                Data16.AssertBitIdentical(r, a.Sum[span], z.Sum[span], $"sum of row {row}");
                Data16.AssertBitIdentical(r, a.Dx[span], z.Dx[span], $"dx of row {row}");
                Assert.Equal(a.Mean[row], z.Mean[row]);
                Assert.Equal(a.Rstd[row], z.Rstd[row]);
            }

            // RMSNorm as well.
            r.RmsNormForward(clean, gamma, a.Y, a.Rstd, n);
            r.RmsNormForward(dirty, gamma, z.Y, z.Rstd, n);
            for (int row = 0; row < rows; row++)
            {
                Range span = (row * n)..((row + 1) * n);
                if (row != bad)
                    Data16.AssertBitIdentical(r, a.Y[span], z.Y[span], $"RMSNorm y of row {row}");
                else
                    Assert.Contains(z.Y[span], v => float.IsNaN(r.ToSingle(v)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Overflow_GivesInfinity(string type) => Run(type, OverflowGivesInfinity, OverflowGivesInfinity);

    private static void OverflowGivesInfinity<T>(Reference16<T> r) where T : unmanaged
    {
        // y = xhat · gamma + beta with xhat = ±1 (a row of two values) and gamma = beta = the largest finite value:
        // y = 2 · max overflows to +∞, y = 0 (nearly) stays finite.
        float max = r.ToSingle(r.FromBits(r.Name == "Half" ? (ushort)0x7BFF : (ushort)0x7F7F));
        T[] x = [r.FromSingle(-1), r.FromSingle(1)];
        T[] parameter = [r.FromSingle(max), r.FromSingle(max)];
        T[] y = new T[2];
        r.LayerNormForward(x, parameter, parameter, y, 2);
        Assert.True(float.IsFinite(r.ToSingle(y[0])), "y[0] ≈ 0");
        Assert.Equal(float.PositiveInfinity, r.ToSingle(y[1]));
        r.LayerNormForward(x, [-max, -max], [-max, -max], y, 2);   // float parameters this time
        Assert.True(float.IsFinite(r.ToSingle(y[0])), "y[0] ≈ 0");
        Assert.Equal(float.NegativeInfinity, r.ToSingle(y[1]));

        // The fused sum overflows on its own rounding to T, as (T)((float)x + (float)residual) does; its row is NaN.
        T[] big = [r.FromSingle(max), r.FromSingle(max)], sum = new T[2];
        r.LayerNormForwardResidual(big, big, parameter, parameter, sum, y, 2);
        Assert.All(sum, v => Assert.Equal(float.PositiveInfinity, r.ToSingle(v)));
        Assert.All(y, v => Assert.True(float.IsNaN(r.ToSingle(v))));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void FusedSum_IsTheRoundedFloatAdd_AndYNormalizesIt(string type) => Run(type, SumRule, SumRule);

    private static void SumRule<T>(Reference16<T> r) where T : unmanaged
    {
        const int n = 33;
        // Values whose float sum needs more bits than T keeps, so the rounding of the sum matters.
        T[] x = Data16.Uniform(r, 4 * n, -100, 100, seed: 21), residual = Data16.Uniform(r, 4 * n, -1, 1, 22);
        T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, 23), beta = Data16.Uniform(r, n, -1, 1, 24);
        T[] expectedSum = x.Zip(residual, (a, b) => r.FromSingle(r.ToSingle(a) + r.ToSingle(b))).ToArray();
        Assert.Contains(Enumerable.Range(0, x.Length),
            i => (double)r.ToSingle(expectedSum[i]) != (double)r.ToSingle(x[i]) + r.ToSingle(residual[i]));

        T[] sum = new T[x.Length], y = new T[x.Length], yOfSum = new T[x.Length];
        r.LayerNormForwardResidual(x, residual, gamma, beta, sum, y, n);
        Data16.AssertBitIdentical(r, expectedSum, sum, "sum");
        r.LayerNormForward(sum, gamma, beta, yOfSum, n);
        Data16.AssertBitIdentical(r, yOfSum, y, "y of the fused form against Forward(sum)");

        // In place: the residual stream updated where it lies (sum over residual), y over x.
        T[] xInPlace = (T[])x.Clone(), residualInPlace = (T[])residual.Clone();
        r.LayerNormForwardResidual(xInPlace, residualInPlace, gamma, beta, residualInPlace, xInPlace, n);
        Data16.AssertBitIdentical(r, expectedSum, residualInPlace, "sum in place");
        Data16.AssertBitIdentical(r, yOfSum, xInPlace, "y in place");

        r.RmsNormForwardResidual(x, residual, gamma, sum, y, n);
        Data16.AssertBitIdentical(r, expectedSum, sum, "RMSNorm sum");
        r.RmsNormForward(sum, gamma, yOfSum, n);
        Data16.AssertBitIdentical(r, yOfSum, y, "RMSNorm y of the fused form against Forward(sum)");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void InPlaceForward_EqualsOutOfPlace(string type) => Run(type, InPlace, InPlace);

    private static void InPlace<T>(Reference16<T> r) where T : unmanaged
    {
        const int n = 9;
        T[] x = Data16.Uniform(r, 3 * n, -2, 2, seed: 31), gamma = Data16.Uniform(r, n, 0.5f, 1.5f, 32);
        T[] beta = Data16.Uniform(r, n, -1, 1, 33), y = new T[x.Length], inPlace = (T[])x.Clone();
        r.LayerNormForward(x, gamma, beta, y, n);
        r.LayerNormForward(inPlace, gamma, beta, inPlace, n);
        Data16.AssertBitIdentical(r, y, inPlace, "LayerNorm in place");
        inPlace = (T[])x.Clone();
        r.RmsNormForward(x, gamma, y, n);
        r.RmsNormForward(inPlace, gamma, inPlace, n);
        Data16.AssertBitIdentical(r, y, inPlace, "RMSNorm in place");
    }

    /// <summary>Output buffers of one call (Y doubles as dx where a test needs only one of them).</summary>
    private sealed class Outputs<T>(int length, int rows, int n) where T : unmanaged
    {
        public T[] Y { get; } = new T[length];
        public T[] Sum { get; } = new T[length];
        public T[] Dx { get; } = new T[length];
        public float[] Mean { get; } = new float[rows];
        public float[] Rstd { get; } = new float[rows];
        public float[] Dgamma { get; } = new float[n];
        public float[] Dbeta { get; } = new float[n];
    }
}
