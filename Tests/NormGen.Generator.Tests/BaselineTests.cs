using System;
using System.IO;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>
/// The emitted source for N = 8, 17 and 768 is committed under Baselines/ and compared exactly, so every
/// change to emitted code shows in review. Set NORMGEN_UPDATE_BASELINES=1 to rewrite them.
/// </summary>
public class BaselineTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(768)]
    public void EmittedSourceMatchesBaseline(int hiddenSize)
    {
        string source = $$"""
            using NormGen;

            namespace Samples;

            [LayerNorm({{hiddenSize}})]
            public static partial class LayerNorm{{hiddenSize}};
            """;
        var (result, output) = TestHelpers.Run(source);
        Assert.Empty(TestHelpers.Problems(output));
        string actual = TestHelpers.GeneratedText(result);

        string path = Path.Combine(TestHelpers.SourceDirectory(), "Baselines", $"LayerNorm{hiddenSize}.g.cs");
        if (Environment.GetEnvironmentVariable("NORMGEN_UPDATE_BASELINES") == "1")
            File.WriteAllText(path, actual);

        Assert.True(File.Exists(path), $"Missing baseline {path}; run the tests with NORMGEN_UPDATE_BASELINES=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
