using System;
using System.IO;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The emitted source of one class per planner strategy and per kernel variant is committed under Baselines/ and
/// compared exactly, so every change to emitted code shows in review. Set NORMGEN_UPDATE_BASELINES=1 to rewrite them.
/// </summary>
public class BaselineTests
{
    [Theory]
    [InlineData("LayerNorm(8)", "LayerNorm8")]
    [InlineData("LayerNorm(17)", "LayerNorm17")]
    [InlineData("LayerNorm(768)", "LayerNorm768")]
    [InlineData("RmsNorm(768)", "RmsNorm768")]
    [InlineData("RmsNorm(17, Epsilon = 1e-6f)", "RmsNorm17")]
    [InlineData("LayerNorm(17, Bias = false)", "LayerNormNoBias17")]
    [InlineData("LayerNorm(8, ElementwiseAffine = false)", "LayerNormNoAffine8")]
    public void EmittedSourceMatchesBaseline(string attribute, string className)
    {
        string source = $$"""
            using NormGen;

            namespace Samples;

            [{{attribute}}]
            public static partial class {{className}};
            """;
        var (result, output) = TestHelpers.Run(source);
        string actual = TestHelpers.GeneratedText(result);

        string path = Path.Combine(TestHelpers.SourceDirectory(), "Baselines", $"{className}.g.cs");
        if (Environment.GetEnvironmentVariable("NORMGEN_UPDATE_BASELINES") == "1")
            File.WriteAllText(path, actual);

        string[] problems = TestHelpers.Problems(output);
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems));

        Assert.True(File.Exists(path), $"Missing baseline {path}; run the tests with NORMGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
