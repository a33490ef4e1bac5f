using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>One test per diagnostic: the id, that it is an error, where it points, what the message says, and that nothing is generated.</summary>
public class DiagnosticTests
{
    private static Diagnostic SingleDiagnostic(string source, string id)
    {
        var (result, _) = TestHelpers.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(result.GeneratedTrees);
        return diagnostic;
    }

    private static string At(Diagnostic diagnostic, string source) =>
        source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);

    [Fact]
    public void NG0001_ClassNotPartial()
    {
        const string source = "using NormGen; namespace N; [LayerNorm(8)] public static class Plain { }";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0001");
        Assert.Equal("Plain", At(diagnostic, source));
        Assert.Contains("add the 'partial' modifier to 'Plain'", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0001_ContainingTypeNotPartial()
    {
        const string source = "using NormGen; public class Outer { [LayerNorm(8)] public static partial class Inner; }";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0001");
        Assert.Contains("'Outer' must be declared partial", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-768")]
    [InlineData("int.MinValue")]
    public void NG0002_HiddenSizeNotPositive(string size)
    {
        string source = $"using NormGen; [LayerNorm({size})] partial class Norm;";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0002");
        Assert.Contains("pass a positive number of features per row", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(65537)]
    [InlineData(int.MaxValue)]
    public void NG0003_HiddenSizeAboveMaximum(int size)
    {
        string source = $"using NormGen; [LayerNorm({size})] partial class Norm;";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0003");
        Assert.Contains("above the maximum of 65536", diagnostic.GetMessage());
        Assert.Contains("NormGen.LayerNorm", diagnostic.GetMessage());
    }

    [Fact]
    public void MaximumHiddenSizeIsAccepted()
    {
        var (result, output) = TestHelpers.Run($"using NormGen; [LayerNorm({Parser.MaxHiddenSize})] partial class Norm;");
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedTrees);
        Assert.Empty(TestHelpers.Problems(output));
    }

    [Theory]
    [InlineData("0f")]
    [InlineData("-1e-5f")]
    [InlineData("float.NaN")]
    [InlineData("float.PositiveInfinity")]
    [InlineData("float.NegativeInfinity")]
    [InlineData("-0f")]
    public void NG0004_EpsilonNotPositiveAndFinite(string epsilon)
    {
        string source = $"using NormGen; [LayerNorm(768, Epsilon = {epsilon})] partial class Norm;";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0004");
        Assert.Contains("set Epsilon to a positive, finite value", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("using NormGen; [LayerNorm(8)] partial class Norm<T>;")]
    [InlineData("using NormGen; partial class Outer<T> { [LayerNorm(8)] public static partial class Norm; }")]
    public void NG0005_GenericOrNestedInGeneric(string source)
    {
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0005");
        Assert.Contains("non-generic class outside any generic type", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("public const int HiddenSize = 8;", "HiddenSize")]
    [InlineData("public static float Epsilon => 1f;", "Epsilon")]
    [InlineData("public static void Forward() { }", "Forward")]
    [InlineData("private int Backward;", "Backward")]
    [InlineData("public class Forward { }", "Forward")]
    [InlineData("public struct Kernel { }", "Kernel")]
    [InlineData("public static void BackwardParallel() { }", "BackwardParallel")]
    public void NG0006_MemberAlreadyDeclared(string member, string name)
    {
        string source = $"using NormGen; [LayerNorm(8)] partial class Norm {{ {member} }}";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0006");
        Assert.Contains($"already declares '{name}'", diagnostic.GetMessage());
        Assert.Contains($"rename or remove the member '{name}'", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0006_MemberInAnotherPartialDeclaration()
    {
        var (result, _) = TestHelpers.Run(
            "using NormGen; [LayerNorm(8)] partial class Norm;",
            "partial class Norm { public static void Backward(int unrelated) { } }");
        Assert.Equal("NG0006", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void NG0007_FileLocalClass()
    {
        Diagnostic diagnostic = SingleDiagnostic("using NormGen; [LayerNorm(8)] file static partial class Norm;", "NG0007");
        Assert.Contains("remove the 'file' modifier", diagnostic.GetMessage());
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var (result, _) = TestHelpers.Run("using NormGen; [LayerNorm(0, Epsilon = float.NaN)] class Norm<T> { void Forward() { } }");
        Assert.Equal(new[] { "NG0001", "NG0002", "NG0004", "NG0005", "NG0006" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void EveryDescriptorIsAnErrorTrackedInUnshippedReleases()
    {
        string unshipped = System.IO.File.ReadAllText(System.IO.Path.Combine(
            TestHelpers.SourceDirectory(), "..", "..", "Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.Contains($"{descriptor.Id} | NormGen | Error |", unshipped);
        }
    }

    [Fact]
    public void NG0008_BothAttributesOnOneClass()
    {
        const string source = "using NormGen; namespace N; [LayerNorm(8)] [RmsNorm(8)] public static partial class Both;";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0008");
        Assert.Equal("Both", At(diagnostic, source));
        Assert.Contains("carries both [LayerNorm] and [RmsNorm]", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("RmsNorm(0)", "NG0002")]
    [InlineData("RmsNorm(65537)", "NG0003")]
    [InlineData("RmsNorm(8, Epsilon = 0f)", "NG0004")]
    [InlineData("LayerNorm(8, Bias = false, Epsilon = -1f)", "NG0004")]
    public void TheFamilySharesTheDiagnostics(string attribute, string id)
    {
        SingleDiagnostic($"using NormGen; [{attribute}] partial class Norm;", id);
    }

    [Fact]
    public void RmsNormClassMustBePartial()
    {
        const string source = "using NormGen; [RmsNorm(8)] public static class Plain { }";
        Diagnostic diagnostic = SingleDiagnostic(source, "NG0001");
        Assert.Equal("Plain", At(diagnostic, source));
    }
}
