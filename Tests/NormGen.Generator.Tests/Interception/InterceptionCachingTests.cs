using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator.Model;
using Xunit;

namespace NormGen.Generator.Tests.Interception;

/// <summary>
/// Incremental caching of the interceptors: an edit that changes no call leaves every interception step cached
/// and the output as it was; an edit in the calling file (which changes the file's checksum in every
/// location) rewrites the interceptors but not the kernel; no step output holds a compiler object.
/// </summary>
public class InterceptionCachingTests
{
    private const string Calls = """
        using NormGen;
        namespace A;
        public static class Model
        {
            public static void Run(float[] x, float[] g, float[] b, float[] y) => LayerNorm.Forward(x, g, b, y, 768);
            public static void Rms(float[] x, float[] g, float[] y) => RmsNorm.Forward(x, g, y, 64, 1e-6f);
        }
        """;

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(
        CSharpCompilation compilation, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        GeneratorDriver driver = InterceptionHelpers.CreateDriver(intercept: true, trackSteps: true).RunGenerators(compilation);
        GeneratorDriverRunResult first = driver.GetRunResult();
        driver = driver.RunGenerators(edit(compilation));
        GeneratorDriverRunResult second = driver.GetRunResult();
        TestHelpers.AssertNoGeneratorException(first);
        TestHelpers.AssertNoGeneratorException(second);
        return (first, second);
    }

    private static Dictionary<string, IncrementalStepRunReason[]> Reasons(GeneratorDriverRunResult result) =>
        result.Results.Single().TrackedSteps
            .Where(step => TrackingNames.Interception.Contains(step.Key))
            .ToDictionary(step => step.Key, step => step.Value.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray());

    [Fact]
    public void AnEditThatChangesNoCallLeavesTheInterceptorsCached()
    {
        CSharpCompilation compilation = InterceptionHelpers.CreateCompilation(Calls);
        var (first, second) = RunTwice(compilation, c => c.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace A; public class Unrelated { public int Value => 42; }", InterceptionHelpers.ParseOptions)));

        Dictionary<string, IncrementalStepRunReason[]> after = Reasons(second);
        Assert.Equal(TrackingNames.Interception.OrderBy(n => n), after.Keys.OrderBy(n => n));
        foreach (var (name, reasons) in after)
        {
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step {name} re-ran: {reason}"));
        }
        Assert.Equal(
            InterceptionHelpers.InterceptionFiles(first).OrderBy(f => f.Key),
            InterceptionHelpers.InterceptionFiles(second).OrderBy(f => f.Key));

        foreach (GeneratorDriverRunResult result in new[] { first, second })
        {
            foreach (var step in result.Results.Single().TrackedSteps.Where(s => TrackingNames.Interception.Contains(s.Key)))
            {
                foreach (var output in step.Value.SelectMany(s => s.Outputs))
                    CachingTests.AssertHoldsNoCompilerObjects(output.Value, step.Key);
            }
        }
    }

    [Fact]
    public void AnEditInTheCallingFileRewritesTheInterceptorsButNotTheKernels()
    {
        CSharpCompilation compilation = InterceptionHelpers.CreateCompilation(Calls);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        var (first, second) = RunTwice(compilation, c => c.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            Calls + "\n// a comment at the end\n", InterceptionHelpers.ParseOptions, path: old.FilePath)));

        Dictionary<string, IncrementalStepRunReason[]> after = Reasons(second);
        Assert.Contains(IncrementalStepRunReason.Modified, after[TrackingNames.InterceptorSources]);
        foreach (string name in new[] { TrackingNames.InterceptedKernels, TrackingNames.InterceptedKernelPlans, TrackingNames.InterceptedKernelSources })
        {
            Assert.All(after[name], reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step {name} re-ran: {reason}"));
        }
        Assert.NotEqual(
            InterceptionHelpers.InterceptionFiles(first)["Interception.LayerNorm768.g.cs"],
            InterceptionHelpers.InterceptionFiles(second)["Interception.LayerNorm768.g.cs"]);
    }

    [Fact]
    public void TurningThePropertyOffRemovesTheInterceptors()
    {
        CSharpCompilation compilation = InterceptionHelpers.CreateCompilation(Calls);
        GeneratorDriver driver = InterceptionHelpers.CreateDriver(intercept: true).RunGenerators(compilation);
        Assert.Equal(2, InterceptionHelpers.InterceptionFiles(driver.GetRunResult()).Count);
        driver = InterceptionHelpers.CreateDriver(intercept: false).RunGenerators(compilation);
        Assert.Empty(InterceptionHelpers.InterceptionFiles(driver.GetRunResult()));
    }
}
