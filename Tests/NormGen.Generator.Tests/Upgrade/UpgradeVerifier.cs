using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using NormGen.CodeFixes;
using NormGen.Generator.Upgrade;

namespace NormGen.Generator.Tests.Upgrade;

/// <summary>
/// The analyzer + code fix test of Microsoft.CodeAnalysis.Testing, set up for NormGen: the running runtime's
/// assemblies and NormGen.Runtime as references (no reference-assembly download), and the generator running, so
/// the fixed code must compile with the members the generator adds.
/// </summary>
internal sealed class UpgradeTest : CSharpCodeFixTest<UpgradeToGeneratedKernelAnalyzer, UpgradeToGeneratedKernelCodeFixer, DefaultVerifier>
{
    public UpgradeTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(TestHelpers.References);
        // The generator's output is checked by the baseline tests; here it only has to make the fixed code compile.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>Runs the code as in a project with NormGenInterceptCalls=true: what the package's build files do,
    /// the property reaches the analyzer and the generator, and the interceptors' namespace is allowed.</summary>
    public bool InterceptCalls
    {
        get => _interceptCalls;
        init
        {
            _interceptCalls = value;
            if (value)
                TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.NormGenInterceptCalls = true\n"));
        }
    }

    private readonly bool _interceptCalls;

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(LayerNormGenerator) };

    protected override ParseOptions CreateParseOptions()
    {
        var options = ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
        return InterceptCalls
            ? options.WithFeatures(new[] { new KeyValuePair<string, string>("InterceptorsNamespaces", "NormGen.Generated.Interception") })
            : options;
    }

    /// <summary>NG1001 at the markup location, with these message arguments.</summary>
    public static DiagnosticResult Diagnostic(int markup, string type, string member, int hiddenSize, string attribute) =>
        new DiagnosticResult(DiagnosticDescriptors.UpgradeToGeneratedKernel)
            .WithLocation(markup)
            .WithArguments(type, member, hiddenSize.ToString(System.Globalization.CultureInfo.InvariantCulture), attribute);
}
