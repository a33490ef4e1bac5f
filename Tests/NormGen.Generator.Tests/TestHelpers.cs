using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>Compilations and driver runs for the generator tests.</summary>
internal static class TestHelpers
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The running runtime's framework assemblies plus NormGen.Runtime.dll.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is string name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(LayerNormAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }

    /// <summary>A library compilation with warnings as errors, nullable on and unsafe code off.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "NormGen.Generated.Tests." + Guid.NewGuid().ToString("N"),
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: false,
                generalDiagnosticOption: ReportDiagnostic.Error,
                optimizationLevel: OptimizationLevel.Release));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new LayerNormGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once; asserts that it did not throw.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        AssertNoGeneratorException(result);
        return (result, output);
    }

    public static void AssertNoGeneratorException(GeneratorDriverRunResult result)
    {
        foreach (GeneratorRunResult run in result.Results)
            Assert.True(run.Exception is null, $"The generator threw: {run.Exception}");
    }

    /// <summary>The single generated file's text.</summary>
    public static string GeneratedText(GeneratorDriverRunResult result) =>
        Assert.Single(Assert.Single(result.Results).GeneratedSources).SourceText.ToString();

    /// <summary>Errors and warnings of a compilation (all warnings are errors here), formatted for assertion messages.</summary>
    public static string[] Problems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToArray();

    /// <summary>Emits the compilation into an in-memory assembly and loads it.</summary>
    public static Assembly EmitAndLoad(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>The folder of this source file, where the Baselines folder lives.</summary>
    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>The Baselines folder of this project, whichever folder the asking test lives in.</summary>
    public static string BaselinesDirectory => Path.Combine(SourceDirectory(), "Baselines");
}
