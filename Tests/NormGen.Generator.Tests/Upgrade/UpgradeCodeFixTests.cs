using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace NormGen.Generator.Tests.Upgrade;

/// <summary>
/// The NG1001 fix. The test framework applies it one diagnostic at a time until none is left, and as Fix All in the
/// document, the project and the solution, and checks each result against the fixed code, which must compile with
/// the generator's members (so a class the fix declares or reuses really has the member called).
/// </summary>
public class UpgradeCodeFixTests
{
    private const string Usings = "using System;\nusing NormGen;\n\n";

    private static Task Verify(string source, string fixedSource, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var test = new UpgradeTest { TestCode = Usings + source, FixedCode = Usings + fixedSource };
        test.TestState.OutputKind = kind;
        test.FixedState.OutputKind = kind;
        return test.RunAsync();
    }

    [Fact]
    public Task DeclaresTheClassAndCallsIt() => Verify("""
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
            {
                [|LayerNorm.Forward(x, gamma, beta, y, 768)|];
            }
        }
        """, """
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
            {
                LayerNorm768.Forward(x, gamma, beta, y);
            }
        }

        [LayerNorm(768)]
        internal static partial class LayerNorm768;
        """);

    [Fact]
    public Task ReusesAnExistingClassOfTheSameKindSizeAndEpsilon() => Verify("""
        namespace App
        {
            [LayerNorm(768, Epsilon = 1e-6f)] public static partial class WrongEpsilon;
            [LayerNorm(768, Bias = false)] public static partial class WrongVariant;
            [RmsNorm(768)] public static partial class WrongKind;
            [LayerNorm(768)] public static partial class BertNorm;

            public static class Model
            {
                public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
                {
                    [|LayerNorm.Forward(x, gamma, beta, y, 768)|];
                }
            }
        }
        """, """
        namespace App
        {
            [LayerNorm(768, Epsilon = 1e-6f)] public static partial class WrongEpsilon;
            [LayerNorm(768, Bias = false)] public static partial class WrongVariant;
            [RmsNorm(768)] public static partial class WrongKind;
            [LayerNorm(768)] public static partial class BertNorm;

            public static class Model
            {
                public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
                {
                    BertNorm.Forward(x, gamma, beta, y);
                }
            }
        }
        """);

    [Fact]
    public Task ReusesAClassInAnotherNamespace() => Verify("""
        namespace Kernels
        {
            [RmsNorm(4096, Epsilon = 1e-6f)] internal static partial class LlamaNorm;
        }

        namespace App
        {
            public static class Model
            {
                public static void Run(float[] x, float[] gamma, float[] y, float[] rstd)
                {
                    [|RmsNorm.Forward(x, gamma, y, rstd, 4096, 1e-6f)|];
                }
            }
        }
        """, """
        namespace Kernels
        {
            [RmsNorm(4096, Epsilon = 1e-6f)] internal static partial class LlamaNorm;
        }

        namespace App
        {
            public static class Model
            {
                public static void Run(float[] x, float[] gamma, float[] y, float[] rstd)
                {
                    Kernels.LlamaNorm.Forward(x, gamma, y, rstd);
                }
            }
        }
        """);

    [Fact]
    public Task KeepsArgumentNamesAndComments() => Verify("""
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
            {
                [|LayerNorm.ForwardParallel(
                    x: x, gamma, beta, // the parameters
                    y /* output */, hiddenSize: 768, epsilon: 1e-5f,
                    degreeOfParallelism: 2 /* two threads */)|]; // parallel
                [|LayerNorm.Forward(x, gamma, beta, y, // buffers
                    768)|];
            }
        }
        """, """
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y)
            {
                LayerNorm768.ForwardParallel(
                    x: x, gamma, beta, // the parameters
                    y /* output */, degreeOfParallelism: 2 /* two threads */); // parallel
                LayerNorm768.Forward(x, gamma, beta, y // buffers
                    );
            }
        }

        [LayerNorm(768)]
        internal static partial class LayerNorm768;
        """);

