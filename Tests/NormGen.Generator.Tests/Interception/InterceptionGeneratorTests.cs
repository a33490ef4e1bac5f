using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NormGen.Generator.Tests.Interception;

/// <summary>
/// What the generator writes for intercepted calls: baselines under Baselines/Interception (NORMGEN_UPDATE_BASELINES=1
/// rewrites them), nothing without the property, which kernels the calls share, and long file names.
/// </summary>
public class InterceptionGeneratorTests
{
    private const string Calls = """
        using NormGen;

        namespace Samples;

        public static class Model
        {
            public static void Train(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                float[] dy, float[] dx, float[] dgamma, float[] dbeta)
            {
                LayerNorm.Forward(x, gamma, beta, y, 8);
                LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize: 8);
                LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, 8);
                LayerNorm.ForwardParallel(x, gamma, beta, y, 8, 1e-5f, degreeOfParallelism: 2);
                LayerNorm.Forward(x, gamma, beta, y, 8);
            }

            public static void Rms(float[] x, float[] gamma, float[] y, float[] rstd, float[] dy, float[] dx, float[] dgamma)
            {
                RmsNorm.Forward(x, gamma, y, rstd, 17, 1e-6f);
                RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, 17);
            }
        }
        """;

    [Theory]
    [InlineData("Interception.LayerNorm8.g.cs")]
    [InlineData("Interception.RmsNorm17Eps1em6.g.cs")]
    public void InterceptedCallsMatchBaseline(string hintName)
    {
        var (result, output) = InterceptionHelpers.Run(intercept: true, Calls);
        Assert.Empty(TestHelpers.Problems(output));
        var files = InterceptionHelpers.InterceptionFiles(result);
        Assert.Equal(new[] { "Interception.LayerNorm8.g.cs", "Interception.RmsNorm17Eps1em6.g.cs" }, files.Keys.OrderBy(k => k, StringComparer.Ordinal));
        string actual = files[hintName];

        string path = Path.Combine(TestHelpers.BaselinesDirectory, "Interception", hintName);
        if (Environment.GetEnvironmentVariable("NORMGEN_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"Missing baseline {path}; run the tests with NORMGEN_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), actual);
    }

    [Theory]
    [InlineData("LayerNorm(8)", "LayerNorm8")]
    [InlineData("RmsNorm(17, Epsilon = 1e-6f)", "RmsNorm17Eps1em6")]
    public void TheHiddenKernelIsWhatTheAttributeGenerates(string attribute, string className)
    {
        // Same Planner, same Emitter: the hidden class's file starts with exactly the text an attributed class of
        // that name gets, but for the file modifier. So it has the same checks, exceptions and bits.
        var (attributed, _) = TestHelpers.Run($"namespace NormGen.Generated.Interception; [NormGen.{attribute}] public static partial class {className};");
        string expected = TestHelpers.GeneratedText(attributed).Replace(
            $"public static partial class {className}", $"file static partial class {className}", StringComparison.Ordinal);
        var (intercepted, _) = InterceptionHelpers.Run(intercept: true, Calls);
        string actual = InterceptionHelpers.InterceptionFiles(intercepted)[$"Interception.{className}.g.cs"];
        Assert.StartsWith(expected, actual, StringComparison.Ordinal);
    }

    [Fact]
    public void InterceptorLinesFitIn120Characters()
    {
        var (result, _) = InterceptionHelpers.Run(intercept: true, Calls);
        foreach (string text in InterceptionHelpers.InterceptionFiles(result).Values)
        {
            // The interceptors follow the kernel, whose lines are the Emitter's (checked with its own baselines).
            string interceptors = text[text.IndexOf("namespace NormGen.Generated.Interception\n{\n    using", StringComparison.Ordinal)..];
            foreach (string line in interceptors.Split('\n'))
                Assert.True(line.Length <= 120, $"Line of {line.Length} characters: {line}");
        }
    }

    [Fact]
    public void NothingIsInterceptedWithoutTheProperty()
    {
        var (result, output) = InterceptionHelpers.Run(intercept: false, Calls);
        Assert.Empty(TestHelpers.Problems(output));
        Assert.Empty(InterceptionHelpers.InterceptionFiles(result));
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void NonConstantCallsAreNotIntercepted()
    {
        var (result, output) = InterceptionHelpers.Run(intercept: true, """
            using NormGen;
            public static class Model
            {
                public static void Run(float[] x, float[] g, float[] b, float[] y, int n, float eps)
                {
                    LayerNorm.Forward(x, g, b, y, n);
                    LayerNorm.Forward(x, g, b, y, 768, eps);
                    LayerNorm.Forward(x, g, b, y, 100000);
                    LayerNormReference.Forward(x, g, b, y, 768);
                }
            }
            """);
        Assert.Empty(TestHelpers.Problems(output));
        Assert.Empty(InterceptionHelpers.InterceptionFiles(result));
    }

    [Fact]
    public void BackwardCallsShareTheForwardCallsKernel()
    {
        // Backward has no epsilon: alone it gets the default-epsilon kernel; beside a forward call with another
        // epsilon it uses that kernel (same bits) instead of a second one.
        const string backwardOnly = """
            using NormGen;
            public static class M { public static void B(float[] dy, float[] x, float[] g, float[] r, float[] dx, float[] dg)
                => RmsNorm.Backward(dy, x, g, r, dx, dg, 64); }
            """;
        const string forward = """
            using NormGen;
            public static class F { public static void Run(float[] x, float[] g, float[] y) => RmsNorm.Forward(x, g, y, 64, 1e-6f); }
            """;
        var (alone, _) = InterceptionHelpers.Run(intercept: true, backwardOnly);
        Assert.Equal(new[] { "Interception.RmsNorm64.g.cs" }, InterceptionHelpers.InterceptionFiles(alone).Keys);
        var (shared, output) = InterceptionHelpers.Run(intercept: true, backwardOnly, forward);
        Assert.Empty(TestHelpers.Problems(output));
        Assert.Equal(new[] { "Interception.RmsNorm64Eps1em6.g.cs" }, InterceptionHelpers.InterceptionFiles(shared).Keys);
    }

    [Fact]
    public void ALongFileNameStillCompiles()
    {
        // The location data embeds the file name; past 120 characters it is written as concatenated pieces.
        string path = "/src/" + new string('a', 150) + ".cs";
        CSharpCompilation compilation = InterceptionHelpers.CreateCompilation("""
            using NormGen;
            public static class M { public static void Run(float[] x, float[] y) => LayerNorm.ForwardNoAffine(x, y, 16); }
            """);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        compilation = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(tree.GetText(), InterceptionHelpers.ParseOptions, path));
        InterceptionHelpers.CreateDriver(intercept: true).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        Assert.Empty(TestHelpers.Problems(output));
        SyntaxTree user = output.SyntaxTrees.First();
        InvocationExpressionSyntax call = user.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Single();
        Assert.NotNull(output.GetSemanticModel(user).GetInterceptorMethod(call));
        string generated = output.SyntaxTrees.Last().ToString();
        Assert.Contains("\" +\n", generated, StringComparison.Ordinal);
    }
}
