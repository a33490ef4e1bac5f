namespace NormGen.Tests;

/// <summary>
/// Generated kernels for every hidden size of the numerics suite (DESIGN.md), nested in a partial class so the
/// generator's containing-type chain is exercised; a few are non-static, sealed or internal on purpose.
/// <see cref="GeneratedEngine"/> dispatches to them.
/// </summary>
internal static partial class GeneratedKernels
{
    [LayerNorm(1)]
    public static partial class N1;

    [LayerNorm(2)]
    public static partial class N2;

    [LayerNorm(3)]
    public static partial class N3;

    [LayerNorm(7)]
    public static partial class N7;

    [LayerNorm(8)]
    public static partial class N8;

    [LayerNorm(9)]
    internal sealed partial class N9 { }

    [LayerNorm(15)]
    public static partial class N15;

    [LayerNorm(16)]
    public static partial class N16;

    [LayerNorm(17)]
    public static partial class N17;

    [LayerNorm(31)]
    public static partial class N31;

    [LayerNorm(33)]
    public static partial class N33;

    [LayerNorm(64)]
    public static partial class N64;

    [LayerNorm(100)]
    internal sealed partial class N100 { }

    [LayerNorm(127)]
    public static partial class N127;

    [LayerNorm(768)]
    public static partial class N768;

    [LayerNorm(769)]
    public static partial class N769;

    // Not a size of the numerics suite: an unrolled tail-free plan on Vector512 (16 vectors), which has a non-temporal
    // form (NonTemporalForwardBackwardTests).
    [LayerNorm(256)]
    public static partial class N256;

    [LayerNorm(1024)]
    public static partial class N1024;

    [LayerNorm(4095)]
    internal sealed partial class N4095 { }

    [LayerNorm(4096)]
    public static partial class N4096;

    [LayerNorm(8191)]
    public static partial class N8191;

    /// <summary>A custom epsilon, to cover Epsilon = ... in the attribute.</summary>
    [LayerNorm(768, Epsilon = 1e-3f)]
    public static partial class N768Epsilon1e3;
}
