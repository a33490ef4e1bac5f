using System;
using NormGen.Samples.Transformer;

namespace NormGen.Transformer.Tests;

/// <summary>Small models and batches for the tests, with sequences of different lengths: padding occurs.</summary>
internal static class TinyModels
{
    public static readonly CopyTask Task = new(symbols: 4, minLength: 1, maxLength: 3);

    /// <summary>One block (attention and MLP) of the given width and norm; 4 heads at width 64, else 2.</summary>
    public static DecoderModel OneBlock(NormPlacement placement, NormKind norm, int width, int seed = 11)
    {
        const int maxSequences = 4;
        int heads = width == 64 ? 4 : 2;
        var config = new ModelConfig(Task.Vocabulary, width, heads, 2 * width, Blocks: 1, Task.MaxInputLength);
        var makeNorm = NormFactory.For(norm, width, maxSequences * config.MaxLength);
        return new DecoderModel(config, placement, makeNorm, maxSequences, seed);
    }

    /// <summary>The copy task at width 64 (the generated kernel's), small enough to train in a test.</summary>
    public static Experiment Experiment(int blocks, int trainSequences, int batchSize, int epochs) =>
        new(Task, width: 64, heads: 4, blocks, trainSequences, heldOutSequences: 16, batchSize, epochs,
            learningRate: 3e-3f);

    /// <summary>Sequences copying 1, 3 and 2 symbols: a batch of them is padded to the longest.</summary>
    public static (Sequence[] Sequences, Batch Batch) MixedLengths()
    {
        var sequences = Task.Make(32, seed: 5);
        int[] order = [First(sequences, 1), First(sequences, 3), First(sequences, 2)];
        var batch = new Batch(4, Task.MaxInputLength);
        batch.Fill(sequences, order);
        return (sequences, batch);
    }

    /// <summary>The index of the first sequence that copies <paramref name="symbols"/> symbols.</summary>
    public static int First(Sequence[] sequences, int symbols)
    {
        for (int i = 0; i < sequences.Length; i++)
            if (sequences[i].InputLength == 2 * symbols + 2) return i;
        throw new InvalidOperationException($"No sequence copies {symbols} symbols.");
    }
}
