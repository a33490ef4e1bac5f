using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace NormGen.Samples.Transformer;

/// <summary>The median time of one training step (forward and backward, no optimizer) and of its norms.</summary>
/// <param name="Norm">The LayerNorm implementation.</param>
/// <param name="StepMilliseconds">Median milliseconds per step.</param>
/// <param name="NormMilliseconds">Median milliseconds per step spent inside the norms.</param>
/// <param name="Loss">The step's loss, the same batch and weights for every implementation.</param>
internal sealed record StepTime(NormKind Norm, double StepMilliseconds, double NormMilliseconds, double Loss)
{
    /// <summary>The norms' share of the step.</summary>
    public double NormShare => NormMilliseconds / StepMilliseconds;
}

/// <summary>
/// Times the pre-LN model's training step with each LayerNorm implementation: the same weights, the same batch,
/// steps interleaved round by round so that a noisy neighbour slows all of them alike.
/// </summary>
internal static class StepTiming
{
    public static readonly NormKind[] Implementations =
        [NormKind.Generated, NormKind.Generic, NormKind.TensorPrimitives];

    public static IReadOnlyList<StepTime> Run(Experiment experiment, int rounds, int warmup = 5)
    {
        var batch = new Batch(experiment.BatchSize, experiment.Config.MaxLength);
        batch.Fill(experiment.TrainingSet, Enumerable.Range(0, experiment.BatchSize).ToArray());
        var clocks = new NormClock[Implementations.Length];
        var models = new DecoderModel[Implementations.Length];
        for (int i = 0; i < Implementations.Length; i++)
        {
            var clock = clocks[i] = new NormClock();
            var make = NormFactory.For(Implementations[i], experiment.Config.Width, experiment.MaxRows);
            models[i] = new DecoderModel(experiment.Config, NormPlacement.Pre,
                name => new TimedNormalization(make(name), clock), experiment.BatchSize, seed: 3);
        }

        var losses = new double[models.Length];
        for (int w = 0; w < warmup; w++)
            for (int i = 0; i < models.Length; i++) losses[i] = models[i].TrainStep(batch);

        var steps = new double[models.Length][];
        var norms = new double[models.Length][];
        for (int i = 0; i < models.Length; i++)
        {
            steps[i] = new double[rounds];
            norms[i] = new double[rounds];
        }
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < models.Length; i++)
            {
                clocks[i].Ticks = 0;
                long start = Stopwatch.GetTimestamp();
                models[i].TrainStep(batch);
                steps[i][r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                norms[i][r] = clocks[i].Elapsed.TotalMilliseconds;
            }
        return [.. Enumerable.Range(0, models.Length)
            .Select(i => new StepTime(Implementations[i], Median(steps[i]), Median(norms[i]), losses[i]))];
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
