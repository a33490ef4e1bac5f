using System.Globalization;

namespace NormGen.Generator.Upgrade;

/// <summary>
/// How NormGen writes a kernel it suggests or synthesizes: the attribute (<c>[LayerNorm(768, Epsilon = 1e-6f)]</c>)
/// and a class name (<c>LayerNorm768Eps1em6</c>). Shared as source by the analyzer, the interceptors and the
/// code fix, so the message, the hidden class and the declaration the fix adds agree.
/// </summary>
internal static class KernelNaming
{
    /// <summary>The attributes' default epsilon, which a call that omits <c>epsilon</c> gets too.</summary>
    public const float DefaultEpsilon = 1e-5f;

    /// <summary>The largest hidden size the generator writes a kernel for (Parser.MaxHiddenSize).</summary>
    public const int MaxHiddenSize = 65536;

    /// <summary>Whether the generator accepts these attribute arguments (NG0002, NG0003 and NG0004 otherwise).</summary>
    public static bool IsGeneratable(int hiddenSize, float epsilon) =>
        hiddenSize > 0 && hiddenSize <= MaxHiddenSize && epsilon > 0f && !float.IsInfinity(epsilon);

    /// <summary>The attribute's name without its suffix: LayerNorm or RmsNorm.</summary>
    public static string AttributeName(KernelVariant variant) =>
        variant == KernelVariant.RmsNorm ? "RmsNorm" : "LayerNorm";

    /// <summary>The attribute's arguments, e.g. <c>768, Bias = false, Epsilon = 1e-6f</c>.</summary>
    public static string AttributeArguments(KernelVariant variant, int hiddenSize, float epsilon)
    {
        string arguments = hiddenSize.ToString(CultureInfo.InvariantCulture);
        if (variant == KernelVariant.LayerNormNoBias)
            arguments += ", Bias = false";
        else if (variant == KernelVariant.LayerNormNoAffine)
            arguments += ", ElementwiseAffine = false";
        if (!IsDefaultEpsilon(epsilon))
            arguments += ", Epsilon = " + EpsilonLiteral(epsilon);
        return arguments;
    }

    /// <summary>The attribute as a user writes it, e.g. <c>[LayerNorm(768)]</c> or <c>[RmsNorm(4096, Epsilon = 1e-6f)]</c>.</summary>
    public static string Attribute(KernelVariant variant, int hiddenSize, float epsilon) =>
        $"[{AttributeName(variant)}({AttributeArguments(variant, hiddenSize, epsilon)})]";

    /// <summary>A class name for the kernel: <c>LayerNorm768</c>, <c>LayerNormNoBias768</c>, <c>RmsNorm4096Eps1em6</c>.</summary>
    public static string ClassName(KernelVariant variant, int hiddenSize, float epsilon)
    {
        string name = variant + hiddenSize.ToString(CultureInfo.InvariantCulture);
        if (IsDefaultEpsilon(epsilon))
            return name;
        // An identifier from the round-trip text: 1E-06 -> 1em6, 0.001 -> 0p001, 2.5E-07 -> 2p5em7.
        string text = epsilon.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant()
            .Replace("e-0", "em").Replace("e-", "em").Replace("e+0", "e").Replace("e+", "e").Replace('.', 'p');
        return name + "Eps" + text;
    }

    /// <summary>A C# float literal that round-trips: 1e-5f, 1e-6f, 0.001f.</summary>
    public static string EpsilonLiteral(float epsilon)
    {
        string text = epsilon.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant()
            .Replace("e-0", "e-").Replace("e+0", "e+");
        return text + "f";
    }

    public static bool IsDefaultEpsilon(float epsilon) => epsilon.Equals(DefaultEpsilon);
}
