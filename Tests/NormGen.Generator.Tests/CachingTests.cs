using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NormGen.Generator.Model;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// Incremental caching: the driver runs twice with step tracking. An unrelated edit leaves every tracked step
/// Cached or Unchanged; a new N or Epsilon regenerates; no step output holds a symbol, syntax node,
/// compilation or location.
/// </summary>
public class CachingTests
{
    private const string Kernel = "using NormGen; namespace A; [LayerNorm(768)] public static partial class BertNorm;";
    private const string Broken = "using NormGen; namespace A; [LayerNorm(0)] public static partial class BadNorm;";

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(
        CSharpCompilation compilation, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        GeneratorDriver driver = TestHelpers.CreateDriver(trackSteps: true).RunGenerators(compilation);
        GeneratorDriverRunResult first = driver.GetRunResult();
        driver = driver.RunGenerators(edit(compilation));
        GeneratorDriverRunResult second = driver.GetRunResult();
        TestHelpers.AssertNoGeneratorException(first);
        TestHelpers.AssertNoGeneratorException(second);
        return (first, second);
    }

    private static Dictionary<string, IncrementalGeneratorRunStep[]> TrackedSteps(GeneratorDriverRunResult result) =>
        Assert.Single(result.Results).TrackedSteps
            .Where(step => TrackingNames.All.Contains(step.Key))
            .ToDictionary(step => step.Key, step => step.Value.ToArray());

    [Fact]
    public void UnrelatedEditLeavesEveryTrackedStepCachedOrUnchanged()
    {
        CSharpCompilation compilation = TestHelpers.CreateCompilation(Kernel, Broken);
        var (first, second) = RunTwice(compilation, c => c.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace A; public class Unrelated { public int Value => 42; }", TestHelpers.ParseOptions)));

        Dictionary<string, IncrementalGeneratorRunStep[]> before = TrackedSteps(first), after = TrackedSteps(second);
        Assert.Equal(TrackingNames.All.OrderBy(n => n), after.Keys.OrderBy(n => n));
        foreach (var (name, steps) in after)
        {
            foreach (var output in steps.SelectMany(step => step.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {name} re-ran: {output.Reason}");
        }
        foreach (var steps in before.Values.Concat(after.Values))
        {
            foreach (var output in steps.SelectMany(step => step.Outputs))
                AssertHoldsNoCompilerObjects(output.Value, path: "output");
        }
    }

    [Theory]
    [InlineData("[LayerNorm(769)]")]
    [InlineData("[LayerNorm(768, Epsilon = 1e-6f)]")]
    public void ChangingHiddenSizeOrEpsilonRegenerates(string attribute)
    {
        CSharpCompilation compilation = TestHelpers.CreateCompilation(Kernel);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        var (first, second) = RunTwice(compilation, c => c.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            Kernel.Replace("[LayerNorm(768)]", attribute), TestHelpers.ParseOptions, path: old.FilePath)));

        foreach (string name in new[] { TrackingNames.Parse, TrackingNames.Specs, TrackingNames.Plans, TrackingNames.Sources })
        {
            var reasons = TrackedSteps(second)[name].SelectMany(step => step.Outputs).Select(o => o.Reason);
            Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        }
        Assert.NotEqual(
            Assert.Single(first.GeneratedTrees).ToString(),
            Assert.Single(second.GeneratedTrees).ToString());
    }

    [Fact]
    public void TheWalkerFindsForbiddenObjects()
    {
        // The walker below must be able to fail: a symbol hidden in a record inside an array is found.
        CSharpCompilation compilation = TestHelpers.CreateCompilation(Kernel);
        var holder = new object[] { new Tuple<int, object>(1, compilation.GetTypeByMetadataName("A.BertNorm")!) };
        Assert.ThrowsAny<Exception>(() => AssertHoldsNoCompilerObjects(holder, "holder"));
    }

    /// <summary>Walks an object graph (fields, arrays, enumerables) and fails on any Roslyn symbol, node, compilation or location.</summary>
    internal static void AssertHoldsNoCompilerObjects(object? value, string path, HashSet<object>? seen = null)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
            return;
        seen ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (!value.GetType().IsValueType && !seen.Add(value))
            return;

        Assert.False(value is ISymbol, $"{path} holds a symbol");
        Assert.False(value is SyntaxNode, $"{path} holds a syntax node");
        Assert.False(value is Compilation, $"{path} holds a compilation");
        Assert.False(value is Location, $"{path} holds a location");
        Assert.False(value is SemanticModel, $"{path} holds a semantic model");

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
                AssertHoldsNoCompilerObjects(item, $"{path}[{i++}]", seen);
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                continue;
            AssertHoldsNoCompilerObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
