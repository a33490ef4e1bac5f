using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator.Upgrade;

namespace NormGen.CodeFixes;

/// <summary>An attributed class the compilation already has, which a fixed call can use instead of a new one.</summary>
internal sealed record ExistingKernel(INamedTypeSymbol Type, KernelVariant Variant, int HiddenSize, float Epsilon);

/// <summary>Finds the <c>[LayerNorm]</c> and <c>[RmsNorm]</c> classes of a compilation that the generator completes.</summary>
internal static class ExistingKernels
{
    public static List<ExistingKernel> Find(Compilation compilation, CancellationToken cancellationToken)
    {
        var kernels = new List<ExistingKernel>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            INamespaceOrTypeSymbol current = pending.Pop();
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                    pending.Push(ns);
                else if (member is INamedTypeSymbol type)
                {
                    pending.Push(type);
                    if (Describe(type) is ExistingKernel kernel)
                        kernels.Add(kernel);
                }
            }
        }
        // Declaration order is not stable across edits; a fixed order makes the fix deterministic.
        return kernels
            .OrderBy(k => k.Epsilon.Equals(KernelNaming.DefaultEpsilon) ? 0 : 1)
            .ThenBy(k => k.Type.ToDisplayString(), System.StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The kernel a class declares, or null when it declares none, or one the generator would refuse.</summary>
    private static ExistingKernel? Describe(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class || !IsCompletable(type))
            return null;
        ExistingKernel? found = null;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            if (name is not ("NormGen.LayerNormAttribute" or "NormGen.RmsNormAttribute"))
                continue;
            if (found is not null)
                return null;   // both attributes: NG0008, no kernel
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not int hiddenSize)
                return null;
            float epsilon = KernelNaming.DefaultEpsilon;
            bool bias = true, affine = true;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                switch (argument.Key, argument.Value.Value)
                {
                    case ("Epsilon", float value): epsilon = value; break;
                    case ("Bias", bool value): bias = value; break;
                    case ("ElementwiseAffine", bool value): affine = value; break;
                }
            }
            if (!KernelNaming.IsGeneratable(hiddenSize, epsilon))
                return null;
            KernelVariant variant = name == "NormGen.RmsNormAttribute" ? KernelVariant.RmsNorm
                : !affine ? KernelVariant.LayerNormNoAffine
                : !bias ? KernelVariant.LayerNormNoBias
                : KernelVariant.LayerNorm;
            found = new ExistingKernel(type, variant, hiddenSize, epsilon);
        }
        return found;
    }

    /// <summary>Partial, as every containing type, not generic and not file-local: the generator adds the members
    /// (NG0001, NG0005, NG0007).</summary>
    private static bool IsCompletable(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType || current.DeclaringSyntaxReferences.Length == 0)
                return false;
            foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration
                    || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    || declaration.Modifiers.Any(SyntaxKind.FileKeyword))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
