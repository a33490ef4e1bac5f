using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The generic path on 16-bit rows (Half, BFloat16), every member and variant, against the double-precision reference:
/// each T output within 1 ulp of T of the exact result rounded to T, or, where cancellation leaves it near zero, within
/// the float contract 1e-5·(1 + |t|); float outputs (mean, rstd, dgamma, dbeta) within the float contract; the fused
/// sum the rounded float add, bit for bit; constant rows give beta exactly; NaN and ∞ stay in their row; what
/// overflows T is ±∞; parallel calls give the serial bits; bad input is refused before anything is written.
/// </summary>
public class Generic16Tests
{
    private static readonly Reference16<Half> Half16 = new HalfGeneric16();
    private static readonly Reference16<BFloat16> BFloat16_16 = new BFloat16Generic16();

    private static readonly int[] Sizes = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769, 1024, 4095, 4096, 8191];
    private const int Rows = 3;

    public static IEnumerable<object[]> Types() => [["Half"], ["BFloat16"]];

    public static IEnumerable<object[]> TypesAndRows() =>
        from type in new[] { "Half", "BFloat16" }
        from kind in Enum.GetValues<RowKind>()
        select new object[] { type, kind };

    private static void Run(string type, Action<Reference16<Half>> half, Action<Reference16<BFloat16>> bfloat16)
    {
        if (type == "Half")
            half(Half16);
        else
            bfloat16(BFloat16_16);
    }

    private enum Affine { Full, NoBias, NoAffine }

    [Theory]
    [MemberData(nameof(TypesAndRows))]
    public void LayerNormForward_EveryVariant_IsWithinOneUlpOfTheReference(string type, RowKind kind) =>
        Run(type, r => LayerNormForward(r, kind), r => LayerNormForward(r, kind));

    private static void LayerNormForward<T>(Reference16<T> r, RowKind kind) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Rows16(r, kind, n, seed: n);
            T[] residual = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 3);
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, seed: n + 1), beta = Data16.Uniform(r, n, -1, 1, seed: n + 2);
            float[] gammaF = Data16.Widen(r, gamma), betaF = Data16.Widen(r, beta);
            foreach (Affine affine in Enum.GetValues<Affine>())
            {
                foreach (bool withResidual in new[] { false, true })
                {
                    // The truth: the float reference (double inside) on the row as stored, the fused form's sum too.
                    T[] input = withResidual ? Data16.Sum(r, x, residual) : x;
                    float[] inputF = Data16.Widen(r, input), expected = new float[x.Length];
                    float[] expectedMean = new float[Rows], expectedRstd = new float[Rows];
                    switch (affine)
                    {
                        case Affine.Full:
                            LayerNormReference.Forward(inputF, gammaF, betaF, expected, expectedMean, expectedRstd, n);
                            break;
                        case Affine.NoBias:
                            LayerNormReference.ForwardNoBias(inputF, gammaF, expected, expectedMean, expectedRstd, n);
                            break;
                        default:
                            LayerNormReference.ForwardNoAffine(inputF, expected, expectedMean, expectedRstd, n);
                            break;
                    }

                    for (int p = 0; p < 2; p++)
                    {
                        bool floatParameters = p == 1;
                        string what = $"{r.Name} {affine} residual={withResidual} floatParams={floatParameters} " +
                            $"{kind} n={n}";
                        T[] y = new T[x.Length], yPlain = new T[x.Length], sum = new T[x.Length];
                        T[] sumPlain = new T[x.Length];
                        float[] mean = new float[Rows], rstd = new float[Rows];
                        ForwardVariant(r, affine, withResidual, floatParameters, x, residual, gamma, beta, gammaF, betaF,
                            sum, y, mean, rstd, n);
                        ForwardVariant(r, affine, withResidual, floatParameters, x, residual, gamma, beta, gammaF, betaF,
                            sumPlain, yPlain, null, null, n);

                        Contract16.AssertOutput(r, expected, y, what + " y");
                        Contract16.AssertStatistic(expectedMean, mean, what + " mean",
                            kind is RowKind.WidePivot or RowKind.MixedScales ? Contract16.WideRowMeanTolerance : 1e-5);
                        Contract16.AssertStatistic(expectedRstd, rstd, what + " rstd");
                        Data16.AssertBitIdentical(r, y, yPlain, what + " y without statistics");
                        if (withResidual)
                        {
                            Data16.AssertBitIdentical(r, input, sum, what + " sum");
                            Data16.AssertBitIdentical(r, input, sumPlain, what + " sum without statistics");
                        }
                    }
                }
            }
        }
    }

    /// <summary>One forward member of the family; null statistics pick the overload without them.</summary>
    private static void ForwardVariant<T>(
        Reference16<T> r, Affine affine, bool withResidual, bool floatParameters, T[] x, T[] residual, T[] gamma,
        T[] beta, float[] gammaF, float[] betaF, T[] sum, T[] y, float[]? mean, float[]? rstd, int n)
        where T : unmanaged
    {
        bool stats = mean is not null;
        switch (affine, withResidual, floatParameters, stats)
        {
            case (Affine.Full, false, false, true): r.LayerNormForward(x, gamma, beta, y, mean!, rstd!, n); break;
            case (Affine.Full, false, true, true): r.LayerNormForward(x, gammaF, betaF, y, mean!, rstd!, n); break;
            case (Affine.Full, false, false, false): r.LayerNormForward(x, gamma, beta, y, n); break;
            case (Affine.Full, false, true, false): r.LayerNormForward(x, gammaF, betaF, y, n); break;
            case (Affine.NoBias, false, false, true): r.LayerNormForwardNoBias(x, gamma, y, mean!, rstd!, n); break;
            case (Affine.NoBias, false, true, true): r.LayerNormForwardNoBias(x, gammaF, y, mean!, rstd!, n); break;
            case (Affine.NoBias, false, false, false): r.LayerNormForwardNoBias(x, gamma, y, n); break;
            case (Affine.NoBias, false, true, false): r.LayerNormForwardNoBias(x, gammaF, y, n); break;
            case (Affine.NoAffine, false, _, true): r.LayerNormForwardNoAffine(x, y, mean!, rstd!, n); break;
            case (Affine.NoAffine, false, _, false): r.LayerNormForwardNoAffine(x, y, n); break;
            case (Affine.Full, true, false, true):
                r.LayerNormForwardResidual(x, residual, gamma, beta, sum, y, mean!, rstd!, n);
                break;
            case (Affine.Full, true, true, true):
                r.LayerNormForwardResidual(x, residual, gammaF, betaF, sum, y, mean!, rstd!, n);
                break;
            case (Affine.Full, true, false, false): r.LayerNormForwardResidual(x, residual, gamma, beta, sum, y, n); break;
            case (Affine.Full, true, true, false): r.LayerNormForwardResidual(x, residual, gammaF, betaF, sum, y, n); break;
            case (Affine.NoBias, true, false, true):
                r.LayerNormForwardResidualNoBias(x, residual, gamma, sum, y, mean!, rstd!, n);
                break;
            case (Affine.NoBias, true, true, true):
                r.LayerNormForwardResidualNoBias(x, residual, gammaF, sum, y, mean!, rstd!, n);
                break;
            case (Affine.NoBias, true, false, false): r.LayerNormForwardResidualNoBias(x, residual, gamma, sum, y, n); break;
            case (Affine.NoBias, true, true, false): r.LayerNormForwardResidualNoBias(x, residual, gammaF, sum, y, n); break;
            case (Affine.NoAffine, true, _, true):
                r.LayerNormForwardResidualNoAffine(x, residual, sum, y, mean!, rstd!, n);
                break;
            default: r.LayerNormForwardResidualNoAffine(x, residual, sum, y, n); break;
        }
    }

    [Theory]
    [MemberData(nameof(TypesAndRows))]
    public void LayerNormBackward_EveryVariant_IsWithinOneUlpOfTheReference(string type, RowKind kind) =>
        Run(type, r => LayerNormBackward(r, kind), r => LayerNormBackward(r, kind));

    private static void LayerNormBackward<T>(Reference16<T> r, RowKind kind) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Rows16(r, kind, n, seed: n), dy = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 5);
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, seed: n + 1);
            float[] xF = Data16.Widen(r, x), dyF = Data16.Widen(r, dy), gammaF = Data16.Widen(r, gamma);
            float[] mean = new float[Rows], rstd = new float[Rows], scratch = new float[x.Length];
            LayerNormReference.ForwardNoAffine(xF, scratch, mean, rstd, n);

            foreach (Affine affine in Enum.GetValues<Affine>())
            {
                float[] expected = new float[x.Length], expectedDgamma = new float[n], expectedDbeta = new float[n];
                switch (affine)
                {
                    case Affine.Full:
                        LayerNormReference.Backward(dyF, xF, gammaF, mean, rstd, expected, expectedDgamma, expectedDbeta, n);
                        break;
                    case Affine.NoBias:
                        LayerNormReference.BackwardNoBias(dyF, xF, gammaF, mean, rstd, expected, expectedDgamma, n);
                        break;
                    default:
                        LayerNormReference.BackwardNoAffine(dyF, xF, mean, rstd, expected, n);
                        break;
                }
                for (int p = 0; p < (affine == Affine.NoAffine ? 1 : 2); p++)
                {
                    string what = $"{r.Name} backward {affine} floatParams={p == 1} {kind} n={n}";
                    T[] dx = new T[x.Length];
                    float[] dgamma = new float[n], dbeta = new float[n];
                    switch (affine, p)
                    {
                        case (Affine.Full, 0): r.LayerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n); break;
                        case (Affine.Full, _): r.LayerNormBackward(dy, x, gammaF, mean, rstd, dx, dgamma, dbeta, n); break;
                        case (Affine.NoBias, 0): r.LayerNormBackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, n); break;
                        case (Affine.NoBias, _): r.LayerNormBackwardNoBias(dy, x, gammaF, mean, rstd, dx, dgamma, n); break;
                        default: r.LayerNormBackwardNoAffine(dy, x, mean, rstd, dx, n); break;
                    }
                    Contract16.AssertOutput(r, expected, dx, what + " dx");
                    if (affine != Affine.NoAffine)
                        Contract16.AssertStatistic(expectedDgamma, dgamma, what + " dgamma");
                    if (affine == Affine.Full)
                        Contract16.AssertStatistic(expectedDbeta, dbeta, what + " dbeta");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TypesAndRows))]
    public void RmsNorm_EveryMember_IsWithinOneUlpOfTheReference(string type, RowKind kind) =>
        Run(type, r => RmsNormMembers(r, kind), r => RmsNormMembers(r, kind));

    private static void RmsNormMembers<T>(Reference16<T> r, RowKind kind) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Rows16(r, kind, n, seed: n), residual = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 3);
            T[] dy = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 5), gamma = Data16.Uniform(r, n, 0.5f, 1.5f, n + 1);
            float[] gammaF = Data16.Widen(r, gamma);
            foreach (bool withResidual in new[] { false, true })
            {
                T[] input = withResidual ? Data16.Sum(r, x, residual) : x;
                float[] inputF = Data16.Widen(r, input), expected = new float[x.Length], expectedRstd = new float[Rows];
                RmsNormReference.Forward(inputF, gammaF, expected, expectedRstd, n);
                for (int p = 0; p < 2; p++)
                {
                    string what = $"{r.Name} RMSNorm residual={withResidual} floatParams={p == 1} {kind} n={n}";
                    T[] y = new T[x.Length], yPlain = new T[x.Length], sum = new T[x.Length];
                    float[] rstd = new float[Rows];
                    switch (withResidual, p)
                    {
                        case (false, 0):
                            r.RmsNormForward(x, gamma, y, rstd, n);
                            r.RmsNormForward(x, gamma, yPlain, n);
                            break;
                        case (false, _):
                            r.RmsNormForward(x, gammaF, y, rstd, n);
                            r.RmsNormForward(x, gammaF, yPlain, n);
                            break;
                        case (true, 0):
                            r.RmsNormForwardResidual(x, residual, gamma, sum, y, rstd, n);
                            r.RmsNormForwardResidual(x, residual, gamma, new T[x.Length], yPlain, n);
                            break;
                        default:
                            r.RmsNormForwardResidual(x, residual, gammaF, sum, y, rstd, n);
                            r.RmsNormForwardResidual(x, residual, gammaF, new T[x.Length], yPlain, n);
                            break;
                    }
                    Contract16.AssertOutput(r, expected, y, what + " y");
                    Contract16.AssertStatistic(expectedRstd, rstd, what + " rstd");
                    Data16.AssertBitIdentical(r, y, yPlain, what + " y without rstd");
                    if (withResidual)
                        Data16.AssertBitIdentical(r, input, sum, what + " sum");

                    // Backward about the forward's input (the stored sum in the fused form).
                    float[] expectedDx = new float[x.Length], expectedDgamma = new float[n], dgamma = new float[n];
                    RmsNormReference.Backward(Data16.Widen(r, dy), inputF, gammaF, rstd, expectedDx, expectedDgamma, n);
                    T[] dx = new T[x.Length];
                    if (p == 0)
                        r.RmsNormBackward(dy, input, gamma, rstd, dx, dgamma, n);
                    else
                        r.RmsNormBackward(dy, input, gammaF, rstd, dx, dgamma, n);
                    Contract16.AssertOutput(r, expectedDx, dx, what + " dx");
                    Contract16.AssertStatistic(expectedDgamma, dgamma, what + " dgamma");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TypesAndRows))]
    public void RowCode_IsTheFloatPaths_RoundedOnce(string type, RowKind kind) =>
        Run(type, r => SameRowCode(r, kind), r => SameRowCode(r, kind));

    /// <summary>One row code for every storage type: on the widened rows the float path computes exactly what the
    /// 16-bit path computes, so each T output is the float path's rounded once, and each float output is the float
    /// path's, bit for bit.</summary>
    private static void SameRowCode<T>(Reference16<T> r, RowKind kind) where T : unmanaged
    {
        foreach (int n in Sizes)
        {
            T[] x = Rows16(r, kind, n, seed: n), dy = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 5);
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, seed: n + 1), beta = Data16.Uniform(r, n, -1, 1, seed: n + 2);
            float[] xF = Data16.Widen(r, x), dyF = Data16.Widen(r, dy), gammaF = Data16.Widen(r, gamma);
            float[] betaF = Data16.Widen(r, beta);
            string what = $"{r.Name} {kind} n={n}";

            float[] yF = new float[x.Length], meanF = new float[Rows], rstdF = new float[Rows];
            LayerNorm.Forward(xF, gammaF, betaF, yF, meanF, rstdF, n);
            T[] y = new T[x.Length];
            float[] mean = new float[Rows], rstd = new float[Rows];
            r.LayerNormForward(x, gamma, beta, y, mean, rstd, n);
            SameValues(r, yF.Select(r.FromSingle).ToArray(), y, what + " y");
            SameValues(meanF, mean, what + " mean");
            SameValues(rstdF, rstd, what + " rstd");

            float[] dxF = new float[x.Length], dgammaF = new float[n], dbetaF = new float[n];
            LayerNorm.Backward(dyF, xF, gammaF, meanF, rstdF, dxF, dgammaF, dbetaF, n);
            T[] dx = new T[x.Length];
            float[] dgamma = new float[n], dbeta = new float[n];
            r.LayerNormBackward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
            SameValues(r, dxF.Select(r.FromSingle).ToArray(), dx, what + " dx");
            SameValues(dgammaF, dgamma, what + " dgamma");
            SameValues(dbetaF, dbeta, what + " dbeta");

            RmsNorm.Forward(xF, gammaF, yF, rstdF, n);
            r.RmsNormForward(x, gamma, y, rstd, n);
            SameValues(r, yF.Select(r.FromSingle).ToArray(), y, what + " RMSNorm y");
            SameValues(rstdF, rstd, what + " RMSNorm rstd");
        }
    }

    /// <summary>Bit for bit, except that any NaN matches any NaN: which NaN an operation returns when both operands
    /// are NaN depends on the operand order the JIT picked (x86 returns the first), which may differ between the float
    /// and the 16-bit instantiations of the same code; IEEE 754 leaves a NaN's sign and payload unspecified there.</summary>
    private static void SameValues<T>(Reference16<T> r, T[] expected, T[] actual, string what) where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool bothNaN = float.IsNaN(r.ToSingle(expected[i])) && float.IsNaN(r.ToSingle(actual[i]));
            Assert.True(bothNaN || r.Bits(expected[i]) == r.Bits(actual[i]),
                $"{what}: [{i}] is {r.ToSingle(actual[i]):R} (0x{r.Bits(actual[i]):X4}), expected " +
                $"{r.ToSingle(expected[i]):R} (0x{r.Bits(expected[i]):X4})");
        }
    }

    /// <summary>The float outputs bit for bit, any NaN matching any NaN (see the 16-bit overload).</summary>
    private static void SameValues(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool bothNaN = float.IsNaN(expected[i]) && float.IsNaN(actual[i]);
            Assert.True(bothNaN || BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: [{i}] is {actual[i]:R}, expected {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void ConstantRows_GiveBetaExactly(string type) => Run(type, ConstantRows, ConstantRows);

    private static void ConstantRows<T>(Reference16<T> r) where T : unmanaged
    {
        float[] values = [0f, 1f, -3.5f, 1000f, 1e-3f, -60000f];
        foreach (int n in Sizes)
        {
            T[] x = new T[values.Length * n];
            for (int row = 0; row < values.Length; row++)
                x.AsSpan(row * n, n).Fill(r.FromSingle(values[row]));
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, seed: n + 1), beta = Data16.Uniform(r, n, -1, 1, seed: n + 2);
            float[] betaF = Data16.Uniform(r, n, -1, 1, seed: n + 7).Select(r.ToSingle).Select(v => v + 1e-4f).ToArray();
            T[] y = new T[x.Length], yFloat = new T[x.Length];
            r.LayerNormForward(x, gamma, beta, y, n);
            r.LayerNormForward(x, Data16.Widen(r, gamma), betaF, yFloat, n);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(r.Bits(beta[i % n]), r.Bits(y[i]));
                Assert.Equal(r.Bits(r.FromSingle(betaF[i % n])), r.Bits(yFloat[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void NaNAndInfinity_StayInTheirRow(string type) => Run(type, Isolation, Isolation);

    private static void Isolation<T>(Reference16<T> r) where T : unmanaged
    {
        foreach (int n in new[] { 1, 7, 17, 768, 4095 })
        {
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                T[] clean = Data16.Uniform(r, Rows * n, -2, 2, seed: n), dirty = (T[])clean.Clone();
                dirty[n + n / 2] = r.FromSingle(bad);
                T[] dy = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 5);
                T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, n + 1), beta = Data16.Uniform(r, n, -1, 1, n + 2);
                T[] yClean = new T[clean.Length], yDirty = new T[clean.Length];
                float[] meanClean = new float[Rows], rstdClean = new float[Rows];
                float[] meanDirty = new float[Rows], rstdDirty = new float[Rows];
                r.LayerNormForward(clean, gamma, beta, yClean, meanClean, rstdClean, n);
                r.LayerNormForward(dirty, gamma, beta, yDirty, meanDirty, rstdDirty, n);
                T[] dxClean = new T[clean.Length], dxDirty = new T[clean.Length];
                float[] dgamma = new float[n], dbeta = new float[n];
                r.LayerNormBackward(dy, clean, gamma, meanClean, rstdClean, dxClean, dgamma, dbeta, n);
                r.LayerNormBackward(dy, dirty, gamma, meanDirty, rstdDirty, dxDirty, dgamma, dbeta, n);
                foreach (int row in new[] { 0, 2 })
                {
                    Data16.AssertBitIdentical(r, yClean[(row * n)..((row + 1) * n)], yDirty[(row * n)..((row + 1) * n)],
                        $"{r.Name} y row {row}, {bad} in row 1, n={n}");
                    Data16.AssertBitIdentical(r, dxClean[(row * n)..((row + 1) * n)],
                        dxDirty[(row * n)..((row + 1) * n)], $"{r.Name} dx row {row}, {bad} in row 1, n={n}");
                }
                // The bad row is not finite anywhere (n = 1 aside: a lone ∞ is its own mean, and ∞ − ∞ is NaN).
                for (int i = n; i < 2 * n; i++)
                    Assert.False(float.IsFinite(r.ToSingle(yDirty[i])), $"{r.Name} y[{i}] of the {bad} row, n={n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Overflow_BecomesInfinity_AndSubnormalsBehaveAsInFloat(string type) => Run(type, Extremes, Extremes);

    private static void Extremes<T>(Reference16<T> r) where T : unmanaged
    {
        // gamma beyond T's range: |y| = |xhat| · gamma overflows T for every element whose |xhat| is not tiny.
        float huge = typeof(T) == typeof(Half) ? 1e6f : 3e38f;
        float tiny = typeof(T) == typeof(Half) ? 3e-6f : 3e-39f;   // T subnormals
        foreach (int n in new[] { 3, 17, 768, 769 })
        {
            T[] x = Data16.Uniform(r, Rows * n, -2, 2, seed: n);
            float[] gammaF = Enumerable.Repeat(huge, n).ToArray(), betaF = new float[n];
            float[] expected = new float[x.Length];
            LayerNormReference.Forward(Data16.Widen(r, x), gammaF, betaF, expected, n);
            T[] y = new T[x.Length];
            r.LayerNormForward(x, gammaF, betaF, y, n);
            Contract16.AssertOutput(r, expected, y, $"{r.Name} overflow n={n}");
            Assert.Contains(y, v => float.IsInfinity(r.ToSingle(v)));

            // Rows of T subnormals behave as the float path does on the same values: the same bits, rounded once.
            T[] sub = Data16.Uniform(r, Rows * n, -1, 1, seed: n + 9).Select(v => r.FromSingle(r.ToSingle(v) * tiny))
                .ToArray();
            Assert.Contains(sub, v => r.ToSingle(v) != 0 && MathF.Abs(r.ToSingle(v)) < (typeof(T) == typeof(Half)
                ? 6.1e-5f : 1.2e-38f));
            float[] gammaOne = Enumerable.Repeat(1f, n).ToArray(), yFloat = new float[x.Length];
            LayerNorm.Forward(Data16.Widen(r, sub), gammaOne, betaF, yFloat, n, 1e-30f);
            r.LayerNormForward(sub, gammaOne, betaF, y, n, 1e-30f);
            Data16.AssertBitIdentical(r, yFloat.Select(r.FromSingle).ToArray(), y, $"{r.Name} subnormal rows n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void FusedSum_IsTheRoundedFloatAdd_TiesToEven(string type) => Run(type, SumTies, SumTies);

    /// <summary>x + residual exactly halfway between two T values rounds to the even one, in the vector stores and
    /// the scalar tail alike; y normalizes the stored sum bit for bit.</summary>
    private static void SumTies<T>(Reference16<T> r) where T : unmanaged
    {
        int mantissa = typeof(T) == typeof(Half) ? 10 : 7;
        foreach (int n in new[] { 5, 16, 33, 768, 771 })
        {
            T[] x = new T[Rows * n], residual = new T[Rows * n];
            for (int i = 0; i < x.Length; i++)
            {
                // 1 + k·2^-m plus half an ulp: a tie, to even (k odd rounds up, k even rounds down).
                float value = 1f + (i % 8) * MathF.ScaleB(1f, -mantissa);
                x[i] = r.FromSingle(value * ((i & 8) == 0 ? 1 : -1));
                residual[i] = r.FromSingle(MathF.ScaleB(1f, -mantissa - 1) * ((i & 8) == 0 ? 1 : -1));
            }
            T[] expectedSum = Data16.Sum(r, x, residual);
            Assert.Contains(Enumerable.Range(0, x.Length), i => r.Bits(expectedSum[i]) != r.Bits(x[i]));
            Assert.Contains(Enumerable.Range(0, x.Length), i => r.Bits(expectedSum[i]) == r.Bits(x[i]));
            T[] gamma = Data16.Uniform(r, n, 0.5f, 1.5f, n + 1), beta = Data16.Uniform(r, n, -1, 1, n + 2);
            T[] sum = new T[x.Length], y = new T[x.Length], yOfSum = new T[x.Length];
            r.LayerNormForwardResidual(x, residual, gamma, beta, sum, y, n);
            Data16.AssertBitIdentical(r, expectedSum, sum, $"{r.Name} sum n={n}");
            r.LayerNormForward(sum, gamma, beta, yOfSum, n);
            Data16.AssertBitIdentical(r, yOfSum, y, $"{r.Name} y of the stored sum n={n}");

            // In place: sum written over x.
            T[] xInPlace = (T[])x.Clone();
            r.LayerNormForwardResidual(xInPlace, residual, gamma, beta, xInPlace, y, n);
            Data16.AssertBitIdentical(r, expectedSum, xInPlace, $"{r.Name} sum in place n={n}");
            Data16.AssertBitIdentical(r, yOfSum, y, $"{r.Name} y, sum in place n={n}");
        }
    }

    [Fact]
    public void Parallel_GivesTheSerialBits()
    {
        const int n = 768, rows = 300;   // 230 Ki elements: enough for several threads
        Half[] x = Data16.Uniform(Half16, rows * n, -2, 2, 1), dy = Data16.Uniform(Half16, rows * n, -1, 1, 2);
        Half[] gamma = Data16.Uniform(Half16, n, 0.5f, 1.5f, 3), beta = Data16.Uniform(Half16, n, -1, 1, 4);
        BFloat16[] xb = Data16.Uniform(BFloat16_16, rows * n, -2, 2, 1), dyb = Data16.Uniform(BFloat16_16, rows * n, -1, 1, 2);
        float[] gammaF = Data16.Widen(Half16, gamma), betaF = Data16.Widen(Half16, beta);

        Half[] y = new Half[x.Length], dx = new Half[x.Length];
        float[] mean = new float[rows], rstd = new float[rows], dgamma = new float[n], dbeta = new float[n];
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, n);
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, n);
        BFloat16[] yb = new BFloat16[x.Length], dxb = new BFloat16[x.Length];
        float[] meanB = new float[rows], rstdB = new float[rows], dgammaB = new float[n], dbetaB = new float[n];
        LayerNorm.Forward(xb, gammaF, betaF, yb, meanB, rstdB, n);
        LayerNorm.Backward(dyb, xb, gammaF, meanB, rstdB, dxb, dgammaB, dbetaB, n);

        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            Half[] yP = new Half[x.Length], yP2 = new Half[x.Length], dxP = new Half[x.Length];
            float[] meanP = new float[rows], rstdP = new float[rows], dgammaP = new float[n], dbetaP = new float[n];
            LayerNorm.ForwardParallel(x, gamma, beta, yP, meanP, rstdP, n, 1e-5f, threads);
            LayerNorm.ForwardParallel(x, gamma, beta, yP2, n, 1e-5f, threads);
            LayerNorm.BackwardParallel(dy, x, gamma, meanP, rstdP, dxP, dgammaP, dbetaP, n, threads);
            Data16.AssertBitIdentical(Half16, y, yP, $"Half y, {threads} threads");
            Data16.AssertBitIdentical(Half16, y, yP2, $"Half y without statistics, {threads} threads");
            Data16.AssertBitIdentical(Half16, dx, dxP, $"Half dx, {threads} threads");
            NumericAssert.BitIdentical(mean, meanP, "Half mean");
            NumericAssert.BitIdentical(rstd, rstdP, "Half rstd");
            NumericAssert.BitIdentical(dgamma, dgammaP, "Half dgamma");
            NumericAssert.BitIdentical(dbeta, dbetaP, "Half dbeta");

            BFloat16[] ybP = new BFloat16[x.Length], dxbP = new BFloat16[x.Length];
            LayerNorm.ForwardParallel(xb, gammaF, betaF, ybP, meanP, rstdP, n, 1e-5f, threads);
            LayerNorm.BackwardParallel(dyb, xb, gammaF, meanP, rstdP, dxbP, dgammaP, dbetaP, n, threads);
            Data16.AssertBitIdentical(BFloat16_16, yb, ybP, $"BFloat16 y, {threads} threads");
            Data16.AssertBitIdentical(BFloat16_16, dxb, dxbP, $"BFloat16 dx, {threads} threads");
            NumericAssert.BitIdentical(dgammaB, dgammaP, "BFloat16 dgamma");
            NumericAssert.BitIdentical(dbetaB, dbetaP, "BFloat16 dbeta");
        }
    }

    [Fact]
    public void BadInput_IsRefused_BeforeAnythingIsWritten()
    {
        const int n = 8;
        Half sentinel = (Half)123f;
        Half[] x = Data16.Uniform(Half16, 2 * n, -1, 1, 1), gamma = Data16.Uniform(Half16, n, 0.5f, 1.5f, 2);
        Half[] beta = new Half[n];
        Half[] Filled(int length) => Enumerable.Repeat(sentinel, length).ToArray();
        void Untouched(Half[] buffer) => Assert.All(buffer, v => Assert.Equal(sentinel, v));

        Half[] y = Filled(2 * n - 1);
        var e = Assert.Throws<ArgumentException>(() => LayerNorm.Forward(x, gamma, beta, y, n));
        Assert.Equal("y", e.ParamName);
        Untouched(y);

        y = Filled(2 * n);
        e = Assert.Throws<ArgumentException>(() => LayerNorm.Forward(x, gamma.AsSpan(1).ToArray(), beta, y, n));
        Assert.Equal("gamma", e.ParamName);
        Untouched(y);

        Assert.Throws<ArgumentOutOfRangeException>(() => LayerNorm.Forward(x, gamma, beta, y, n, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerNorm.Forward(x, gamma, beta, y, 0));
        Untouched(y);

        // Partial overlap of y with x in one buffer (in place, y == x, is allowed).
        Half[] buffer = Filled(3 * n);
        x.CopyTo(buffer, 0);
        Assert.Throws<ArgumentException>(() =>
            LayerNorm.Forward(buffer.AsSpan(0, 2 * n), gamma, beta, buffer.AsSpan(1, 2 * n), n));
        Assert.All(buffer.AsSpan(2 * n).ToArray(), v => Assert.Equal(sentinel, v));
        LayerNorm.Forward(buffer.AsSpan(0, 2 * n), gamma, beta, buffer.AsSpan(0, 2 * n), n);

        // The fused form's sum partially over the residual; a float mean over the half rows' bytes.
        BFloat16[] xb = Data16.Uniform(BFloat16_16, 2 * n, -1, 1, 1), both = new BFloat16[4 * n];
        float[] gammaF = new float[n], betaF = new float[n];
        BFloat16[] yb = new BFloat16[2 * n];
        Assert.Throws<ArgumentException>(() => LayerNorm.ForwardResidual(xb, both.AsSpan(0, 2 * n), gammaF, betaF,
            both.AsSpan(n, 2 * n), yb, n));
        Assert.All(yb, v => Assert.Equal(0, BFloat16ToBits(v)));
        float[] rstd = new float[2];
        BFloat16[] dxb = new BFloat16[2 * n];
        float[] dgamma = Enumerable.Repeat(7f, n).ToArray(), dbeta = Enumerable.Repeat(7f, n).ToArray();
        e = Assert.Throws<ArgumentException>(() =>
            LayerNorm.Backward(xb, xb, gammaF, new float[3], rstd, dxb, dgamma, dbeta, n));
        Assert.Equal("mean", e.ParamName);
        Assert.All(dgamma, v => Assert.Equal(7f, v));
        Assert.All(dbeta, v => Assert.Equal(7f, v));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Layer_On16BitActivations_KeepsFloatMasterWeights(string type) => Run(type, Layer, Layer);

    /// <summary>The layer on 16-bit activations: y and dx against the reference (gamma and beta are the layer's float
    /// master weights), the gradients accumulating in float across calls, the row-count checks.</summary>
    private static void Layer<T>(Reference16<T> r) where T : unmanaged
    {
        const int n = 384, rows = 5;
        var layer = new LayerNormLayer(n);
        float[] gamma = TestRows.Uniform(n, 0.5f, 1.5f, 11), beta = TestRows.Uniform(n, -1, 1, 12);
        gamma.CopyTo(layer.Gamma, 0);
        beta.CopyTo(layer.Beta, 0);
        T[] x = Data16.Uniform(r, rows * n, -3, 3, 13), dy = Data16.Uniform(r, rows * n, -1, 1, 14);
        T[] y = new T[x.Length], dx = new T[x.Length];
        void Forward() { if (x is Half[] h) layer.Forward(h, (Half[])(object)y); else layer.Forward((BFloat16[])(object)x, (BFloat16[])(object)y); }
        void Backward() { if (x is Half[] h) layer.Backward((Half[])(object)dy, h, (Half[])(object)dx); else layer.Backward((BFloat16[])(object)dy, (BFloat16[])(object)x, (BFloat16[])(object)dx); }

        Forward();
        float[] xF = Data16.Widen(r, x), expectedY = new float[x.Length], mean = new float[rows], rstd = new float[rows];
        LayerNormReference.Forward(xF, gamma, beta, expectedY, mean, rstd, n);
        Contract16.AssertOutput(r, expectedY, y, $"{r.Name} layer y");

        Backward();
        Backward();
        float[] expectedDx = new float[x.Length], dgamma = new float[n], dbeta = new float[n];
        LayerNormReference.Backward(Data16.Widen(r, dy), xF, gamma, mean, rstd, expectedDx, dgamma, dbeta, n);
        Contract16.AssertOutput(r, expectedDx, dx, $"{r.Name} layer dx");
        NumericAssert.Close(dgamma.Select(v => 2 * v).ToArray(), layer.GammaGrad, $"{r.Name} GammaGrad after two calls");
        NumericAssert.Close(dbeta.Select(v => 2 * v).ToArray(), layer.BetaGrad, $"{r.Name} BetaGrad after two calls");

        layer.ZeroGrad();
        Assert.All(layer.GammaGrad, v => Assert.Equal(0f, v));
        T[] fewer = x[..(2 * n)];
        Assert.Throws<InvalidOperationException>(() =>
        {
            if (fewer is Half[] h) layer.Backward(h, h, new Half[h.Length]);
            else layer.Backward((BFloat16[])(object)fewer, (BFloat16[])(object)fewer, new BFloat16[fewer.Length]);
        });
    }

    private static ushort BFloat16ToBits(BFloat16 value) => value.RawValue;

    /// <summary><paramref name="kind"/>'s rows rounded to T (rows of values T cannot hold become ±∞ or 0 rows, which
    /// the contract covers too).</summary>
    private static T[] Rows16<T>(Reference16<T> r, RowKind kind, int n, int seed) where T : unmanaged =>
        TestRows.Rows(kind, Rows, n, seed).Select(r.FromSingle).ToArray();
}

/// <summary>The 16-bit output contract (DESIGN.md, "16-bit storage").</summary>
public static class Contract16
{
    /// <summary>Each T value is the float truth rounded to T or a neighbour of it (1 ulp of T), or within the float
    /// contract 1e-5·(1 + |t|) of the truth (a value that cancellation leaves near zero); NaN where the truth is NaN,
    /// and ±∞ where the truth overflows T.</summary>
    public static void AssertOutput<T>(Reference16<T> r, float[] truth, T[] actual, string what) where T : unmanaged
    {
        Assert.Equal(truth.Length, actual.Length);
        for (int i = 0; i < truth.Length; i++)
        {
            float t = truth[i], a = r.ToSingle(actual[i]);
            if (float.IsNaN(t))
            {
                Assert.True(float.IsNaN(a), $"{what}: [{i}] is {a:R}, expected NaN");
                continue;
            }
            int distance = Math.Abs(Ordered(r.Bits(r.FromSingle(t))) - Ordered(r.Bits(actual[i])));
            if (distance <= 1 || Math.Abs((double)a - t) <= 1e-5 * (1 + Math.Abs((double)t)))
                continue;
            Assert.Fail($"{what}: [{i}] is {a:R}, {distance} ulps of T from {t:R} rounded to T " +
                $"({r.ToSingle(r.FromSingle(t)):R})");
        }
    }

    /// <summary>
    /// The mean of rows whose values reach ±1e3 (WidePivot, MixedScales) rounded to T, against the double reference.
    /// The float path sums those values (or their deviations from a centre) in float chains, so its mean carries about
    /// 1e3 · 2⁻²⁴ · √(N / chains) / √chains of rounding; measured here up to 3.6e-5 (Half MixedScales rows, N = 768,
    /// scalar path), 3.4e-5 (Half WidePivot, N = 4095) and 3.6e-5 (bfloat16 MixedScales, N = 8191, Vector128).
    /// The float path gives the same bits on the same float rows (RowCode_IsTheFloatPaths_RoundedOnce): this is the
    /// float path's floor on such rows, not the 16-bit path's; the float suites' seeds of these kinds happen to stay
    /// under 1e-5. y, dx and every other float output pass at 1e-5.
    /// </summary>
    public const double WideRowMeanTolerance = 1e-4;

    /// <summary>A float output against the truth at the float contract (NaN where the truth is NaN, ∞ where it is
    /// ∞ with the same sign).</summary>
    public static void AssertStatistic(float[] truth, float[] actual, string what, double tolerance = 1e-5)
    {
        Assert.Equal(truth.Length, actual.Length);
        for (int i = 0; i < truth.Length; i++)
        {
            float t = truth[i], a = actual[i];
            if (float.IsNaN(t) || float.IsInfinity(t))
            {
                Assert.True(t.Equals(a), $"{what}: [{i}] is {a:R}, expected {t:R}");
                continue;
            }
            double error = Math.Abs((double)a - t);
            Assert.True(error <= tolerance * (1 + Math.Abs((double)t)),
                $"{what}: [{i}] is {a:R}, expected {t:R}, error {error:E3} > {tolerance:E1}·(1 + |t|)");
        }
    }

    private static int Ordered(ushort bits) => (bits & 0x8000) != 0 ? -(bits & 0x7FFF) : bits;
}
