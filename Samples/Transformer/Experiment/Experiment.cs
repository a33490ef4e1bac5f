using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// Everything the comparison holds fixed: the task and its seeded training and held-out sets, the model's
/// shape (depth included), the batch size, the epochs and Adam's learning rate. Only the norm varies.
/// </summary>
internal sealed class Experiment
{
    public Experiment(CopyTask task, int width, int heads, int blocks, int trainSequences, int heldOutSequences,
        int batchSize, int epochs, float learningRate)
    {
        Task = task;
        Config = new ModelConfig(task.Vocabulary, width, heads, 4 * width, blocks, task.MaxInputLength);
        Config.Validate();
        TrainingSet = task.Make(trainSequences, seed: 1);
        HeldOutSet = task.Make(heldOutSequences, seed: 2);
        BatchSize = batchSize;
        Epochs = epochs;
        LearningRate = learningRate;
    }

    /// <summary>The sample's run: 6 blocks of width 64 (4 heads), copying strings of 1 to 8 of 10 symbols.</summary>
    public static Experiment Default(int epochs) =>
        new(new CopyTask(symbols: 10, minLength: 1, maxLength: 8), width: 64, heads: 4, blocks: 6,
            trainSequences: 1024, heldOutSequences: 256, batchSize: 32, epochs: epochs, learningRate: 3e-3f);

    public CopyTask Task { get; }
    public ModelConfig Config { get; }
    public IReadOnlyList<Sequence> TrainingSet { get; }
    public IReadOnlyList<Sequence> HeldOutSet { get; }
    public int BatchSize { get; }
    public int Epochs { get; }
    public float LearningRate { get; }

    /// <summary>Optimizer steps per epoch (the last partial batch is dropped).</summary>
    public int StepsPerEpoch => TrainingSet.Count / BatchSize;

    /// <summary>Rows the model's buffers must hold: a full batch of the longest sequences.</summary>
    public int MaxRows => BatchSize * Config.MaxLength;

    /// <summary>A fresh, seeded model of this experiment's shape with the given norms.</summary>
    public DecoderModel NewModel(NormPlacement placement, NormKind norm, int seed = 3) =>
        new(Config, placement, NormFactory.For(norm, Config.Width, MaxRows), BatchSize, seed);
}
