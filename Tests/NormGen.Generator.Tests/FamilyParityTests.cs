using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The kernel family (RMSNorm, LayerNorm without bias, without affine, and every variant's fused residual form),
/// compiled in memory for sizes that reach every planner strategy and tail on every width, against the
/// double-precision references. As in <see cref="ParityTests"/>, the path that runs is the widest the machine
/// accelerates; .ci/run repeats the suite with the narrower paths forced.
/// </summary>
public class FamilyParityTests
{
    public enum Variant { LayerNorm, NoBias, NoAffine, RmsNorm }

    /// <summary>Register-resident (with and without two rows per iteration), unrolled, streaming with and without
    /// leftover vectors, tails of 0 to W−1, on widths 16, 8, 4 and 1.</summary>
    public static readonly int[] Sizes = { 1, 3, 7, 8, 9, 16, 17, 33, 64, 67, 100, 136, 137, 257, 768, 1000, 4099, 8191 };

    public static TheoryData<Variant, int> Cases
    {
        get
        {
            var data = new TheoryData<Variant, int>();
            foreach (Variant variant in Enum.GetValues<Variant>())
                foreach (int n in Sizes)
                    data.Add(variant, n);
            return data;
        }
    }

    /// <summary>
    /// Each generated class with an adapter of one shape for all variants (arrays, so reflection can call it; a null
    /// array is a parameter the variant does not have, or the overload without statistics).
    /// </summary>
    private static readonly Lazy<Assembly> Kernels = new(() =>
    {
        var source = new System.Text.StringBuilder("using NormGen;\nnamespace Family;\n");
        foreach (Variant variant in Enum.GetValues<Variant>())
        {
            foreach (int n in Sizes)
            {
                string name = $"{variant}{n}";
                source.AppendLine(variant switch
                {
                    Variant.LayerNorm => $"[LayerNorm({n})] public static partial class {name};",
                    Variant.NoBias => $"[LayerNorm({n}, Bias = false)] public static partial class {name};",
                    Variant.NoAffine => $"[LayerNorm({n}, ElementwiseAffine = false)] public static partial class {name};",
                    _ => $"[RmsNorm({n})] public static partial class {name};",
                });
                source.AppendLine(Adapter(variant, name));
            }
        }
        var (_, output) = TestHelpers.Run(source.ToString());
        Assert.Empty(TestHelpers.Problems(output));
        return TestHelpers.EmitAndLoad(output);
    });

    private static string Adapter(Variant variant, string name)
    {
        string affine = variant switch { Variant.LayerNorm => "g, b, ", Variant.NoBias or Variant.RmsNorm => "g, ", _ => "" };
        string statistics = variant == Variant.RmsNorm ? "rstd" : "mean, rstd";
        string backward = variant switch
        {
            Variant.LayerNorm => "dy, x, g, mean, rstd, dx, dg, db",
            Variant.NoBias => "dy, x, g, mean, rstd, dx, dg",
            Variant.NoAffine => "dy, x, mean, rstd, dx",
            _ => "dy, x, g, rstd, dx, dg",
        };
        return $$"""
            public static class {{name}}Adapter
            {
                public static void Forward(float[] x, float[] g, float[] b, float[] y, float[] mean, float[] rstd)
                {
                    if (rstd is null) {{name}}.Forward(x, {{affine}}y); else {{name}}.Forward(x, {{affine}}y, {{statistics}});
                }
                public static void ForwardResidual(float[] x, float[] r, float[] g, float[] b, float[] sum, float[] y, float[] mean, float[] rstd)
                {
                    if (rstd is null) {{name}}.ForwardResidual(x, r, {{affine}}sum, y); else {{name}}.ForwardResidual(x, r, {{affine}}sum, y, {{statistics}});
                }
                public static void Backward(float[] dy, float[] x, float[] g, float[] mean, float[] rstd, float[] dx, float[] dg, float[] db) => {{name}}.Backward({{backward}});
            }
            """;
    }

    private static void Call(Variant variant, int n, string method, params object?[] arguments) =>
        Kernels.Value.GetType($"Family.{variant}{n}Adapter", throwOnError: true)!.GetMethod(method)!.Invoke(null, arguments);

    /// <summary>The references, in the adapter's shape.</summary>
    private static void ReferenceForward(Variant variant, float[] x, float[] g, float[] b, float[] y, float[] mean, float[] rstd, int n)
    {
        switch (variant)
        {
            case Variant.LayerNorm: LayerNormReference.Forward(x, g, b, y, mean, rstd, n); break;
            case Variant.NoBias: LayerNormReference.ForwardNoBias(x, g, y, mean, rstd, n); break;
            case Variant.NoAffine: LayerNormReference.ForwardNoAffine(x, y, mean, rstd, n); break;
            default: RmsNormReference.Forward(x, g, y, rstd, n); break;
        }
    }

    private static void ReferenceBackward(Variant variant, float[] dy, float[] x, float[] g, float[] mean, float[] rstd, float[] dx, float[] dg, float[] db, int n)
    {
        switch (variant)
        {
            case Variant.LayerNorm: LayerNormReference.Backward(dy, x, g, mean, rstd, dx, dg, db, n); break;
            case Variant.NoBias: LayerNormReference.BackwardNoBias(dy, x, g, mean, rstd, dx, dg, n); break;
            case Variant.NoAffine: LayerNormReference.BackwardNoAffine(dy, x, mean, rstd, dx, n); break;
            default: RmsNormReference.Backward(dy, x, g, rstd, dx, dg, n); break;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardResidualAndBackwardMatchTheReference(Variant variant, int n)
    {
        const int rows = 3;
        bool hasMean = variant != Variant.RmsNorm;
        foreach (RowKind kind in Enum.GetValues<RowKind>())
        {
            string what = $"{variant}{n} {kind}";
            // The residual form splits each row in two halves whose float sum is exactly the row.
            float[] input = TestRows.Rows(kind, rows, n, seed: n * 41 + (int)kind);
            // (Constant and zero rows keep a zero residual, so that the sum stays exactly constant.)
            float[] residual = kind is RowKind.Constant or RowKind.Zero ? new float[rows * n] : TestRows.Rows(RowKind.Random, rows, n, seed: n + 7);
            float[] x = input.Zip(residual, (value, r) => value - r).ToArray();
            float[] sumRef = x.Zip(residual, (a, b) => a + b).ToArray();
            float[] g = TestRows.Rows(RowKind.Random, 1, n, seed: n + 1), b = TestRows.Rows(RowKind.Random, 1, n, seed: n + 2);
            float[] dy = TestRows.Rows(RowKind.Random, rows, n, seed: n + 3);

            float[] yRef = new float[x.Length], meanRef = new float[rows], rstdRef = new float[rows];
            ReferenceForward(variant, sumRef, g, b, yRef, meanRef, rstdRef, n);

            float[] y = new float[x.Length], mean = new float[rows], rstd = new float[rows], yPlain = new float[x.Length];
            Call(variant, n, "Forward", sumRef, g, b, y, mean, rstd);
            Call(variant, n, "Forward", sumRef, g, b, yPlain, null, null);
            NumericAssert.Close(yRef, y, what + " y");
            if (hasMean)
                NumericAssert.Close(meanRef, mean, what + " mean");
            NumericAssert.Close(rstdRef, rstd, what + " rstd");
            Assert.Equal(y, yPlain);

            // The fused form gives the add and the forward pass on its result, bit for bit.
            float[] sum = new float[x.Length], yFused = new float[x.Length], meanFused = new float[rows], rstdFused = new float[rows];
            Call(variant, n, "ForwardResidual", x, residual, g, b, sum, yFused, meanFused, rstdFused);
            Assert.Equal(sumRef, sum);
            Assert.Equal(y, yFused);
            if (hasMean)
                Assert.Equal(mean, meanFused);
            Assert.Equal(rstd, rstdFused);
            float[] sumPlain = new float[x.Length], yFusedPlain = new float[x.Length];
            Call(variant, n, "ForwardResidual", x, residual, g, b, sumPlain, yFusedPlain, null, null);
            Assert.Equal(sumRef, sumPlain);
            Assert.Equal(y, yFusedPlain);

            float[] dxRef = new float[x.Length], dgRef = new float[n], dbRef = new float[n];
            ReferenceBackward(variant, dy, sumRef, g, meanRef, rstdRef, dxRef, dgRef, dbRef, n);
            float[] dx = new float[x.Length], dg = Enumerable.Repeat(7f, n).ToArray(), db = Enumerable.Repeat(7f, n).ToArray();
            Call(variant, n, "Backward", dy, sumRef, g, meanRef, rstdRef, dx, dg, db);
            NumericAssert.Close(dxRef, dx, what + " dx");
            if (variant != Variant.NoAffine)
                NumericAssert.Close(dgRef, dg, what + " dgamma");
            else
                Assert.All(dg, value => Assert.Equal(7f, value));
            if (variant == Variant.LayerNorm)
                NumericAssert.Close(dbRef, db, what + " dbeta");
            else
                Assert.All(db, value => Assert.Equal(7f, value));   // no dbeta: the buffer the adapter passes is never touched
            Assert.All(dx, value => Assert.True(float.IsFinite(value), what + " dx is not finite"));

            if (kind == RowKind.Zero || (kind == RowKind.Constant && hasMean))
            {
                // A constant row normalizes to exactly 0, so y is beta, or 0 without it (RMSNorm: a zero row).
                float[] expected = variant == Variant.LayerNorm ? Enumerable.Range(0, rows).SelectMany(_ => b).ToArray() : new float[x.Length];
                Assert.Equal(expected, y.Select(value => value + 0f).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(Variant.RmsNorm, 17)]
    [InlineData(Variant.NoBias, 768)]
    [InlineData(Variant.NoAffine, 100)]
    public void FusedFormRunsInPlace(Variant variant, int n)
    {
        float[] x = TestRows.Rows(RowKind.Random, 2, n, seed: 3), residual = TestRows.Rows(RowKind.Random, 2, n, seed: 4);
        float[] g = TestRows.Rows(RowKind.Random, 1, n, seed: 5), b = TestRows.Rows(RowKind.Random, 1, n, seed: 6);
        float[] sum = new float[x.Length], y = new float[x.Length];
        Call(variant, n, "ForwardResidual", x, residual, g, b, sum, y, null, null);

        // sum written over x (a residual stream updated in place), y over the residual.
        float[] xInPlace = (float[])x.Clone(), residualInPlace = (float[])residual.Clone();
        Call(variant, n, "ForwardResidual", xInPlace, residualInPlace, g, b, xInPlace, residualInPlace, null, null);
        Assert.Equal(sum, xInPlace);
        Assert.Equal(y, residualInPlace);
    }

    [Fact]
    public void FusedFormRefusesYOverSumAndWritesNothing()
    {
        float[] x = new float[34], residual = new float[34], g = new float[17];
        float[] buffer = Enumerable.Repeat(9f, 34).ToArray();
        var error = Assert.Throws<TargetInvocationException>(() =>
            Call(Variant.RmsNorm, 17, "ForwardResidual", x, residual, g, null, buffer, buffer, null, null));
        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.All(buffer, value => Assert.Equal(9f, value));
    }
}
