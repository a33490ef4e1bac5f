using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// Seeded random attribute arguments and malformed declarations: the generator never throws, reports only NormGen
/// diagnostics that match the input, and whatever it generates for valid input compiles.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Sizes =
    {
        "768", "1", "0", "-1", "65536", "65537", "int.MaxValue", "int.MinValue", "\"768\"", "768L", "7.5", "null",
        "", "768, 1", "HiddenSize = 8", "1 << 20", "(int)3.9", "default", "unchecked((int)0xFFFFFFFF)", "Missing.Constant",
    };

    private static readonly string[] Epsilons =
    {
        "", ", Epsilon = 1e-5f", ", Epsilon = 0f", ", Epsilon = -1f", ", Epsilon = float.NaN", ", Epsilon = float.PositiveInfinity",
        ", Epsilon = float.Epsilon", ", Epsilon = float.MaxValue", ", Epsilon = 1e-3", ", Epsilon = \"x\"", ", Epsilon =",
        ", Epsilon = 1e-6f, Epsilon = 1e-5f", ", Other = 1", ", Epsilon = 1f / 3f",
    };

    private static readonly string[] Declarations =
    {
        "public static partial class {0};",
        "internal partial class {0} {{ }}",
        "public class {0} {{ }}",
        "partial class {0}<T> {{ }}",
        "partial struct {0} {{ }}",
        "partial interface I{0} {{ }}",
        "public partial record {0}(int A);",
        "partial record struct {0};",
        "file partial class {0};",
        "static partial class {0} {{ public static void Forward() {{ }} }}",
        "partial class {0} : {0} {{ }}",
        "partial class {0} {{ partial class {0} {{ }} }}",
        "public static partial class Outer {{ public partial class {0} {{ }} }}",
        "class Outer<T> {{ partial class {0} {{ }} }}",
        "partial class {0}",
        "partial class {0} {{",
        "partial class {{ }}",
        "partial class @{0};",
        "enum {0} {{ A }}",
        "delegate void {0}();",
    };

    private static readonly string[] ValidSizes = { "1", "2", "5", "8", "17", "40", "100", "768", "(int)3.9", "1 << 10", "65536" };

    private static readonly string[] ValidEpsilons = { "", ", Epsilon = 1e-5f", ", Epsilon = float.Epsilon", ", Epsilon = float.MaxValue", ", Epsilon = 1f / 3f" };

    private static readonly string[] ValidDeclarations =
    {
        "public static partial class {0};",
        "internal partial class {0} {{ }}",
        "public partial record {0}(int A);",
        "public static partial class Outer {{ public partial class {0} {{ }} }}",
        "partial class @{0};",
    };

    private static readonly string[] Namespaces = { "", "namespace A;\n", "namespace A.B {{\n", "namespace global::X;\n", "namespace;\n" };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomAttributeArgumentsAndDeclarationsNeverBreakTheGenerator(int seed)
    {
        var random = new Random(seed);
        int compiled = 0, diagnosed = 0;
        for (int round = 0; round < 60; round++)
        {
            string ns = Namespaces[random.Next(Namespaces.Length)];
            string name = "Norm" + round;
            // Half the rounds draw from valid choices only, so the "generated code compiles" check runs too.
            bool valid = random.Next(2) == 0;
            string size = valid ? ValidSizes[random.Next(ValidSizes.Length)] : Sizes[random.Next(Sizes.Length)];
            string epsilon = valid ? ValidEpsilons[random.Next(ValidEpsilons.Length)] : Epsilons[random.Next(Epsilons.Length)];
            string attribute = !valid && random.Next(8) == 0 ? "[LayerNorm]" : $"[LayerNorm({size}{epsilon})]";
            string declaration = string.Format(valid ? ValidDeclarations[random.Next(ValidDeclarations.Length)] : Declarations[random.Next(Declarations.Length)], name);
            string source = "using NormGen;\n" + string.Format(ns, "") + attribute + "\n" + declaration + (ns.Contains('{') ? "\n}" : "");

            var (result, output) = TestHelpers.Run(source);   // asserts that no generator threw

            diagnosed += result.Diagnostics.Length;
            foreach (Diagnostic diagnostic in result.Diagnostics)
            {
                Assert.StartsWith("NG000", diagnostic.Id);
                Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
                // Cached pipelines carry locations as values, so the diagnostic's location is a file location.
                Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
                Assert.InRange(diagnostic.Location.SourceSpan.End, 1, source.Length);
                Assert.DoesNotContain("{", diagnostic.GetMessage());
            }

            // Valid input with no compiler errors before generation must give code that compiles cleanly.
            bool inputClean = !TestHelpers.CreateCompilation(source).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            if (inputClean && result.Diagnostics.IsEmpty && result.GeneratedTrees.Length == 1)
            {
                Assert.True(TestHelpers.Problems(output).Length == 0, source + "\n" + string.Join("\n", TestHelpers.Problems(output)));
                compiled++;
            }
        }

        // The seeds reach both outcomes, so the checks above ran.
        Assert.True(compiled > 0, "no round produced compilable output");
        Assert.True(diagnosed > 0, "no round produced a diagnostic");
    }

    [Fact]
    public void TwoAttributedDeclarationsOfOneClassDoNotThrow()
    {
        // AllowMultiple = false makes this CS0579, but the generator sees two attributed nodes with the same hint name.
        var (result, _) = TestHelpers.Run(
            "using NormGen; [LayerNorm(8)] static partial class Norm;",
            "using NormGen; [LayerNorm(8)] static partial class Norm;");
        Assert.Single(result.GeneratedTrees);
    }

    [Fact]
    public void NamespaceAndNestedTypeWithTheSameQualifiedNameDoNotThrow()
    {
        var (result, _) = TestHelpers.Run(
            "using NormGen; namespace A { public static partial class B { [LayerNorm(8)] public static partial class C; } }",
            "using NormGen; namespace A.B { [LayerNorm(8)] public static partial class C; }");
        Assert.NotEmpty(result.GeneratedTrees);
    }
}
