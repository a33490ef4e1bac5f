using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NormGen.Generator.Upgrade;

namespace NormGen.CodeFixes;

/// <summary>What one NG1001 diagnostic asks for, read from the properties the analyzer attached.</summary>
/// <param name="Variant">The attribute and its options.</param>
/// <param name="HiddenSize">The call's constant hidden size.</param>
/// <param name="Epsilon">The call's constant epsilon, or null for a member without one (any epsilon will do).</param>
/// <param name="TargetMember">The generated member to call, e.g. Forward for ForwardNoBias.</param>
internal sealed record KernelRequest(KernelVariant Variant, int HiddenSize, float? Epsilon, string TargetMember)
{
    // The analyzer's property names (NormGen.Generator.Upgrade.UpgradeToGeneratedKernelAnalyzer); this assembly
    // does not reference the generator's, so they are repeated here.
    private const string VariantProperty = "Variant";
    private const string HiddenSizeProperty = "HiddenSize";
    private const string EpsilonProperty = "Epsilon";
    private const string TargetMemberProperty = "TargetMember";

    /// <summary>The epsilon of a class declared for this request.</summary>
    public float KernelEpsilon => Epsilon ?? KernelNaming.DefaultEpsilon;

    /// <summary>Whether a kernel of this variant, size and epsilon serves the request.</summary>
    public bool IsServedBy(KernelVariant variant, int hiddenSize, float epsilon) =>
        variant == Variant && hiddenSize == HiddenSize && (Epsilon is null || Epsilon.Value.Equals(epsilon));

    public static KernelRequest? From(Diagnostic diagnostic)
    {
        IReadOnlyDictionary<string, string?> properties = diagnostic.Properties;
        if (!properties.TryGetValue(VariantProperty, out string? variantText)
            || !System.Enum.TryParse(variantText, out KernelVariant variant)
            || !properties.TryGetValue(HiddenSizeProperty, out string? sizeText)
            || !int.TryParse(sizeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int hiddenSize)
            || !properties.TryGetValue(TargetMemberProperty, out string? target) || string.IsNullOrEmpty(target))
        {
            return null;
        }
        float? epsilon = null;
        if (properties.TryGetValue(EpsilonProperty, out string? epsilonText) && epsilonText is not null)
        {
            if (!float.TryParse(epsilonText, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                return null;
            epsilon = value;
        }
        return new KernelRequest(variant, hiddenSize, epsilon, target!);
    }
}
