using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NormGen.Generator.Tests.Interception;

/// <summary>Driver runs as in a project with and without NormGenInterceptCalls: what the package's build files do
/// is to pass the property to the generator and to allow the interceptors' namespace.</summary>
internal static class InterceptionHelpers
{
    /// <summary>With XML documentation checked, as in a project with GenerateDocumentationFile (a bad cref is an error).</summary>
    public static readonly CSharpParseOptions ParseOptions = TestHelpers.ParseOptions
        .WithFeatures(new[] { new KeyValuePair<string, string>("InterceptorsNamespaces", "NormGen.Generated.Interception") })
        .WithDocumentationMode(DocumentationMode.Diagnose);

    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        CSharpCompilation compilation = TestHelpers.CreateCompilation(sources);
        SyntaxTree[] trees = compilation.SyntaxTrees.Select(t => t.WithRootAndOptions(t.GetRoot(), ParseOptions)).ToArray();
        // The test sources themselves have no XML docs; the generated code's docs are what is checked.
        return compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees).WithOptions(compilation.Options
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress }));
    }

    public static GeneratorDriver CreateDriver(bool intercept, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new LayerNormGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: new GlobalOptionsProvider(intercept
                ? new Dictionary<string, string> { ["build_property.NormGenInterceptCalls"] = "true" }
                : new Dictionary<string, string>()),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once; asserts that it did not throw.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(bool intercept, params string[] sources)
    {
        GeneratorDriver driver = CreateDriver(intercept).RunGeneratorsAndUpdateCompilation(CreateCompilation(sources), out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        TestHelpers.AssertNoGeneratorException(result);
        return (result, output);
    }

    /// <summary>The generated interception files (hint name -> text).</summary>
    public static Dictionary<string, string> InterceptionFiles(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources
            .Where(s => s.HintName.StartsWith("Interception.", System.StringComparison.Ordinal))
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private sealed class GlobalOptionsProvider(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
