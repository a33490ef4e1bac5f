using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NormGen.Generator.Tests.Interception;

/// <summary>
/// With NormGenInterceptCalls on, each constant-size generic call is intercepted (the compiler says which method
/// replaces it) and gives bit for bit what the corresponding attributed class gives, on the path the machine
/// runs; .ci/run repeats this with the narrower paths forced. Bad input is refused the same way, nothing written.
/// </summary>
public class InterceptionParityTests
{
    /// <summary>A generic call and the attributed class's call that must give the same bits; a[i] is the i-th role.</summary>
    private sealed record Case(string Name, string Generic, string Attributed, string[] Roles);

    private static readonly int[] Sizes = { 33, 768 };

    private static IEnumerable<Case> Cases(int n) => new[]
    {
        new Case("Forward", $"LayerNorm.Forward(a[0], a[1], a[2], a[3], {n})", $"LN{n}.Forward(a[0], a[1], a[2], a[3])",
            new[] { "x", "g", "b", "y" }),
        new Case("ForwardStatisticsEpsilon", $"LayerNorm.Forward(a[0], a[1], a[2], a[3], a[4], a[5], {n}, 1e-6f)",
            $"LNe6{n}.Forward(a[0], a[1], a[2], a[3], a[4], a[5])", new[] { "x", "g", "b", "y", "mean", "rstd" }),
        new Case("Backward", $"LayerNorm.Backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], {n})",
            $"LN{n}.Backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])", new[] { "dy", "x", "g", "mean", "rstd", "dx", "dg", "db" }),
        new Case("ForwardResidual", $"LayerNorm.ForwardResidual(a[0], a[1], a[2], a[3], a[4], a[5], hiddenSize: {n})",
            $"LN{n}.ForwardResidual(a[0], a[1], a[2], a[3], a[4], a[5])", new[] { "x", "res", "g", "b", "sum", "y" }),
        new Case("ForwardParallel", $"LayerNorm.ForwardParallel(a[0], a[1], a[2], a[3], a[4], a[5], {n}, 1e-5f, 2)",
            $"LN{n}.ForwardParallel(a[0], a[1], a[2], a[3], a[4], a[5], 2)", new[] { "x", "g", "b", "y", "mean", "rstd" }),
        new Case("BackwardParallel", $"LayerNorm.BackwardParallel(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], {n}, 2)",
            $"LN{n}.BackwardParallel(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], 2)", new[] { "dy", "x", "g", "mean", "rstd", "dx", "dg", "db" }),
        new Case("ForwardNoBias", $"LayerNorm.ForwardNoBias(a[0], a[1], a[2], a[3], a[4], {n})",
            $"NB{n}.Forward(a[0], a[1], a[2], a[3], a[4])", new[] { "x", "g", "y", "mean", "rstd" }),
        new Case("BackwardNoBias", $"LayerNorm.BackwardNoBias(a[0], a[1], a[2], a[3], a[4], a[5], a[6], {n})",
            $"NB{n}.Backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6])", new[] { "dy", "x", "g", "mean", "rstd", "dx", "dg" }),
        new Case("ForwardResidualNoAffine", $"LayerNorm.ForwardResidualNoAffine(a[0], a[1], a[2], a[3], {n})",
            $"NA{n}.ForwardResidual(a[0], a[1], a[2], a[3])", new[] { "x", "res", "sum", "y" }),
        new Case("BackwardNoAffine", $"LayerNorm.BackwardNoAffine(a[0], a[1], a[2], a[3], a[4], {n})",
            $"NA{n}.Backward(a[0], a[1], a[2], a[3], a[4])", new[] { "dy", "x", "mean", "rstd", "dx" }),
        new Case("RmsForward", $"RmsNorm.Forward(a[0], a[1], a[2], a[3], {n}, epsilon: 1e-6f)",
            $"RMS{n}.Forward(a[0], a[1], a[2], a[3])", new[] { "x", "g", "y", "rstd" }),
        new Case("RmsBackward", $"RmsNorm.Backward(a[0], a[1], a[2], a[3], a[4], a[5], {n})",
            $"RMS{n}.Backward(a[0], a[1], a[2], a[3], a[4], a[5])", new[] { "dy", "x", "g", "rstd", "dx", "dg" }),
        new Case("RmsForwardResidual", $"RmsNorm.ForwardResidual(a[0], a[1], a[2], a[3], a[4], {n}, 1e-6f)",
            $"RMS{n}.ForwardResidual(a[0], a[1], a[2], a[3], a[4])", new[] { "x", "res", "g", "sum", "y" }),
    };

    public static TheoryData<int, string> All
    {
        get
        {
            var data = new TheoryData<int, string>();
            foreach (int n in Sizes)
                foreach (Case c in Cases(n))
                    data.Add(n, c.Name);
            return data;
        }
    }

