// Every ```csharp block of README.md and docs/*.md is compiled here, with NormGen's generator running, against the
// running .NET runtime's assemblies and NormGen.Runtime.dll. A snippet that stops compiling fails this test, and so CI.
//
// How a block is compiled:
// - One compilation per block. A block with statements is a program of top-level statements
//   (OutputKind.ConsoleApplication); a block of declarations only is a library.
// - C# wants top-level statements before type and namespace declarations; a snippet often shows the attribute
//   first (`[LayerNorm(64)] public static partial class TrainingNorm;`) and then uses it. The test moves every type
//   and namespace declaration after the statements (the order of each group kept), then compiles that text.
// - The global usings are those a new `dotnet new console` project has (ImplicitUsings: System, System.IO,
//   System.Linq, System.Threading.Tasks, ...); `using NormGen;` is not among them, so a snippet writes it.
// - Each block stands alone: it declares the variables it uses. Nothing carries over from an earlier block.
// - Errors fail the test; warnings do not (a snippet may leave an array unread). The errors looked at are the
//   generator's diagnostics, every diagnostic of the snippet's own file, and the declaration diagnostics of every file;
//   the bodies of the generated kernels are compiled by NormGen.Generator.Tests, not again here.
//
// An excerpt, a block that is not a program (a member list, a loop from generated code), is marked with this HTML
// comment on the line before its fence; it is invisible on GitHub and skipped here:
//
//     <!-- snippet: excerpt -->
//     ```csharp
//
// Only ```csharp (and ```cs, ```c#) blocks are compiled; ```bash, ```xml and plain ``` blocks are not.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NormGen.Generator;
using Xunit;

namespace NormGen.Docs.Tests;

public sealed class SnippetTests
{
    /// <summary>The marker, on the line before a fence, of a block that is an excerpt and is not compiled.</summary>
    public const string ExcerptMarker = "<!-- snippet: excerpt -->";

    private static readonly string[] CSharpInfo = ["csharp", "cs", "c#"];

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is string name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
                    || name is "netstandard.dll" or "mscorlib.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(LayerNormAttribute).Assembly.Location));
        return references.ToArray();
    });

    /// <summary>A ```csharp block: its file, the line of its opening fence (1-based), its code.</summary>
    public sealed record Snippet(string File, int Line, string Code, bool Excerpt)
    {
        public override string ToString() => $"{File}:{Line}{(Excerpt ? " (excerpt)" : "")}";
    }

    public static IEnumerable<Snippet> AllSnippets()
    {
        foreach (string file in Markdown.Files())
        {
            string[] lines = Markdown.Lines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!Markdown.IsFence(lines[i], out string info))
                    continue;
                int open = i;
                string fence = lines[i].TrimStart()[..3];
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(fence, StringComparison.Ordinal); i++)
                    code.AppendLine(lines[i]);
                string language = info.Split(' ', 2)[0].ToLowerInvariant();
                if (!CSharpInfo.Contains(language))
                    continue;
                int before = open - 1;
                while (before >= 0 && lines[before].Trim().Length == 0)
                    before--;
                bool excerpt = before >= 0 && lines[before].Trim() == ExcerptMarker;
                yield return new Snippet(file, open + 1, code.ToString(), excerpt);
            }
        }
    }

    public static TheoryData<string> SnippetIds()
    {
        var data = new TheoryData<string>();
        foreach (Snippet snippet in AllSnippets())
            data.Add(snippet.ToString());
        return data;
    }

    [Fact]
    public void The_docs_have_snippets_to_compile()
    {
        Assert.Contains(AllSnippets(), s => s.File == "README.md" && !s.Excerpt);
    }

    [Theory]
    [MemberData(nameof(SnippetIds))]
    public void Snippet_compiles(string id)
    {
        Snippet snippet = Assert.Single(AllSnippets(), s => s.ToString() == id);
        if (snippet.Excerpt)
            return;  // marked <!-- snippet: excerpt -->: shown, not compiled

        string program = Reorder(snippet.Code);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [
                CSharpSyntaxTree.ParseText(program, ParseOptions, path: snippet.File),
                CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "ImplicitUsings.cs"),
            ],
            References.Value,
            new CSharpCompilationOptions(
                HasStatements(program) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new LayerNormGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);
        foreach (GeneratorRunResult run in driver.GetRunResult().Results)
            Assert.True(run.Exception is null, $"{snippet}: the generator threw: {run.Exception}");

        // The snippet's own diagnostics (parse, declarations, bodies) and the declarations of every file, the generated
        // ones included; not the bodies of the generated kernels, which NormGen.Generator.Tests compiles, and which would
        // take most of this test's time to bind again here.
        SyntaxTree snippetTree = output.SyntaxTrees.First(tree => tree.FilePath == snippet.File);
        string[] programLines = program.Split('\n');
        var errors = generatorDiagnostics
            .Concat(output.GetSemanticModel(snippetTree).GetDiagnostics())
            .Concat(output.GetDeclarationDiagnostics())
            .Distinct()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d =>
            {
                FileLinePositionSpan span = d.Location.GetLineSpan();
                string source = d.Location.IsInSource && d.Location.SourceTree?.FilePath == snippet.File
                    ? $"\n      | {programLines[span.StartLinePosition.Line].TrimEnd()}"
                    : "";
                return $"  {d.Id} at line {span.StartLinePosition.Line + 1} of the compiled text: {d.GetMessage()}{source}";
            })
            .ToList();
        Assert.True(errors.Count == 0,
            $"The ```csharp block at {snippet.File}:{snippet.Line} does not compile ({errors.Count} errors). Make it compile, "
            + $"or, if it is an excerpt rather than a program, put {ExcerptMarker} on the line before its fence.\n"
            + string.Join("\n", errors) + "\n  The compiled text (type declarations moved after the statements):\n"
            + string.Join("\n", programLines.Select((line, n) => $"  {n + 1,3} | {line.TrimEnd()}")));
    }

    private static bool HasStatements(string program) =>
        CSharpSyntaxTree.ParseText(program, ParseOptions).GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    /// <summary>
    /// The snippet with its usings first, then its top-level statements, then its type and namespace declarations,
    /// each group in the snippet's order, as C# requires.
    /// </summary>
    internal static string Reorder(string code)
    {
        CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(code, ParseOptions).GetCompilationUnitRoot();
        if (root.Members.OfType<FileScopedNamespaceDeclarationSyntax>().Any())
            return code;  // a file-scoped namespace holds the rest of the file; nothing to move
        var statements = root.Members.OfType<GlobalStatementSyntax>().ToList();
        var declarations = root.Members.Where(m => m is not GlobalStatementSyntax).ToList();
        if (statements.Count == 0 || declarations.Count == 0)
            return code;
        var text = new StringBuilder();
        text.Append(root.Externs.ToFullString()).Append(root.Usings.ToFullString()).Append(root.AttributeLists.ToFullString());
        foreach (MemberDeclarationSyntax member in statements.Concat(declarations))
        {
            string memberText = member.ToFullString();
            text.Append(memberText);
            if (!memberText.EndsWith('\n'))
                text.Append('\n');
        }

        return text.ToString();
    }
}
