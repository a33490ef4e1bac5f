using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NormGen.Generator.Upgrade;

/// <summary>
/// An invocation -> <see cref="GenericCall"/>, or null when it is not a constant-size call of a generic-path member.
/// Shared by the NG1001 analyzer and the interceptors, so the two agree on which calls qualify.
/// </summary>
internal static class GenericCallParser
{
    public const string HiddenSizeParameter = "hiddenSize";
    public const string EpsilonParameter = "epsilon";

    /// <summary>The assembly of the generic path; a user's own type named NormGen.LayerNorm is not it.</summary>
    private const string RuntimeAssemblyName = "NormGen.Runtime";

    /// <summary>Each generic member and the generated member with the same parameters (less hiddenSize and epsilon).</summary>
    private static readonly Dictionary<string, (KernelVariant Variant, string Target)> LayerNormMembers = new()
    {
        ["Forward"] = (KernelVariant.LayerNorm, "Forward"),
        ["Backward"] = (KernelVariant.LayerNorm, "Backward"),
        ["ForwardResidual"] = (KernelVariant.LayerNorm, "ForwardResidual"),
        ["ForwardParallel"] = (KernelVariant.LayerNorm, "ForwardParallel"),
        ["BackwardParallel"] = (KernelVariant.LayerNorm, "BackwardParallel"),
        ["ForwardNoBias"] = (KernelVariant.LayerNormNoBias, "Forward"),
        ["BackwardNoBias"] = (KernelVariant.LayerNormNoBias, "Backward"),
        ["ForwardResidualNoBias"] = (KernelVariant.LayerNormNoBias, "ForwardResidual"),
        ["ForwardNoAffine"] = (KernelVariant.LayerNormNoAffine, "Forward"),
        ["BackwardNoAffine"] = (KernelVariant.LayerNormNoAffine, "Backward"),
        ["ForwardResidualNoAffine"] = (KernelVariant.LayerNormNoAffine, "ForwardResidual"),
    };

    private static readonly Dictionary<string, (KernelVariant Variant, string Target)> RmsNormMembers = new()
    {
        ["Forward"] = (KernelVariant.RmsNorm, "Forward"),
        ["Backward"] = (KernelVariant.RmsNorm, "Backward"),
        ["ForwardResidual"] = (KernelVariant.RmsNorm, "ForwardResidual"),
    };

    /// <summary>Whether <paramref name="name"/> is the name of some generic member: the cheap syntactic filter.</summary>
    public static bool IsMemberName(string name) => LayerNormMembers.ContainsKey(name) || RmsNormMembers.ContainsKey(name);

    public static GenericCall? Parse(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (!method.IsStatic || method.IsGenericMethod || method.ContainingType is not { } type
            || type.ContainingType is not null || type.ContainingNamespace is not { Name: "NormGen" } ns
            || ns.ContainingNamespace is not { IsGlobalNamespace: true }
            || type.ContainingAssembly?.Name != RuntimeAssemblyName)
        {
            return null;
        }
        Dictionary<string, (KernelVariant Variant, string Target)>? members = type.Name switch
        {
            "LayerNorm" => LayerNormMembers,
            "RmsNorm" => RmsNormMembers,
            _ => null,
        };
        if (members is null || !members.TryGetValue(method.Name, out var target))
            return null;

        int? hiddenSize = null;
        float? epsilon = null;
        bool hasEpsilon = false;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case HiddenSizeParameter:
                    if (Constant(argument) is int size)
                        hiddenSize = size;
                    break;
                case EpsilonParameter:
                    hasEpsilon = true;
                    if (Constant(argument) is float value)
                        epsilon = value;
                    break;
            }
        }
        if (hiddenSize is not int n || (hasEpsilon && epsilon is null))
            return null;
        // A size or epsilon the generator refuses (NG0002-NG0004) has no kernel to move to; the generic call throws.
        if (!KernelNaming.IsGeneratable(n, epsilon ?? KernelNaming.DefaultEpsilon))
            return null;
        return new GenericCall(type.Name, method.Name, target.Variant, target.Target, n, hasEpsilon ? epsilon : null);
    }

    /// <summary>The argument's compile-time value; an omitted optional argument has its parameter's default.</summary>
    private static object? Constant(IArgumentOperation argument)
    {
        if (argument.Value.ConstantValue is { HasValue: true, Value: var value })
            return value;
        if (argument.ArgumentKind == ArgumentKind.DefaultValue && argument.Parameter is { HasExplicitDefaultValue: true } parameter)
            return parameter.ExplicitDefaultValue;
        return null;
    }
}
