using System;
using System.IO;
using System.Linq;
using NormGen.Samples.SentenceEmbeddings;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary><c>--in FILE --out FILE</c>: the output format, and bad input that must fail cleanly with nothing written.</summary>
[Collection(ModelCollection.Name)]
public sealed class CommandLineTests(ModelFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("minilm-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error, () => fixture.Model);
        return (code, output.ToString(), error.ToString());
    }

    private void AssertNothingWritten(params string[] except)
        => Assert.Equal(except.OrderBy(n => n), Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).OrderBy(n => n));

    [Fact]
    public void Writes_384_little_endian_floats_per_non_empty_line_in_input_order()
    {
        string[] sentences = ["A man is playing a guitar.", "The film was really great!", "Hi"];
        File.WriteAllText(PathOf("in.txt"), $"{sentences[0]}\n\n   \n{sentences[1]}\r\n{sentences[2]}");
        (int code, _, string error) = Run("--in", PathOf("in.txt"), "--out", PathOf("out.bin"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        byte[] bytes = File.ReadAllBytes(PathOf("out.bin"));
        Assert.Equal(sentences.Length * 384 * sizeof(float), bytes.Length);
        float[][] expected = MiniLmModel.Embed(fixture.Model.CreateEncoder(), fixture.Model.Tokenize(sentences));
        for (int i = 0; i < sentences.Length; i++)
        {
            float[] written = new float[384];
            for (int j = 0; j < 384; j++)
                written[j] = BitConverter.ToSingle(bytes, (i * 384 + j) * sizeof(float)); // little-endian here
            Assert.Equal(expected[i], written);
        }
        AssertNothingWritten("in.txt", "out.bin");
    }

    [Fact]
    public void Missing_input_file_fails_with_a_message()
    {
        (int code, _, string error) = Run("--in", PathOf("absent.txt"), "--out", PathOf("out.bin"));
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("does not exist", error);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\t\r\n")]
    public void Empty_input_file_fails_with_a_message(string content)
    {
        File.WriteAllText(PathOf("in.txt"), content);
        (int code, _, string error) = Run("--in", PathOf("in.txt"), "--out", PathOf("out.bin"));
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("no non-empty lines", error);
        AssertNothingWritten("in.txt");
    }

    [Fact]
    public void Output_in_a_missing_directory_fails_with_a_message()
    {
        File.WriteAllText(PathOf("in.txt"), "hello");
        (int code, _, string error) = Run("--in", PathOf("in.txt"), "--out", PathOf(Path.Combine("no-such-dir", "out.bin")));
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("cannot write output", error);
        AssertNothingWritten("in.txt");
    }

    [Fact]
    public void Output_that_is_a_directory_fails_and_is_left_alone()
    {
        File.WriteAllText(PathOf("in.txt"), "hello");
        Directory.CreateDirectory(PathOf("out.bin"));
        (int code, _, string error) = Run("--in", PathOf("in.txt"), "--out", PathOf("out.bin"));
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("is a directory", error);
        Assert.Empty(Directory.GetFileSystemEntries(PathOf("out.bin")));
        AssertNothingWritten("in.txt", "out.bin");
    }

    [Fact]
    public void Output_under_a_file_fails_with_a_message()
    {
        File.WriteAllText(PathOf("in.txt"), "hello");
        (int code, _, string error) = Run("--in", PathOf("in.txt"), "--out", Path.Combine(PathOf("in.txt"), "out.bin"));
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("cannot write output", error);
        Assert.Equal("hello", File.ReadAllText(PathOf("in.txt")));
        AssertNothingWritten("in.txt");
    }

    [Fact]
    public void An_existing_output_is_untouched_when_the_input_is_bad()
    {
        File.WriteAllText(PathOf("in.txt"), "\n\n");
        File.WriteAllText(PathOf("out.bin"), "old");
        Assert.Equal(CommandLine.Usage, Run("--in", PathOf("in.txt"), "--out", PathOf("out.bin")).Code);
        Assert.Equal(CommandLine.Usage, Run("--in", PathOf("absent.txt"), "--out", PathOf("out.bin")).Code);
        Assert.Equal("old", File.ReadAllText(PathOf("out.bin")));
        AssertNothingWritten("in.txt", "out.bin");
    }

    [Theory]
    [InlineData("--in")]
    [InlineData("--in", "a.txt")]
    [InlineData("--out", "b.bin")]
    [InlineData("--bogus")]
    [InlineData("--in", "a.txt", "--out", "b.bin", "extra")]
    public void Bad_arguments_print_usage(params string[] args)
    {
        (int code, _, string error) = Run(args);
        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("usage:", error);
        AssertNothingWritten();
    }
}
