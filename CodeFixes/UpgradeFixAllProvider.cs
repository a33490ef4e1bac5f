using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace NormGen.CodeFixes;

/// <summary>
/// Fix All for NG1001 in a document, a project or the solution. Not the batch fixer: merging independent fixes
/// would declare <c>LayerNorm768</c> once per call; all calls of a project are resolved together instead
/// (<see cref="KernelUpgrade"/>).
/// </summary>
internal sealed class UpgradeFixAllProvider : FixAllProvider
{
    public static UpgradeFixAllProvider Instance { get; } = new();

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var diagnostics = new List<Diagnostic>();
        switch (fixAllContext.Scope)
        {
            case FixAllScope.Document when fixAllContext.Document is not null:
                diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(fixAllContext.Document).ConfigureAwait(false));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false));
                break;
            case FixAllScope.Solution:
                foreach (Project project in fixAllContext.Solution.Projects)
                    diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                break;
            default:
                return null;
        }
        ImmutableArray<Diagnostic> fixable = diagnostics
            .Where(d => d.Id == UpgradeToGeneratedKernelCodeFixer.DiagnosticId && d.Location.IsInSource)
            .ToImmutableArray();
        if (fixable.IsEmpty)
            return null;
        Solution solution = fixAllContext.Solution;
        return CodeAction.Create(
            UpgradeToGeneratedKernelCodeFixer.Title,
            cancellationToken => KernelUpgrade.ApplyAsync(solution, fixable, cancellationToken),
            equivalenceKey: fixAllContext.CodeActionEquivalenceKey);
    }
}
