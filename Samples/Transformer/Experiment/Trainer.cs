using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NormGen.Samples.Training;

namespace NormGen.Samples.Transformer;

/// <summary>What one training run recorded, per epoch and per step.</summary>
internal sealed class TrainingRun(Variant variant)
{
    public Variant Variant { get; } = variant;

    /// <summary>Mean training loss of each epoch.</summary>
    public List<double> EpochLosses { get; } = [];

    /// <summary>Per epoch, per block: the mean over the epoch's steps of ‖gradient‖ of its weights.</summary>
    public List<double[]> BlockGradientNorms { get; } = [];

    /// <summary>The training loss of every step, for the plot.</summary>
    public List<double> StepLosses { get; } = [];

    /// <summary>The held-out evaluation after the last epoch.</summary>
    public Evaluation? Final { get; set; }

    public double Seconds { get; set; }
}

/// <summary>Trains one variant of an <see cref="Experiment"/> with Adam, seeded: the same run every time.</summary>
internal static class Trainer
{
    public static (TrainingRun Run, DecoderModel Model) Train(
        Experiment experiment, Variant variant, Action<string>? log = null)
    {
        var model = experiment.NewModel(variant.Placement, variant.Norm);
        var optimizer = new Adam(model.Parameters.Select(p => (p.Value, p.Gradient)).ToList(), experiment.LearningRate);
        var batch = new Batch(experiment.BatchSize, experiment.Config.MaxLength);
        var order = Enumerable.Range(0, experiment.TrainingSet.Count).ToArray();
        var shuffle = new Random(4);
        var run = new TrainingRun(variant);
        var clock = Stopwatch.StartNew();
        int blocks = experiment.Config.Blocks, steps = experiment.StepsPerEpoch;

        for (int epoch = 0; epoch < experiment.Epochs; epoch++)
        {
            shuffle.Shuffle(order);
            double lossSum = 0;
            var norms = new double[blocks];
            for (int step = 0; step < steps; step++)
            {
                batch.Fill(experiment.TrainingSet, order.AsSpan(step * experiment.BatchSize, experiment.BatchSize));
                double loss = model.TrainStep(batch);
                for (int k = 0; k < blocks; k++) norms[k] += model.BlockGradientNorm(k) / steps;
                optimizer.Step();
                lossSum += loss;
                run.StepLosses.Add(loss);
            }
            run.EpochLosses.Add(lossSum / steps);
            run.BlockGradientNorms.Add(norms);
            log?.Invoke($"{variant.Name}: epoch {epoch + 1} loss {lossSum / steps:G4}");
        }
        run.Seconds = clock.Elapsed.TotalSeconds;
        run.Final = Evaluation.Run(model, experiment);
        return (run, model);
    }
}
