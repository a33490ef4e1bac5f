using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>
/// The sample's command line. No arguments: the demo. <c>--in FILE --out FILE</c>: embed each non-empty line of
/// FILE and write the embeddings as raw little-endian float32, 384 per sentence, in input order, nothing else.
/// </summary>
/// <remarks>
/// Bad input (a missing or empty input file, an output that cannot be written, unknown arguments) gets a message on
/// stderr and exit code 2, and nothing is written: the inputs are checked before the model loads, and the output
/// goes to a temporary file beside it that replaces it only once complete.
/// </remarks>
internal static class CommandLine
{
    public const int Usage = 2;
    private const string UsageText =
        "usage: SentenceEmbeddings                     embed the built-in sentences, compare with ONNX Runtime, time\n" +
        "       SentenceEmbeddings --in FILE --out FILE  embed each non-empty line of FILE; write 384 little-endian\n" +
        "                                              float32 per line to FILE, in input order";

    public static int Run(string[] args, TextWriter output, TextWriter error, Func<MiniLmModel>? load = null)
    {
        load ??= MiniLmModel.Load;
        if (args.Length == 0)
        {
            Demo.Run(load(), output);
            return 0;
        }

        string? inPath = null, outPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            if ((args[i] == "--in" || args[i] == "--out") && i + 1 < args.Length)
            {
                if (args[i] == "--in") inPath = args[++i];
                else outPath = args[++i];
            }
            else if (args[i] is "-h" or "--help")
            {
                output.WriteLine(UsageText);
                return 0;
            }
            else
            {
                error.WriteLine($"error: unexpected argument '{args[i]}'.");
                error.WriteLine(UsageText);
                return Usage;
            }
        }
        if (inPath is null || outPath is null)
        {
            error.WriteLine("error: give both --in FILE and --out FILE.");
            error.WriteLine(UsageText);
            return Usage;
        }
        return EmbedFile(inPath, outPath, output, error, load);
    }

    private static int EmbedFile(string inPath, string outPath, TextWriter output, TextWriter error,
        Func<MiniLmModel> load)
    {
        if (!File.Exists(inPath))
        {
            error.WriteLine($"error: input file '{inPath}' does not exist.");
            return Usage;
        }
        string[] sentences;
        try
        {
            sentences = File.ReadAllLines(inPath).Where(line => line.Trim().Length > 0).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read input file '{inPath}': {e.Message}");
            return Usage;
        }
        if (sentences.Length == 0)
        {
            error.WriteLine($"error: input file '{inPath}' has no non-empty lines; nothing to embed.");
            return Usage;
        }

        string fullOut = Path.GetFullPath(outPath);
        string? directory = Path.GetDirectoryName(fullOut);
        if (Directory.Exists(fullOut))
        {
            error.WriteLine($"error: output '{outPath}' is a directory.");
            return Usage;
        }
        if (directory is null || !Directory.Exists(directory))
        {
            error.WriteLine($"error: cannot write output '{outPath}': its directory does not exist.");
            return Usage;
        }
        // Claim a temporary file beside the output now, so an unwritable place fails before the model loads.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullOut)}.{Environment.ProcessId}.tmp");
        FileStream stream;
        try
        {
            stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write output '{outPath}': {e.Message}");
            return Usage;
        }

        try
        {
            MiniLmModel model = load();
            float[][] embeddings = MiniLmModel.Embed(model.CreateEncoder(), model.Tokenize(sentences));
            using (stream)
            {
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("A big-endian machine.");
                foreach (float[] embedding in embeddings) stream.Write(MemoryMarshal.AsBytes(embedding.AsSpan()));
            }
            File.Move(temporary, fullOut, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            File.Delete(temporary);
            error.WriteLine($"error: cannot write output '{outPath}': {e.Message}");
            return Usage;
        }
        catch
        {
            stream.Dispose();
            File.Delete(temporary);
            throw;
        }
        output.WriteLine(
            $"Embedded {sentences.Length} sentence(s) into '{outPath}' ({sentences.Length} x 384 float32).");
        return 0;
    }
}
