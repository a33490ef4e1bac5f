namespace NormGen.Tests;

/// <summary>
/// Generated kernels of the family for every hidden size of the numerics suite: RMSNorm, LayerNorm without bias and
/// LayerNorm without affine (the full LayerNorm's are <see cref="GeneratedKernels"/>, whose classes also carry the
/// fused residual form). <see cref="GeneratedFamilyEngine"/> finds them by name.
/// </summary>
internal static partial class GeneratedFamilyKernels
{
    [RmsNorm(1)] public static partial class RmsNorm1;
    [LayerNorm(1, Bias = false)] public static partial class LayerNormNoBias1;
    [LayerNorm(1, ElementwiseAffine = false)] public static partial class LayerNormNoAffine1;

    [RmsNorm(2)] public static partial class RmsNorm2;
    [LayerNorm(2, Bias = false)] public static partial class LayerNormNoBias2;
    [LayerNorm(2, ElementwiseAffine = false)] public static partial class LayerNormNoAffine2;

    [RmsNorm(3)] public static partial class RmsNorm3;
    [LayerNorm(3, Bias = false)] public static partial class LayerNormNoBias3;
    [LayerNorm(3, ElementwiseAffine = false)] public static partial class LayerNormNoAffine3;

    [RmsNorm(7)] public static partial class RmsNorm7;
    [LayerNorm(7, Bias = false)] public static partial class LayerNormNoBias7;
    [LayerNorm(7, ElementwiseAffine = false)] public static partial class LayerNormNoAffine7;

    [RmsNorm(8)] public static partial class RmsNorm8;
    [LayerNorm(8, Bias = false)] public static partial class LayerNormNoBias8;
    [LayerNorm(8, ElementwiseAffine = false)] public static partial class LayerNormNoAffine8;

    [RmsNorm(9)] public static partial class RmsNorm9;
    [LayerNorm(9, Bias = false)] public static partial class LayerNormNoBias9;
    [LayerNorm(9, ElementwiseAffine = false)] public static partial class LayerNormNoAffine9;

    [RmsNorm(15)] public static partial class RmsNorm15;
    [LayerNorm(15, Bias = false)] public static partial class LayerNormNoBias15;
    [LayerNorm(15, ElementwiseAffine = false)] public static partial class LayerNormNoAffine15;

    [RmsNorm(16)] public static partial class RmsNorm16;
    [LayerNorm(16, Bias = false)] public static partial class LayerNormNoBias16;
    [LayerNorm(16, ElementwiseAffine = false)] public static partial class LayerNormNoAffine16;

    [RmsNorm(17)] public static partial class RmsNorm17;
    [LayerNorm(17, Bias = false)] public static partial class LayerNormNoBias17;
    [LayerNorm(17, ElementwiseAffine = false)] public static partial class LayerNormNoAffine17;

    [RmsNorm(31)] public static partial class RmsNorm31;
    [LayerNorm(31, Bias = false)] public static partial class LayerNormNoBias31;
    [LayerNorm(31, ElementwiseAffine = false)] public static partial class LayerNormNoAffine31;

    [RmsNorm(33)] public static partial class RmsNorm33;
    [LayerNorm(33, Bias = false)] public static partial class LayerNormNoBias33;
    [LayerNorm(33, ElementwiseAffine = false)] public static partial class LayerNormNoAffine33;

    [RmsNorm(64)] public static partial class RmsNorm64;
    [LayerNorm(64, Bias = false)] public static partial class LayerNormNoBias64;
    [LayerNorm(64, ElementwiseAffine = false)] public static partial class LayerNormNoAffine64;

    [RmsNorm(100)] public static partial class RmsNorm100;
    [LayerNorm(100, Bias = false)] public static partial class LayerNormNoBias100;
    [LayerNorm(100, ElementwiseAffine = false)] public static partial class LayerNormNoAffine100;

    [RmsNorm(127)] public static partial class RmsNorm127;
    [LayerNorm(127, Bias = false)] public static partial class LayerNormNoBias127;
    [LayerNorm(127, ElementwiseAffine = false)] public static partial class LayerNormNoAffine127;

    // Not a size of the numerics suite: the non-temporal tests' unrolled Vector512 plan.
    [RmsNorm(256)] public static partial class RmsNorm256;
    [LayerNorm(256, Bias = false)] public static partial class LayerNormNoBias256;
    [LayerNorm(256, ElementwiseAffine = false)] public static partial class LayerNormNoAffine256;

    [RmsNorm(768)] public static partial class RmsNorm768;
    [LayerNorm(768, Bias = false)] public static partial class LayerNormNoBias768;
    [LayerNorm(768, ElementwiseAffine = false)] public static partial class LayerNormNoAffine768;

    [RmsNorm(769)] public static partial class RmsNorm769;
    [LayerNorm(769, Bias = false)] public static partial class LayerNormNoBias769;
    [LayerNorm(769, ElementwiseAffine = false)] public static partial class LayerNormNoAffine769;

    [RmsNorm(1024)] public static partial class RmsNorm1024;
    [LayerNorm(1024, Bias = false)] public static partial class LayerNormNoBias1024;
    [LayerNorm(1024, ElementwiseAffine = false)] public static partial class LayerNormNoAffine1024;

    [RmsNorm(4095)] public static partial class RmsNorm4095;
    [LayerNorm(4095, Bias = false)] public static partial class LayerNormNoBias4095;
    [LayerNorm(4095, ElementwiseAffine = false)] public static partial class LayerNormNoAffine4095;

    [RmsNorm(4096)] public static partial class RmsNorm4096;
    [LayerNorm(4096, Bias = false)] public static partial class LayerNormNoBias4096;
    [LayerNorm(4096, ElementwiseAffine = false)] public static partial class LayerNormNoAffine4096;

    [RmsNorm(8191)] public static partial class RmsNorm8191;
    [LayerNorm(8191, Bias = false)] public static partial class LayerNormNoBias8191;
    [LayerNorm(8191, ElementwiseAffine = false)] public static partial class LayerNormNoAffine8191;

    /// <summary>Custom epsilons, to cover Epsilon = ... with the family's attributes.</summary>
    [RmsNorm(768, Epsilon = 1e-3f)] public static partial class RmsNorm768Epsilon1e3;
    [LayerNorm(768, Bias = false, Epsilon = 1e-3f)] public static partial class LayerNormNoBias768Epsilon1e3;
    [LayerNorm(768, ElementwiseAffine = false, Epsilon = 1e-3f)] public static partial class LayerNormNoAffine768Epsilon1e3;
}
