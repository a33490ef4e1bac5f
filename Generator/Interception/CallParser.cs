using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NormGen.Generator.Model;
using NormGen.Generator.Upgrade;

namespace NormGen.Generator.Interception;

/// <summary>An invocation -> <see cref="InterceptableCall"/>: which generic call it is (the same rule as NG1001,
/// <see cref="GenericCallParser"/>) and where, as interceptable-location data.</summary>
internal static class CallParser
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The syntax filter: an invocation of a member with one of the generic members' names
    /// (<c>LayerNorm.Forward(...)</c>, or <c>Forward(...)</c> under <c>using static</c>).</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax invocation
        && invocation.Expression switch
        {
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } => GenericCallParser.IsMemberName(name.Identifier.ValueText),
            IdentifierNameSyntax name => GenericCallParser.IsMemberName(name.Identifier.ValueText),
            _ => false,
        };

    public static InterceptableCall? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || GenericCallParser.Parse(operation) is not GenericCall call)
        {
            return null;
        }

#pragma warning disable RSEXPERIMENTAL002 // GetInterceptableLocation is the supported way to name a call site (Roslyn 4.14).
        if (context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
            return null;
#pragma warning restore RSEXPERIMENTAL002

        ParameterInfo[] parameters = operation.TargetMethod.Parameters
            .Select(parameter => new ParameterInfo(parameter.Type.ToDisplayString(TypeFormat), parameter.Name))
            .ToArray();
        FileLinePositionSpan span = invocation.GetLocation().GetLineSpan();
        string display = $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        return new InterceptableCall(
            call,
            new EquatableArray<ParameterInfo>(parameters),
            new InterceptedLocation(location.Version, location.Data, display));
    }
}
