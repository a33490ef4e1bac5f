using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace NormGen.CodeFixes;

/// <summary>
/// The fix for NG1001: call a kernel generated for the constant hidden size. It reuses an attributed class of the
/// same kind, size, epsilon and variant where there is one, and otherwise declares one
/// (<c>[LayerNorm(768)] internal static partial class LayerNorm768;</c>) and calls it. Fix All declares each class once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UpgradeToGeneratedKernelCodeFixer))]
public sealed class UpgradeToGeneratedKernelCodeFixer : CodeFixProvider
{
    /// <summary>The id of the diagnostic fixed (NormGen.Generator's DiagnosticDescriptors.UpgradeToGeneratedKernel).</summary>
    public const string DiagnosticId = "NG1001";

    internal const string Title = "Use a kernel generated for the hidden size";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => UpgradeFixAllProvider.Instance;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (KernelRequest.From(diagnostic) is null)
                continue;
            Solution solution = context.Document.Project.Solution;
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    cancellationToken => KernelUpgrade.ApplyAsync(solution, new[] { diagnostic }, cancellationToken),
                    equivalenceKey: DiagnosticId),
                diagnostic);
        }
        return Task.CompletedTask;
    }
}