    private static readonly Lazy<(Compilation Output, Assembly Assembly)> Compiled = new(() =>
    {
        var source = new System.Text.StringBuilder("using System;\nusing NormGen;\nnamespace Probe;\n");
        foreach (int n in Sizes)
        {
            source.AppendLine($"[LayerNorm({n})] public static partial class LN{n};");
            source.AppendLine($"[LayerNorm({n}, Epsilon = 1e-6f)] public static partial class LNe6{n};");
            source.AppendLine($"[LayerNorm({n}, Bias = false)] public static partial class NB{n};");
            source.AppendLine($"[LayerNorm({n}, ElementwiseAffine = false)] public static partial class NA{n};");
            source.AppendLine($"[RmsNorm({n}, Epsilon = 1e-6f)] public static partial class RMS{n};");
            source.AppendLine($"public static class Calls{n}");
            source.AppendLine("{");
            foreach (Case c in Cases(n))
            {
                source.AppendLine($"    public static void Generic{c.Name}(float[][] a) => {c.Generic};");
                source.AppendLine($"    public static void Attributed{c.Name}(float[][] a) => {c.Attributed};");
            }
            source.AppendLine("}");
        }
        var (_, output) = InterceptionHelpers.Run(intercept: true, source.ToString());
        Assert.Empty(TestHelpers.Problems(output));
        return (output, TestHelpers.EmitAndLoad(output));
    });

    [Fact]
    public void EveryConstantSizeGenericCallIsIntercepted()
    {
        Compilation output = Compiled.Value.Output;
        SyntaxTree user = output.SyntaxTrees.First();
        SemanticModel model = output.GetSemanticModel(user);
        var generic = user.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Expression.ToString() is var e && (e.StartsWith("LayerNorm.", StringComparison.Ordinal) || e.StartsWith("RmsNorm.", StringComparison.Ordinal)))
            .ToArray();
        Assert.Equal(Sizes.Length * Cases(1).Count(), generic.Length);
        foreach (InvocationExpressionSyntax call in generic)
        {
            IMethodSymbol? interceptor = model.GetInterceptorMethod(call);
            Assert.True(interceptor is not null, $"{call} is not intercepted");
            Assert.Equal("NormGen.Generated.Interception", interceptor!.ContainingNamespace.ToDisplayString());
        }
        // The attributed calls are left alone.
        foreach (InvocationExpressionSyntax call in user.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Except(generic))
            Assert.Null(model.GetInterceptorMethod(call));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void InterceptedCallGivesTheAttributedKernelsBits(int n, string name)
    {
        Case c = Cases(n).Single(x => x.Name == name);
        // Enough rows for the parallel forms to use two threads (from about 128 Ki elements).
        int rows = n == 768 ? 200 : 9;
        float[][] generic = Arguments(c.Roles, n, rows, seed: n * 31 + name.Length);
        float[][] attributed = generic.Select(a => (float[])a.Clone()).ToArray();

        Invoke(n, "Generic" + name, generic);
        Invoke(n, "Attributed" + name, attributed);

        for (int i = 0; i < c.Roles.Length; i++)
        {
            int[] expected = attributed[i].Select(BitConverter.SingleToInt32Bits).ToArray();
            int[] actual = generic[i].Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"{name} at N={n}: {c.Roles[i]} differs from the attributed kernel's");
        }
    }

    [Theory]
    [InlineData(768, "Forward", 0)]          // x one element short
    [InlineData(768, "Backward", 3)]         // mean one element short
    [InlineData(33, "ForwardParallel", 1)]   // gamma one element short
    [InlineData(33, "RmsForwardResidual", 1)] // residual one element short
    public void BadInputIsRefusedAsTheAttributedKernelRefusesIt(int n, string name, int shortened)
    {
        Case c = Cases(n).Single(x => x.Name == name);
        float[][] generic = Arguments(c.Roles, n, rows: 3, seed: 5);
        generic[shortened] = generic[shortened][..^1];
        foreach (float[] a in generic)
            Array.Fill(a, 42f);
        float[][] attributed = generic.Select(a => (float[])a.Clone()).ToArray();

        var fromGeneric = Assert.IsAssignableFrom<ArgumentException>(Assert.Throws<TargetInvocationException>(() => Invoke(n, "Generic" + name, generic)).InnerException);
        var fromAttributed = Assert.IsAssignableFrom<ArgumentException>(Assert.Throws<TargetInvocationException>(() => Invoke(n, "Attributed" + name, attributed)).InnerException);
        Assert.Equal(fromAttributed.GetType(), fromGeneric.GetType());
        Assert.Equal(fromAttributed.ParamName, fromGeneric.ParamName);
        Assert.Equal(fromAttributed.Message, fromGeneric.Message);
        Assert.All(generic, a => Assert.All(a, v => Assert.Equal(42f, v)));
    }

    private static void Invoke(int n, string method, float[][] arguments) =>
        Compiled.Value.Assembly.GetType($"Probe.Calls{n}", throwOnError: true)!.GetMethod(method)!.Invoke(null, new object[] { arguments });

    private static float[][] Arguments(string[] roles, int n, int rows, int seed)
    {
        var random = new Random(seed);
        float Next(double low, double high) => (float)(low + random.NextDouble() * (high - low));
        return roles.Select(role =>
        {
            int length = role switch { "g" or "b" or "dg" or "db" => n, "mean" or "rstd" => rows, _ => rows * n };
            var data = new float[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = role switch
                {
                    "x" => Next(-3, 3) + 100f * (i / n % 3),   // rows at different offsets
                    "res" or "dy" => Next(-1, 1),
                    "g" => Next(0.5, 1.5),
                    "b" or "mean" => Next(-0.5, 0.5),
                    "rstd" => Next(0.5, 2),
                    _ => float.NaN,                               // outputs: every element must be written
                };
            }
            return data;
        }).ToArray();
    }
}
