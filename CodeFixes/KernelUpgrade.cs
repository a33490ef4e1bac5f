using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using NormGen.Generator.Upgrade;

namespace NormGen.CodeFixes;

/// <summary>
/// Applies NG1001 to a set of diagnostics, one fix or Fix All alike: each call moves to a generated class of the
/// same kind, size, epsilon and variant, an existing one where the call can see it, else one declared by the fix.
/// </summary>
/// <remarks>
/// Calls are resolved together, per project, so Fix All declares each needed class once: in the file (and the
/// namespace) of the first call that needs it, as <c>internal</c>, which every other call of the project can see.
/// Calls of a member with an epsilon are resolved first; a backward call (no epsilon) then joins any class of
/// its variant and size, existing or just declared, since every epsilon gives it the same bits.
/// </remarks>
internal static class KernelUpgrade
{
    public static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var byProject = diagnostics
            .Select(d => (Document: d.Location.SourceTree is { } tree ? solution.GetDocument(tree) : null, Diagnostic: d))
            .Where(pair => pair.Document is not null)
            .GroupBy(pair => pair.Document!.Project.Id);
        Solution changed = solution;
        foreach (var project in byProject)
        {
            var calls = new List<Call>();
            foreach (var (document, diagnostic) in project)
            {
                if (await Call.FromAsync(document!, diagnostic, cancellationToken).ConfigureAwait(false) is Call call)
                    calls.Add(call);
            }
            if (calls.Count == 0)
                continue;
            Compilation? compilation = await solution.GetProject(project.Key)!.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is null)
                continue;
            changed = await ApplyAsync(changed, compilation, calls, cancellationToken).ConfigureAwait(false);
        }
        return changed;
    }

    private static async Task<Solution> ApplyAsync(Solution solution, Compilation compilation, List<Call> calls, CancellationToken cancellationToken)
    {
        List<ExistingKernel> existing = ExistingKernels.Find(compilation, cancellationToken);
        var declared = new List<NewKernel>();
        var targets = new Dictionary<Call, string>();
        IEnumerable<Call> order = calls
            .Distinct()
            .OrderBy(c => c.Request.Epsilon is null ? 1 : 0)
            .ThenBy(c => c.Document.FilePath ?? c.Document.Name, System.StringComparer.Ordinal)
            .ThenBy(c => c.Invocation.SpanStart);
        foreach (Call call in order)
        {
            KernelRequest request = call.Request;
            ExistingKernel? reuse = existing.FirstOrDefault(k =>
                request.IsServedBy(k.Variant, k.HiddenSize, k.Epsilon)
                && call.Model.IsAccessible(call.Invocation.SpanStart, k.Type));
            if (reuse is not null)
            {
                targets[call] = reuse.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                continue;
            }
            NewKernel? kernel = declared.FirstOrDefault(k => request.IsServedBy(k.Variant, k.HiddenSize, k.Epsilon));
            if (kernel is null)
            {
                kernel = NewKernel.For(call, compilation, declared);
                declared.Add(kernel);
            }
            targets[call] = kernel.QualifiedName;
        }

        foreach (var document in calls.GroupBy(c => c.Document.Id))
        {
            Document original = solution.GetDocument(document.Key)!;
            SyntaxNode root = (await original.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var editor = new SyntaxEditor(root, solution.Services);
            foreach (Call call in document.Distinct())
            {
                editor.ReplaceNode(call.Invocation, (current, _) => CallRewriter.Rewrite(
                    (InvocationExpressionSyntax)current, call.RemovedArguments, targets[call], call.Request.TargetMember));
            }
            string newLine = NewLineOf(root);
            foreach (var container in declared.Where(k => k.Document == document.Key).GroupBy(k => k.Container))
            {
                NewKernel[] kernels = container.ToArray();
                editor.ReplaceNode(container.Key, (current, _) => AddDeclarations(current, kernels, newLine));
            }
            solution = solution.WithDocumentSyntaxRoot(document.Key, editor.GetChangedRoot());
        }
        return solution;
    }

    /// <summary>Appends the new classes at the end of the namespace (or the file) that holds the first call needing them.</summary>
    private static SyntaxNode AddDeclarations(SyntaxNode container, NewKernel[] kernels, string newLine)
    {
        LanguageVersion version = ((CSharpParseOptions?)container.SyntaxTree.Options)?.LanguageVersion ?? LanguageVersion.Latest;
        SyntaxList<MemberDeclarationSyntax> existing = container switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.Members,
            CompilationUnitSyntax unit => unit.Members,
            _ => default,
        };
        // A blank line before each class; when the text before them does not end its line (a file without a final
        // newline), one more, and none after the last, so the file keeps its ending.
        SyntaxToken before = existing.Count > 0 ? existing[existing.Count - 1].GetLastToken() : container.GetLastToken();
        bool endsLine = before.TrailingTrivia.Count > 0 && before.TrailingTrivia[before.TrailingTrivia.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia);
        var members = new List<MemberDeclarationSyntax>();
        for (int i = 0; i < kernels.Length; i++)
        {
            bool first = i == 0, last = i == kernels.Length - 1;
            members.Add(kernels[i].Declaration(version, newLine, blankLines: first && !endsLine ? 2 : 1, endLine: endsLine || !last));
        }
        return container switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.AddMembers(members.ToArray()),
            CompilationUnitSyntax unit => unit.AddMembers(members.ToArray()),
            _ => container,
        };
    }

    private static string NewLineOf(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } text
            ? text
            : "\n";

    /// <summary>One diagnosed call with what the fix needs from it.</summary>
    private sealed class Call
    {
        private Call(Document document, SemanticModel model, InvocationExpressionSyntax invocation, KernelRequest request, ISet<int> removed)
        {
            Document = document;
            Model = model;
            Invocation = invocation;
            Request = request;
            RemovedArguments = removed;
        }

        public Document Document { get; }
        public SemanticModel Model { get; }
        public InvocationExpressionSyntax Invocation { get; }
        public KernelRequest Request { get; }

        /// <summary>The hiddenSize and epsilon arguments as written (indices into the argument list).</summary>
        public ISet<int> RemovedArguments { get; }

        public override bool Equals(object? obj) => obj is Call other && other.Document.Id == Document.Id && other.Invocation.Span == Invocation.Span;

        public override int GetHashCode() => Invocation.Span.GetHashCode();

        public static async Task<Call?> FromAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (KernelRequest.From(diagnostic) is not KernelRequest request)
                return null;
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
                return null;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                    .FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                || invocation.Span != diagnostic.Location.SourceSpan
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }
            var removed = new HashSet<int>();
            foreach (IArgumentOperation argument in operation.Arguments)
            {
                if (argument.Parameter?.Name is "hiddenSize" or "epsilon"
                    && argument.ArgumentKind == ArgumentKind.Explicit
                    && argument.Syntax is ArgumentSyntax syntax)
                {
                    removed.Add(invocation.ArgumentList.Arguments.IndexOf(syntax));
                }
            }
            return new Call(document, model, invocation, request, removed);
        }
    }

    /// <summary>A class the fix declares.</summary>
    private sealed class NewKernel
    {
        private NewKernel(KernelRequest request, DocumentId document, SyntaxNode container, string? ns, string name)
        {
            Variant = request.Variant;
            HiddenSize = request.HiddenSize;
            Epsilon = request.KernelEpsilon;
            Document = document;
            Container = container;
            Namespace = ns;
            Name = name;
        }

        public KernelVariant Variant { get; }
        public int HiddenSize { get; }
        public float Epsilon { get; }
        public DocumentId Document { get; }

        /// <summary>The namespace declaration (or compilation unit) of the original tree that receives the class.</summary>
        public SyntaxNode Container { get; }

        public string? Namespace { get; }
        public string Name { get; }

        public string QualifiedName => "global::" + (Namespace is null ? "" : Namespace + ".") + Name;

        /// <summary>In the call's namespace, named as <see cref="KernelNaming.ClassName"/> says, with a number
        /// appended if the namespace already has a type of that name.</summary>
        public static NewKernel For(Call call, Compilation compilation, IReadOnlyList<NewKernel> declared)
        {
            SyntaxNode container = (SyntaxNode?)call.Invocation.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()
                ?? call.Invocation.SyntaxTree.GetRoot();
            string? ns = container is BaseNamespaceDeclarationSyntax declaration
                ? call.Model.GetDeclaredSymbol(declaration)?.ToDisplayString()
                : null;
            KernelRequest request = call.Request;
            string baseName = KernelNaming.ClassName(request.Variant, request.HiddenSize, request.KernelEpsilon);
            string name = baseName;
            for (int suffix = 2; IsTaken(name); suffix++)
                name = baseName + "_" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new NewKernel(request, call.Document.Id, container, ns, name);

            bool IsTaken(string candidate) =>
                compilation.GetTypeByMetadataName((ns is null ? "" : ns + ".") + candidate) is not null
                || declared.Any(k => k.Namespace == ns && k.Name == candidate);
        }

        /// <summary><c>[LayerNorm(768)] internal static partial class LayerNorm768;</c> (with braces before C# 12).</summary>
        public MemberDeclarationSyntax Declaration(LanguageVersion languageVersion, string newLine, int blankLines, bool endLine)
        {
            string attribute = $"global::NormGen.{KernelNaming.AttributeName(Variant)}({KernelNaming.AttributeArguments(Variant, HiddenSize, Epsilon)})";
            string body = languageVersion >= LanguageVersion.CSharp12 ? ";" : " { }";
            var member = (MemberDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                $"[{attribute}]{newLine}internal static partial class {Name}{body}")!;
            AttributeSyntax attributeSyntax = member.AttributeLists[0].Attributes[0];
            member = member.ReplaceNode(attributeSyntax, attributeSyntax.WithAdditionalAnnotations(Simplifier.Annotation));
            return member
                .WithLeadingTrivia(Enumerable.Repeat(SyntaxFactory.EndOfLine(newLine), blankLines))
                .WithTrailingTrivia(endLine ? new[] { SyntaxFactory.EndOfLine(newLine) } : System.Array.Empty<SyntaxTrivia>())
                .WithAdditionalAnnotations(Formatter.Annotation);
        }
    }
}
