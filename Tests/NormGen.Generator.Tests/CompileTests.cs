using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The emitted code compiles in a project without AllowUnsafeBlocks, with nullable on and every warning an error,
/// for every shape of declaration the generator supports.
/// </summary>
public class CompileTests
{
    public static TheoryData<string> Declarations => new()
    {
        "namespace A; [LayerNorm(768)] public static partial class BertNorm;",
        "namespace A { [LayerNorm(4096, Epsilon = 1e-6f)] internal partial class LlamaNorm { } }",
        "[LayerNorm(17)] partial class GlobalNorm;",
        "namespace A.B; public static partial class Outer { internal partial struct Middle { [LayerNorm(9)] private sealed partial class Inner { } } }",
        "namespace A; public partial record Container { [LayerNorm(3)] protected internal abstract partial class Norm { } }",
        "namespace A; [LayerNorm(1)] public partial record Norm(int Unused);",
        "namespace @class; [LayerNorm(33)] public static partial class @event;",
        "namespace A; [NormGen.LayerNorm(100, Epsilon = 0.001f)] public partial class Norm { public int Other; }",
        "namespace A; [LayerNormAttribute(65536)] public static partial class Huge;",
        "namespace A; public partial interface IHost { [LayerNorm(8)] public static partial class Norm; }",
        "namespace A; [RmsNorm(4096, Epsilon = 1e-6f)] public static partial class LlamaNorm;",
        "namespace A; [RmsNorm(1)] internal sealed partial class Tiny { }",
        "namespace A; [RmsNorm(65536)] public static partial class Huge;",
        "namespace A; [LayerNorm(768, Bias = false)] public static partial class NoBias;",
        "namespace A; [LayerNorm(5, ElementwiseAffine = false)] public static partial class NoAffine;",
        "namespace A; [LayerNorm(100, Bias = true, ElementwiseAffine = false, Epsilon = 1e-3f)] public static partial class NoAffineEither;",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void EmittedCodeCompilesWithoutUnsafeAndWithWarningsAsErrors(string declaration)
    {
        var (result, output) = TestHelpers.Run("using NormGen;\n" + declaration);
        Assert.Empty(result.Diagnostics);
        SyntaxTree generated = Assert.Single(result.GeneratedTrees);
        Assert.False(output.Options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions { AllowUnsafe: true });
        Assert.Equal(ReportDiagnostic.Error, output.Options.GeneralDiagnosticOption);
        Assert.Empty(TestHelpers.Problems(output));
        Assert.DoesNotContain("unsafe", generated.ToString());
    }

    [Fact]
    public void TwoKernelsInOneNamespaceDoNotCollide()
    {
        var (result, output) = TestHelpers.Run(
            "using NormGen; namespace A; [LayerNorm(8)] static partial class One; [LayerNorm(16)] static partial class Two;"
            + " [RmsNorm(8)] static partial class Three; [LayerNorm(8, Bias = false)] static partial class Four;");
        Assert.Equal(4, result.GeneratedTrees.Length);
        Assert.Empty(TestHelpers.Problems(output));
    }

    [Theory]
    [InlineData("RmsNorm(8)", "x, gamma, y|x, gamma, y, rstd", "dy, x, gamma, rstd, dx, dgamma", "x, residual, gamma, sum, y|x, residual, gamma, sum, y, rstd")]
    [InlineData("LayerNorm(8, Bias = false)", "x, gamma, y|x, gamma, y, mean, rstd", "dy, x, gamma, mean, rstd, dx, dgamma", "x, residual, gamma, sum, y|x, residual, gamma, sum, y, mean, rstd")]
    [InlineData("LayerNorm(8, ElementwiseAffine = false)", "x, y|x, y, mean, rstd", "dy, x, mean, rstd, dx", "x, residual, sum, y|x, residual, sum, y, mean, rstd")]
    [InlineData("LayerNorm(8)", "x, gamma, beta, y|x, gamma, beta, y, mean, rstd", "dy, x, gamma, mean, rstd, dx, dgamma, dbeta", "x, residual, gamma, beta, sum, y|x, residual, gamma, beta, sum, y, mean, rstd")]
    public void EachVariantDeclaresOnlyTheParametersItHas(string attribute, string forward, string backward, string residual)
    {
        var (result, output) = TestHelpers.Run($"using NormGen; namespace A; [{attribute}] public static partial class Norm;");
        Assert.Empty(TestHelpers.Problems(output));
        System.Type type = TestHelpers.EmitAndLoad(output).GetType("A.Norm", throwOnError: true)!;
        string Signatures(string name) => string.Join("|", type.GetMethods()
            .Where(m => m.Name == name)
            .Select(m => string.Join(", ", m.GetParameters().Select(p => p.Name)))
            .OrderBy(s => s.Length));
        Assert.Equal(forward, Signatures("Forward"));
        Assert.Equal(backward, Signatures("Backward"));
        Assert.Equal(residual, Signatures("ForwardResidual"));
        // Only the full LayerNorm implements ILayerNormKernel, whose shape has gamma and beta.
        Assert.Equal(attribute == "LayerNorm(8)", type.GetNestedType("Kernel") is not null);
        Assert.Single(result.GeneratedTrees);
    }

    [Fact]
    public void EmittedFileReadsAsDesigned()
    {
        var (result, _) = TestHelpers.Run("using NormGen; namespace A; [LayerNorm(768)] public static partial class BertNorm;");
        string text = TestHelpers.GeneratedText(result);
        string[] lines = text.Split('\n');
        Assert.Equal("// <auto-generated/>", lines[0]);
        Assert.Contains("NormGen.Generator " + Emitter.GeneratorVersion, lines[1]);
        Assert.Equal("#nullable enable", lines[2]);
        Assert.Contains("768 = 96 × Vector256&lt;float&gt;, tail 0, 4 accumulators", text);
        Assert.Contains("file static class LayerNormKernels", text);

        // The user's part names every type with global::; the kernels namespace has using directives and short names.
        int split = text.IndexOf("\nnamespace NormGen.Generated\n", System.StringComparison.Ordinal);
        Assert.True(split > 0, "no NormGen.Generated block");
        string userPart = text.Substring(0, split), kernelsPart = text.Substring(split);
        string userCode = string.Join("\n", userPart.Split('\n').Where(l => !l.TrimStart().StartsWith("//", System.StringComparison.Ordinal)));
        Assert.DoesNotContain("using ", userCode);
        Assert.DoesNotMatch(@"(?<!global::System\.)\b(ReadOnlySpan|Span|ReadOnlyMemory|Memory)<float>", userCode);
        Assert.DoesNotMatch(@"(?<![.\w])(Validation|RowScheduler|NormParts|MathF|Unsafe|MemoryMarshal|Vector(128|256|512))\.", userCode);
        Assert.DoesNotContain("global::", kernelsPart);
        foreach (string name in new[] { "System", "System.CodeDom.Compiler", "System.Runtime.CompilerServices",
                     "System.Runtime.InteropServices", "System.Runtime.Intrinsics" })
            Assert.Contains($"\n    using {name};\n", kernelsPart);

        // Every member carries [GeneratedCode]; every vector stage has a scalar-math comment.
        string[] userLines = userPart.Split('\n'), kernelLines = kernelsPart.Split('\n');
        int Starting(string[] part, string prefix) =>
            part.Count(l => l.TrimStart().StartsWith(prefix, System.StringComparison.Ordinal));
        // constants, public methods (Forward ×2, Backward, ForwardResidual ×2), parallel methods, the Kernel type's methods
        int userMembers = Starting(userLines, "public const ") + Starting(userLines, "public static void ");
        Assert.Equal(2 + 5 + 3 + 3, userMembers);
        // entry points (one per public method), kernels (Forward, ForwardResidual, Backward per path, and their three
        // non-temporal forms on the three vector paths)
        int kernelMembers = Starting(kernelLines, "public static void ");
        Assert.Equal(8 + 4 * 3 + 3 * 3, kernelMembers);
        int rowKernelMembers = Starting(kernelLines, "public void ");
        Assert.Equal((4 + 3) * 2, rowKernelMembers);    // Forward and Backward of each IRowKernel struct
        Assert.Equal(4, Starting(kernelLines, "file readonly struct Rows"));
        Assert.Equal(3, Starting(kernelLines, "file readonly struct NonTemporalRows"));
        // + the Kernel type's two properties and the Kernel type itself
        Assert.Equal(userMembers + 2 + 1, userLines.Count(l => l.Contains("[global::System.CodeDom.Compiler.GeneratedCode(\"NormGen.Generator\"")));
        // + the entry-points class, the kernels class and the row-kernel structs
        Assert.Equal(kernelMembers + rowKernelMembers + 1 + 1 + 4 + 3,
            kernelLines.Count(l => l.TrimStart().StartsWith("[GeneratedCode(\"NormGen.Generator\"", System.StringComparison.Ordinal)));
        // Every kernel has four stages. Forward: statistics (one pass on the vector paths, the rough centre on the scalar
        // path), the guard and its fallback (the correction), rstd, y. Backward: the sums about the pivot, the guard,
        // the gradient means, dx. Six kernels on each vector path, three on the scalar path.
        Assert.Equal(4 * (6 * 3 + 3), Starting(kernelLines, "// Scalar math:"));
    }
}
