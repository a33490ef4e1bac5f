using System.Linq;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>
/// The comparison's BatchNorm: statistics over the token rows only, running statistics moved by training steps only.
/// </summary>
public class BatchNormTests
{
    [Fact]
    public void Padding_IsLeftOutOfTheBatchStatistics()
    {
        // The same two sequences (1 and 2 symbols: 4 and 6 tokens), padded to 6 rows and to 8.
        var sequences = TinyModels.Task.Make(32, seed: 5);
        int[] order = [TinyModels.First(sequences, 1), TinyModels.First(sequences, 2)];
        var tight = new Batch(2, TinyModels.Task.MaxInputLength);
        var loose = new Batch(2, TinyModels.Task.MaxInputLength);
        tight.Fill(sequences, order);
        loose.Fill(sequences, order, length: 8, prefix: int.MaxValue);
        var model = TinyModels.OneBlock(NormPlacement.Pre, NormKind.BatchNorm, 64);
        model.Training = true;

        model.Forward(tight);
        float[] tightLogits = TokenRows(model.Logits(tight).ToArray(), tight, model.Config.Vocabulary);
        model.Forward(loose);
        float[] looseLogits = TokenRows(model.Logits(loose).ToArray(), loose, model.Config.Vocabulary);

        Assert.Equal(6, tight.Length);
        Assert.Equal(8, loose.Length);
        Assert.Equal(tightLogits, looseLogits);
    }

    [Fact]
    public void RunningStatistics_MoveWithTrainingSteps_AndOnlyThen()
    {
        var model = TinyModels.OneBlock(NormPlacement.Pre, NormKind.BatchNorm, 64);
        var (_, batch) = TinyModels.MixedLengths();
        float[] Inference()
        {
            model.Training = false;
            model.Forward(batch);
            model.Training = true;
            return model.Logits(batch).ToArray();
        }

        float[] initial = Inference();
        model.Loss(batch, out _);           // training-mode forwards outside a step: evaluation, inspection
        model.Forward(batch);
        Assert.Equal(initial, Inference());

        model.TrainStep(batch);             // a step moves them (its gradients are not applied: no optimizer here)
        Assert.NotEqual(initial, Inference());
    }

    private static float[] TokenRows(float[] rows, Batch batch, int width) =>
        [.. batch.TokenRowIndices.ToArray().SelectMany(r => rows.Skip(r * width).Take(width))];
}
