using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace NormGen.Generator.Tests.Upgrade;

/// <summary>NG1001: where it is reported, with which message, and where it is not.</summary>
public class UpgradeAnalyzerTests
{
    private static string Source(string body) => $$"""
        using System;
        using NormGen;

        namespace App;

        public static class Model
        {
            private const int Hidden = 4096;

            public static void Run(float[] x, float[] residual, float[] gamma, float[] beta, float[] y, float[] sum,
                float[] mean, float[] rstd, float[] dy, float[] dx, float[] dgamma, float[] dbeta, int n, float eps)
            {
        {{body}}
            }
        }
        """;

    private static Task Verify(string body, params DiagnosticResult[] expected)
    {
        var test = new UpgradeTest { TestCode = Source(body) };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task ConstantSizeForwardIsReported() => Verify(
        "        {|#0:LayerNorm.Forward(x, gamma, beta, y, 768)|};",
        UpgradeTest.Diagnostic(0, "LayerNorm", "Forward", 768, "[LayerNorm(768)]"));

    [Fact]
    public async Task MessageNamesTheSizeAndTheAttribute()
    {
        // The exact text the issue asks for.
        var diagnostic = Microsoft.CodeAnalysis.Diagnostic.Create(
            DiagnosticDescriptors.UpgradeToGeneratedKernel, null, "LayerNorm", "Forward", "768", "[LayerNorm(768)]");
        Assert.Equal(
            "LayerNorm.Forward with the constant hidden size 768 can use a kernel generated for that size: [LayerNorm(768)]",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, DiagnosticDescriptors.UpgradeToGeneratedKernel.DefaultSeverity);
        Assert.Equal("Performance", DiagnosticDescriptors.UpgradeToGeneratedKernel.Category);
        await Task.CompletedTask;
    }

    [Fact]
    public Task EveryVariantAndEpsilonIsNamed() => Verify("""
                {|#0:LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, 768, 1e-6f)|};
                {|#1:LayerNorm.ForwardNoAffine(x, y, hiddenSize: 64)|};
                {|#2:LayerNorm.BackwardNoAffine(dy, x, mean, rstd, dx, 64)|};
                {|#3:RmsNorm.Forward(x, gamma, y, rstd, Hidden, epsilon: 1e-6f)|};
                {|#4:RmsNorm.ForwardResidual(x, residual, gamma, sum, y, Hidden + 0)|};
                {|#5:LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, 17, 0.001f)|};
                {|#6:LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, 768)|};
        """,
        UpgradeTest.Diagnostic(0, "LayerNorm", "ForwardNoBias", 768, "[LayerNorm(768, Bias = false, Epsilon = 1e-6f)]"),
        UpgradeTest.Diagnostic(1, "LayerNorm", "ForwardNoAffine", 64, "[LayerNorm(64, ElementwiseAffine = false)]"),
        UpgradeTest.Diagnostic(2, "LayerNorm", "BackwardNoAffine", 64, "[LayerNorm(64, ElementwiseAffine = false)]"),
        UpgradeTest.Diagnostic(3, "RmsNorm", "Forward", 4096, "[RmsNorm(4096, Epsilon = 1e-6f)]"),
        UpgradeTest.Diagnostic(4, "RmsNorm", "ForwardResidual", 4096, "[RmsNorm(4096)]"),
        UpgradeTest.Diagnostic(5, "LayerNorm", "ForwardResidualNoBias", 17, "[LayerNorm(17, Bias = false, Epsilon = 0.001f)]"),
        UpgradeTest.Diagnostic(6, "LayerNorm", "Backward", 768, "[LayerNorm(768)]"));

    [Fact]
    public Task ParallelMembersAreReported() => Verify("""
                {|#0:LayerNorm.ForwardParallel(x, gamma, beta, y, hiddenSize: 768, epsilon: 1e-5f, degreeOfParallelism: 2)|};
                {|#1:LayerNorm.BackwardParallel(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, 768, 2)|};
        """,
        UpgradeTest.Diagnostic(0, "LayerNorm", "ForwardParallel", 768, "[LayerNorm(768)]"),
        UpgradeTest.Diagnostic(1, "LayerNorm", "BackwardParallel", 768, "[LayerNorm(768)]"));

    [Fact]
    public Task NonConstantSizeOrEpsilonIsNotReported() => Verify("""
                LayerNorm.Forward(x, gamma, beta, y, n);
                LayerNorm.Forward(x, gamma, beta, y, 768, eps);
                RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, n);
                LayerNorm.ForwardParallel(x, gamma, beta, y, 768, eps, 2);
        """);

    [Fact]
    public Task SizesAndEpsilonsTheGeneratorRefusesAreNotReported() => Verify("""
                LayerNorm.Forward(x, gamma, beta, y, 0);
                LayerNorm.Forward(x, gamma, beta, y, 65537);
                LayerNorm.Forward(x, gamma, beta, y, 768, 0f);
                RmsNorm.Forward(x, gamma, y, 768, float.PositiveInfinity);
        """);

    [Fact]
    public Task ReferenceAndOtherCallsAreNotReported() => Verify("""
                LayerNormReference.Forward(x, gamma, beta, y, 768);
                RmsNormReference.Forward(x, gamma, y, 768);
                Action<float[]> forward = v => Array.Fill(v, 0f);
                forward(y);
        """);

    [Fact]
    public async Task GeneratedCodeIsNotAnalyzed()
    {
        // Generated code (NormGen's own included: the test runs the generator over an attributed class) is skipped.
        var test = new UpgradeTest
        {
            TestState =
            {
                Sources =
                {
                    "using NormGen; namespace App; [LayerNorm(768)] public static partial class BertNorm;",
                    ("Generated.g.cs", """
                        // <auto-generated/>
                        namespace App;
                        internal static class Generated
                        {
                            public static void Run(float[] x, float[] g, float[] b, float[] y) => NormGen.LayerNorm.Forward(x, g, b, y, 768);
                        }
                        """),
                },
            },
        };
        await test.RunAsync();
    }

    [Fact]
    public Task NotReportedWhenTheProjectInterceptsCalls()
    {
        // With NormGenInterceptCalls the generator already redirects the call; suggesting the attribute is noise.
        var test = new UpgradeTest { TestCode = Source("        LayerNorm.Forward(x, gamma, beta, y, 768);"), InterceptCalls = true };
        return test.RunAsync();
    }
}
