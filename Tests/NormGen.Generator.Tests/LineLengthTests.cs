using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace NormGen.Generator.Tests;

/// <summary>Emitted code reads like hand-written code: no line longer than <see cref="SourceWriter.MaxLineLength"/>
/// UTF-8 bytes (so also characters), XML doc comments included.</summary>
public class LineLengthTests
{
    private static string BaselinesDirectory => Path.Combine(TestHelpers.SourceDirectory(), "Baselines");

    /// <summary>Every baseline, the interceptor baselines in Baselines/Interception included.</summary>
    public static IEnumerable<object[]> Baselines() =>
        Directory.GetFiles(BaselinesDirectory, "*.g.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(BaselinesDirectory, path))
            .Order(StringComparer.Ordinal)
            .Select(path => new object[] { path });

    [Theory]
    [MemberData(nameof(Baselines))]
    public void BaselineLinesFit(string fileName)
    {
        string text = File.ReadAllText(Path.Combine(BaselinesDirectory, fileName));
        AssertLinesFit(fileName, text);
    }

    /// <summary>Every plan the parity suites use (register-resident, unrolled, streaming with and without leftover
    /// vectors, with and without a tail) for every variant, not only the baselines' classes.</summary>
    [Theory]
    [InlineData("LayerNorm")]
    [InlineData("LayerNorm", "Bias = false")]
    [InlineData("LayerNorm", "ElementwiseAffine = false")]
    [InlineData("RmsNorm")]
    public void EveryPlanFits(string attribute, string? option = null)
    {
        int[] sizes = { 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 135, 768, 769, 1024, 4095, 4096, 8191, 65536 };
        foreach (int n in sizes)
        {
            string arguments = option is null ? $"{n}" : $"{n}, {option}";
            string source = $$"""
                using NormGen;

                namespace Samples.Deeply.Nested.Namespace;

                public static partial class Outer
                {
                    [{{attribute}}({{arguments}})]
                    internal static partial class Kernel{{n}};
                }
                """;
            var (result, _) = TestHelpers.Run(source);
            AssertLinesFit($"[{attribute}({arguments})]", TestHelpers.GeneratedText(result));
        }
    }

    private static void AssertLinesFit(string what, string text)
    {
        string[] lines = text.Split('\n');
        var tooLong = lines
            .Select((line, index) => (Line: line, Number: index + 1))
            .Where(entry => SourceWriter.Width(entry.Line) > SourceWriter.MaxLineLength)
            .Select(entry => $"{what}:{entry.Number} ({SourceWriter.Width(entry.Line)} UTF-8 bytes): {entry.Line.Trim()}")
            .ToArray();
        Assert.True(tooLong.Length == 0, string.Join(Environment.NewLine, tooLong.Take(20)));
    }
}
