
namespace NormGen.Generator.Model;

/// <summary>One type declaration as the generator must repeat it: its modifiers as written, its keyword and its name.</summary>
/// <param name="Modifiers">The declaration's modifiers as written, e.g. <c>public static partial</c>.</param>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>interface</c>, <c>record</c> or <c>record struct</c>.</param>
/// <param name="Name">The identifier, escaped with <c>@</c> when it is a keyword.</param>
internal sealed record TypeDeclarationInfo(string Modifiers, string Keyword, string Name);

/// <summary>Which normalization a class asked for.</summary>
internal enum NormKind
{
    /// <summary><c>[LayerNorm(N)]</c>: y = (x − mean) · rstd · gamma + beta.</summary>
    LayerNorm,

    /// <summary><c>[RmsNorm(N)]</c>: y = x · rstd · gamma, rstd from the mean square.</summary>
    RmsNorm,
}

/// <summary>What the user asked for: where the class is and which kernel it wants. Values only.</summary>
/// <param name="Namespace">The namespace without <c>global::</c>, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="Type">The class that carries the attribute.</param>
/// <param name="Accessibility">The class's declared accessibility, in C# keywords (e.g. <c>internal</c>).</param>
/// <param name="IsStatic">Whether the class is static.</param>
/// <param name="HiddenSize">Features per row.</param>
/// <param name="Epsilon">Added to the variance (LayerNorm) or the mean square (RMSNorm).</param>
/// <param name="Kind">LayerNorm or RMSNorm.</param>
/// <param name="HasGamma">Whether there is a learned scale gamma (false only for LayerNorm with ElementwiseAffine = false).</param>
/// <param name="HasBeta">Whether there is a learned shift beta (LayerNorm with both options left true).</param>
internal sealed record KernelSpec(
    string? Namespace,
    EquatableArray<TypeDeclarationInfo> ContainingTypes,
    TypeDeclarationInfo Type,
    string Accessibility,
    bool IsStatic,
    int HiddenSize,
    float Epsilon,
    NormKind Kind = NormKind.LayerNorm,
    bool HasGamma = true,
    bool HasBeta = true)
{
    /// <summary>Whether the class gets the whole LayerNorm API, including the nested ILayerNormKernel type.</summary>
    public bool IsFullLayerNorm => Kind == NormKind.LayerNorm && HasGamma && HasBeta;

    /// <summary>Whether the kernels save and read a per-row mean (LayerNorm) or only rstd (RMSNorm).</summary>
    public bool HasMean => Kind == NormKind.LayerNorm;

    /// <summary>The class's name qualified by its containing types, e.g. <c>Outer.Inner</c>.</summary>
    public string QualifiedTypeName
    {
        get
        {
            string name = Type.Name;
            for (int i = ContainingTypes.Count - 1; i >= 0; i--)
                name = ContainingTypes[i].Name + "." + name;
            return name;
        }
    }
}

/// <summary>The parser's answer for one attributed class: a spec, or the diagnostics that explain why there is none.</summary>
internal sealed record ParseResult(KernelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static ParseResult Nothing { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}
