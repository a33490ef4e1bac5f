using Microsoft.CodeAnalysis;

namespace NormGen.Generator;

/// <summary>The diagnostics NormGen reports. Each message says how to fix the problem.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NormGen";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "NG0001",
        "NormGen class must be partial",
        "'{0}' must be declared partial so that NormGen can add the kernel to it; add the 'partial' modifier to '{0}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HiddenSizeNotPositive = new(
        "NG0002",
        "Hidden size must be positive",
        "The hidden size of '{0}' is {1}; pass a positive number of features per row to the attribute ([LayerNorm(hiddenSize)] or [RmsNorm(hiddenSize)])",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HiddenSizeTooLarge = new(
        "NG0003",
        "Hidden size is above the supported maximum",
        "The hidden size of '{0}' is {1}, above the maximum of {2} that NormGen generates kernels for; use a smaller hidden size, or the generic NormGen.LayerNorm or NormGen.RmsNorm for this one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor EpsilonOutOfRange = new(
        "NG0004",
        "Epsilon must be positive and finite",
        "Epsilon of '{0}' is {1}; set Epsilon to a positive, finite value such as 1e-5f",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Generic = new(
        "NG0005",
        "NormGen class must not be generic",
        "'{0}' is generic or nested in a generic type; declare the attributed class as a non-generic class outside any generic type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberConflict = new(
        "NG0006",
        "NormGen class already declares a generated member",
        "'{0}' already declares '{1}', which NormGen generates; rename or remove the member '{1}' (NormGen adds HiddenSize, Epsilon, Forward, Backward, ForwardResidual, ForwardParallel, BackwardParallel and the nested type Kernel)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FileLocal = new(
        "NG0007",
        "NormGen class must not be file-local",
        "'{0}' is file-local, so NormGen cannot add a partial declaration in its own file; remove the 'file' modifier from '{0}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TwoNorms = new(
        "NG0008",
        "A class can carry one normalization attribute",
        "'{0}' carries both [LayerNorm] and [RmsNorm], whose generated members would clash; keep one attribute and declare another class for the other kernel",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Reported by <see cref="Upgrade.UpgradeToGeneratedKernelAnalyzer"/>, not by the generator; so not in <see cref="All"/>.</summary>
    public static readonly DiagnosticDescriptor UpgradeToGeneratedKernel = new(
        "NG1001",
        "Use a kernel generated for the constant hidden size",
        "{0}.{1} with the constant hidden size {2} can use a kernel generated for that size: {3}",
        "Performance", DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "The generic path handles any hidden size at run time. A class with the attribute gets a kernel "
            + "compiled for exactly that size (constant trip counts, the tail resolved at compile time), with the same "
            + "validation and contract. The code fix declares the class, or reuses one that exists, and calls it.");

    public static readonly DiagnosticDescriptor[] All =
        { NotPartial, HiddenSizeNotPositive, HiddenSizeTooLarge, EpsilonOutOfRange, Generic, MemberConflict, FileLocal, TwoNorms };

    public static DiagnosticDescriptor ById(string id)
    {
        foreach (DiagnosticDescriptor descriptor in All)
        {
            if (descriptor.Id == id)
                return descriptor;
        }
        return NotPartial;
    }
}
