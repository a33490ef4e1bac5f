using System;
using System.Collections.Generic;
using System.Linq;

namespace NormGen.Tests;

/// <summary>Cases and buffers for the family tests: what each variant takes, filled the same way for every engine.</summary>
public static class FamilyData
{
    public static readonly Variant[] Variants = Enum.GetValues<Variant>();

    public static readonly Variant[] LayerNormVariants = [Variant.LayerNorm, Variant.LayerNormNoBias, Variant.LayerNormNoAffine];

    public static bool HasGamma(Variant v) => v != Variant.LayerNormNoAffine;

    public static bool HasBeta(Variant v) => v == Variant.LayerNorm;

    public static bool HasMean(Variant v) => v != Variant.RmsNorm;

    /// <summary>Every engine under test × variant × hidden size × row kind.</summary>
    /// <remarks>RMSNorm does not centre the row, so the offset kinds test it on large values (no cancellation to
    /// survive), and a constant row is an ordinary one; every kind is still a valid and adversarial input for it.</remarks>
    public static IEnumerable<object[]> EngineVariantSizeKind() =>
        from engine in FamilyEngines.UnderTest
        from v in Variants
        from n in TestData.HiddenSizes
        from kind in Enum.GetValues<RowKind>()
        select new object[] { engine.Name, v, n, kind };

    /// <summary>Every engine under test × variant × the three longest hidden sizes × the adversarial row kinds.</summary>
    public static IEnumerable<object[]> UnderTestVariantLongRowsAdversarialKinds() =>
        from engine in FamilyEngines.UnderTest
        from v in Variants
        from n in new[] { 4095, 4096, 8191 }
        from kind in Enum.GetValues<RowKind>()
        where kind != RowKind.Random
        select new object[] { engine.Name, v, n, kind };

    /// <summary>Every engine (the reference too) × variant × hidden size.</summary>
    public static IEnumerable<object[]> EngineVariantSize() =>
        from engine in FamilyEngines.All
        from v in Variants
        from n in TestData.HiddenSizes
        select new object[] { engine.Name, v, n };

    /// <summary>Every engine × LayerNorm variant × hidden size.</summary>
    public static IEnumerable<object[]> EngineLayerNormVariantSize() =>
        from engine in FamilyEngines.All
        from v in LayerNormVariants
        from n in TestData.HiddenSizes
        select new object[] { engine.Name, v, n };

    /// <summary>Every engine × variant, on a few sizes.</summary>
    public static IEnumerable<object[]> EngineVariantFewSizes() =>
        from engine in FamilyEngines.All
        from v in Variants
        from n in new[] { 1, 7, 17, 64, 768 }
        select new object[] { engine.Name, v, n };

    /// <summary>Every engine under test × variant, on a few sizes.</summary>
    public static IEnumerable<object[]> UnderTestVariantFewSizes() =>
        from engine in FamilyEngines.UnderTest
        from v in Variants
        from n in new[] { 1, 7, 17, 64, 768 }
        select new object[] { engine.Name, v, n };

    public static IEnumerable<object[]> EngineVariant() =>
        from engine in FamilyEngines.All
        from v in Variants
        select new object[] { engine.Name, v };

    /// <summary>gamma, or empty where the variant has none.</summary>
    public static float[] Gamma(Variant v, int hiddenSize, int seed) =>
        HasGamma(v) ? TestRows.Uniform(hiddenSize, -2, 2, seed) : [];

    /// <summary>beta, or empty where the variant has none.</summary>
    public static float[] Beta(Variant v, int hiddenSize, int seed) =>
        HasBeta(v) ? TestRows.Uniform(hiddenSize, -1, 1, seed) : [];

    public static (float[] Y, float[] Mean, float[] Rstd) RunForward(
        FamilyEngine engine, Variant v, float[] x, float[] gamma, float[] beta, int rows, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon)
    {
        var y = new float[x.Length];
        float[] mean = HasMean(v) ? new float[rows] : [], rstd = new float[rows];
        engine.Forward(v, x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
        return (y, mean, rstd);
    }

    public static (float[] Sum, float[] Y, float[] Mean, float[] Rstd) RunForwardResidual(
        FamilyEngine engine, Variant v, float[] x, float[] residual, float[] gamma, float[] beta, int rows, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon)
    {
        var sum = new float[x.Length];
        var y = new float[x.Length];
        float[] mean = HasMean(v) ? new float[rows] : [], rstd = new float[rows];
        engine.ForwardResidual(v, x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
        return (sum, y, mean, rstd);
    }

    /// <summary>Backward with garbage in dgamma and dbeta (which Backward must overwrite, not add to); empty where the variant has none.</summary>
    public static (float[] Dx, float[] Dgamma, float[] Dbeta) RunBackward(
        FamilyEngine engine, Variant v, float[] dy, float[] x, float[] gamma, float[] mean, float[] rstd, int hiddenSize)
    {
        var dx = new float[x.Length];
        float[] dgamma = HasGamma(v) ? Enumerable.Repeat(123f, hiddenSize).ToArray() : [];
        float[] dbeta = HasBeta(v) ? Enumerable.Repeat(-456f, hiddenSize).ToArray() : [];
        engine.Backward(v, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        return (dx, dgamma, dbeta);
    }
}
