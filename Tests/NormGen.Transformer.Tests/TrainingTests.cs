using System;
using System.Linq;
using NormGen.Samples.Training;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>A few Adam steps on a tiny pre-LN model (the generated kernels) must lower the loss.</summary>
public class TrainingTests
{
    [Fact]
    public void AFewStepsOfAdam_LowerTheLoss()
    {
        var experiment = TinyModels.Experiment(blocks: 2, trainSequences: 64, batchSize: 8, epochs: 1);
        var model = experiment.NewModel(NormPlacement.Pre, NormKind.Generated);
        var optimizer = new Adam(model.Parameters.Select(p => (p.Value, p.Gradient)).ToList(), experiment.LearningRate);
        var batch = new Batch(experiment.BatchSize, experiment.Config.MaxLength);
        batch.Fill(experiment.TrainingSet, Enumerable.Range(0, experiment.BatchSize).ToArray());

        double before = model.Loss(batch, out _);
        for (int step = 0; step < 20; step++)
        {
            model.TrainStep(batch);
            optimizer.Step();
        }
        double after = model.Loss(batch, out _);

        Assert.True(double.IsFinite(before) && double.IsFinite(after), $"loss {before} -> {after}");
        Assert.True(after < 0.5 * before, $"20 steps of Adam took the loss from {before:G4} only to {after:G4}");
    }

    [Fact]
    public void TheTrainer_RecordsEveryEpochAndBlock_AndLearns()
    {
        var experiment = TinyModels.Experiment(blocks: 2, trainSequences: 64, batchSize: 8, epochs: 3);
        var (run, _) = Trainer.Train(experiment, Variant.PreLayerNorm);

        Assert.Equal(3, run.EpochLosses.Count);
        Assert.Equal(3 * experiment.StepsPerEpoch, run.StepLosses.Count);
        Assert.All(run.BlockGradientNorms, norms => Assert.Equal(2, norms.Length));
        Assert.All(run.BlockGradientNorms.SelectMany(n => n), norm => Assert.True(norm > 0 && double.IsFinite(norm)));
        Assert.True(run.EpochLosses[^1] < run.EpochLosses[0], string.Join(", ", run.EpochLosses));
        Assert.NotNull(run.Final);
        Assert.InRange(run.Final.TokenAccuracy, 0, 1);
    }
}
