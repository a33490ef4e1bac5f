// What a user writes: the attribute on partial classes, nothing else.
using NormGen;

namespace NormGen.Consumer
{
    /// <summary>A kernel for 512 features in a namespace.</summary>
    [LayerNorm(512)]
    public static partial class Hidden512;

    /// <summary>An RMSNorm kernel for 384 features.</summary>
    [RmsNorm(384, Epsilon = 1e-6f)]
    public static partial class Rms384;
}

/// <summary>A kernel nested in a class in the global namespace (the containing type is partial too).</summary>
public static partial class Outer
{
    /// <summary>24 features, epsilon 1e-6.</summary>
    [LayerNorm(24, Epsilon = 1e-6f)]
    internal static partial class Inner;
}
