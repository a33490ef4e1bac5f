using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>Attribute + class declaration -> <see cref="KernelSpec"/>, or the diagnostics that explain why not.</summary>
internal static class Parser
{
    /// <summary>The largest hidden size NormGen generates a kernel for.</summary>
    /// <remarks>Every emitted method loops with a constant trip count past the register-resident and unrolled
    /// sizes, so method size does not grow with N; the limit keeps row offsets and the constant float divisor
    /// exact and is the largest size whose JIT tier is checked.</remarks>
    public const int MaxHiddenSize = 65536;

    public const string LayerNormAttributeName = "NormGen.LayerNormAttribute";

    public const string RmsNormAttributeName = "NormGen.RmsNormAttribute";

    private const float DefaultEpsilon = 1e-5f;

    /// <summary>Every member name the generator may add; a class that declares one of them gets NG0006.</summary>
    private static readonly string[] GeneratedMembers =
        { "HiddenSize", "Epsilon", "Forward", "Backward", "ForwardResidual", "ForwardParallel", "BackwardParallel", "Kernel" };

    private static readonly SymbolDisplayFormat NamespaceFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>The syntax filter: class and record class declarations carrying some attribute.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: (int)SyntaxKind.None or (int)SyntaxKind.ClassKeyword };

    /// <summary>A <c>[LayerNorm]</c> class. A class that also carries <c>[RmsNorm]</c> is left to <see cref="ParseRmsNorm"/>,
    /// which reports NG0008 once.</summary>
    public static ParseResult ParseLayerNorm(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        HasAttribute(context.TargetSymbol, RmsNormAttributeName) ? ParseResult.Nothing : Parse(context, NormKind.LayerNorm, cancellationToken);

    /// <summary>An <c>[RmsNorm]</c> class.</summary>
    public static ParseResult ParseRmsNorm(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse(context, NormKind.RmsNorm, cancellationToken);

    private static ParseResult Parse(GeneratorAttributeSyntaxContext context, NormKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || context.Attributes.Length != 1)
        {
            return ParseResult.Nothing;
        }

        // An attribute the compiler cannot bind (wrong argument type, missing argument) is the compiler's
        // error to report; NormGen stays quiet rather than adding a second message.
        if (!TryReadArguments(context.Attributes[0], out int hiddenSize, out float epsilon, out bool bias, out bool elementwiseAffine))
            return ParseResult.Nothing;

        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? location = LocationInfo.From(declaration.Identifier.GetLocation());
        string displayName = type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        void Report(DiagnosticDescriptor descriptor, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(args)));

        var containingTypes = new List<TypeDeclarationInfo>();
        for (SyntaxNode? parent = declaration.Parent; parent is TypeDeclarationSyntax outer; parent = parent.Parent)
        {
            if (!outer.Modifiers.Any(SyntaxKind.PartialKeyword))
                Report(DiagnosticDescriptors.NotPartial, outer.Identifier.ValueText);
            containingTypes.Insert(0, Describe(outer));
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            Report(DiagnosticDescriptors.NotPartial, displayName);
        if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            Report(DiagnosticDescriptors.FileLocal, displayName);

        if (hiddenSize <= 0)
            Report(DiagnosticDescriptors.HiddenSizeNotPositive, displayName, Format(hiddenSize));
        else if (hiddenSize > MaxHiddenSize)
            Report(DiagnosticDescriptors.HiddenSizeTooLarge, displayName, Format(hiddenSize), Format(MaxHiddenSize));

        if (!(epsilon > 0f && !float.IsInfinity(epsilon)))
            Report(DiagnosticDescriptors.EpsilonOutOfRange, displayName, epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        if (IsGenericOrInGeneric(type))
            Report(DiagnosticDescriptors.Generic, displayName);

        if (kind == NormKind.RmsNorm && HasAttribute(type, LayerNormAttributeName))
            Report(DiagnosticDescriptors.TwoNorms, displayName);

        foreach (string member in GeneratedMembers)
        {
            if (!type.GetMembers(member).IsEmpty)
                Report(DiagnosticDescriptors.MemberConflict, displayName, member);
        }

        if (diagnostics.Count > 0)
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace
            ? containingNamespace.ToDisplayString(NamespaceFormat)
            : null;
        var spec = new KernelSpec(
            ns,
            new EquatableArray<TypeDeclarationInfo>(containingTypes.ToArray()),
            Describe(declaration),
            SyntaxFacts.GetText(type.DeclaredAccessibility),
            type.IsStatic,
            hiddenSize,
            epsilon,
            kind,
            HasGamma: elementwiseAffine,
            HasBeta: kind == NormKind.LayerNorm && elementwiseAffine && bias);
        return new ParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == metadataName)
                return true;
        }
        return false;
    }

    /// <summary>The attribute's arguments; <paramref name="bias"/> and <paramref name="elementwiseAffine"/> stay true for [RmsNorm], which has neither.</summary>
    private static bool TryReadArguments(AttributeData attribute, out int hiddenSize, out float epsilon, out bool bias, out bool elementwiseAffine)
    {
        hiddenSize = 0;
        epsilon = DefaultEpsilon;
        bias = true;
        elementwiseAffine = true;
        if (attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0] is not { Kind: TypedConstantKind.Primitive, Value: int size })
        {
            return false;
        }
        hiddenSize = size;

        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key, argument.Value)
            {
                case ("Epsilon", { Kind: TypedConstantKind.Primitive, Value: float value }):
                    epsilon = value;
                    break;
                case ("Bias", { Kind: TypedConstantKind.Primitive, Value: bool value }):
                    bias = value;
                    break;
                case ("ElementwiseAffine", { Kind: TypedConstantKind.Primitive, Value: bool value }):
                    elementwiseAffine = value;
                    break;
                case ("Epsilon" or "Bias" or "ElementwiseAffine", _):
                    return false;
            }
        }
        return true;
    }

    private static bool IsGenericOrInGeneric(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
                return true;
        }
        return false;
    }

    private static TypeDeclarationInfo Describe(TypeDeclarationSyntax declaration)
    {
        string keyword = declaration switch
        {
            RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: (int)SyntaxKind.StructKeyword } => "record struct",
            RecordDeclarationSyntax => "record",
            _ => declaration.Keyword.ValueText,
        };
        string modifiers = string.Join(" ", declaration.Modifiers.Select(static modifier => modifier.Text));
        return new TypeDeclarationInfo(modifiers, keyword, declaration.Identifier.ToString());
    }

    private static string Format(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