    [Fact]
    public Task RespectsEpsilonBiasAndAffine() => Verify("""
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] residual, float[] gamma, float[] sum, float[] y, float[] rstd)
            {
                [|LayerNorm.ForwardNoBias(x, gamma, y, 4096, 1e-6f)|];
                [|LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize: 64)|];
                [|RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, 4096, epsilon: 1e-6f)|];
            }
        }
        """, """
        namespace App;

        public static class Model
        {
            public static void Run(float[] x, float[] residual, float[] gamma, float[] sum, float[] y, float[] rstd)
            {
                LayerNormNoBias4096Eps1em6.Forward(x, gamma, y);
                LayerNormNoAffine64.ForwardResidual(x, residual, sum, y);
                RmsNorm4096Eps1em6.ForwardResidual(x, residual, gamma, sum, y, rstd);
            }
        }

        [LayerNorm(4096, Bias = false, Epsilon = 1e-6f)]
        internal static partial class LayerNormNoBias4096Eps1em6;

        [LayerNorm(64, ElementwiseAffine = false)]
        internal static partial class LayerNormNoAffine64;

        [RmsNorm(4096, Epsilon = 1e-6f)]
        internal static partial class RmsNorm4096Eps1em6;
        """);

    [Fact]
    public Task FixAllDeclaresEachClassOnceAndBackwardJoinsIt() => Verify("""
        namespace App;

        public static class Model
        {
            public static void Train(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                float[] dy, float[] dx, float[] dgamma, float[] dbeta)
            {
                [|LayerNorm.Forward(x, gamma, beta, y, mean, rstd, 768, 1e-6f)|];
                [|LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, 768)|];
                [|LayerNorm.Forward(x, gamma, beta, y, mean, rstd, 768, 1e-6f)|];
            }
        }
        """, """
        namespace App;

        public static class Model
        {
            public static void Train(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                float[] dy, float[] dx, float[] dgamma, float[] dbeta)
            {
                LayerNorm768Eps1em6.Forward(x, gamma, beta, y, mean, rstd);
                LayerNorm768Eps1em6.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
                LayerNorm768Eps1em6.Forward(x, gamma, beta, y, mean, rstd);
            }
        }

        [LayerNorm(768, Epsilon = 1e-6f)]
        internal static partial class LayerNorm768Eps1em6;
        """);

    [Fact]
    public async Task FixAllAcrossDocumentsDeclaresEachClassOnce()
    {
        const string first = """
            using NormGen;

            namespace App;

            public static class First
            {
                public static void Run(float[] x, float[] gamma, float[] y) => [|RmsNorm.Forward(x, gamma, y, 4096)|];
            }
            """;
        const string second = """
            using NormGen;

            namespace App;

            public static class Second
            {
                public static void Run(float[] x, float[] gamma, float[] y) => [|RmsNorm.Forward(x, gamma, y, 4096)|];
            }
            """;
        var test = new UpgradeTest
        {
            TestState = { Sources = { ("First.cs", first), ("Second.cs", second) } },
            FixedState =
            {
                Sources =
                {
                    ("First.cs", """
                        using NormGen;

                        namespace App;

                        public static class First
                        {
                            public static void Run(float[] x, float[] gamma, float[] y) => RmsNorm4096.Forward(x, gamma, y);
                        }

                        [RmsNorm(4096)]
                        internal static partial class RmsNorm4096;
                        """),
                    ("Second.cs", """
                        using NormGen;

                        namespace App;

                        public static class Second
                        {
                            public static void Run(float[] x, float[] gamma, float[] y) => RmsNorm4096.Forward(x, gamma, y);
                        }
                        """),
                },
            },
        };
        await test.RunAsync();
    }

    [Fact]
    public Task ANameTakenByAnotherTypeGetsANumber() => Verify("""
        namespace App;

        public static class LayerNorm768 { }

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y) => [|LayerNorm.Forward(x, gamma, beta, y, 768)|];
        }
        """, """
        namespace App;

        public static class LayerNorm768 { }

        public static class Model
        {
            public static void Run(float[] x, float[] gamma, float[] beta, float[] y) => LayerNorm768_2.Forward(x, gamma, beta, y);
        }

        [LayerNorm(768)]
        internal static partial class LayerNorm768_2;
        """);

    [Fact]
    public Task TopLevelStatementsGetTheClassAfterThem() => Verify("""
        float[] x = new float[64], y = new float[64];
        [|LayerNorm.ForwardNoAffine(x, y, 64)|];
        Console.WriteLine(y[0]);
        """, """
        float[] x = new float[64], y = new float[64];
        LayerNormNoAffine64.Forward(x, y);
        Console.WriteLine(y[0]);

        [LayerNorm(64, ElementwiseAffine = false)]
        internal static partial class LayerNormNoAffine64;
        """, OutputKind.ConsoleApplication);
}
