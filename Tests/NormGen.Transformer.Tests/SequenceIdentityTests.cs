using System;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>
/// A sequence's norm outputs and logits, alone vs inside a padded batch of sequences of other lengths vs decoded
/// token by token: bit-identical with LayerNorm (generated and generic) and with no norm; not with BatchNorm's
/// batch statistics, and again with its running statistics.
/// </summary>
public class SequenceIdentityTests
{
    [Theory]
    [InlineData("Pre", "Generated", 64)]
    [InlineData("Post", "Generated", 64)]
    [InlineData("Pre", "Generic", 64)]
    [InlineData("Pre", "Generic", 24)]
    [InlineData("Pre", "None", 64)]
    public void LayerNorm_AloneInABatchAndDecoded_AreBitIdentical(string placement, string norm, int width)
    {
        var model = TinyModels.OneBlock(Enum.Parse<NormPlacement>(placement), Enum.Parse<NormKind>(norm), width);
        var identity = Check(model);

        Assert.True(identity.BatchLength > identity.Tokens, "the batch must pad the sequence");
        Assert.True(identity.NormsInBatch.BitIdentical, $"norms in the batch: {identity.NormsInBatch}");
        Assert.True(identity.LogitsInBatch.BitIdentical, $"logits in the batch: {identity.LogitsInBatch}");
        Assert.True(identity.NormsDecoded.BitIdentical, $"norms decoded: {identity.NormsDecoded}");
        Assert.True(identity.LogitsDecoded.BitIdentical, $"logits decoded: {identity.LogitsDecoded}");
    }

    [Fact]
    public void BatchNorm_WithBatchStatistics_DependsOnTheBatch()
    {
        var model = TinyModels.OneBlock(NormPlacement.Pre, NormKind.BatchNorm, 64);
        model.Training = true;
        var identity = Check(model);

        Assert.False(identity.NormsInBatch.BitIdentical);
        Assert.False(identity.NormsDecoded.BitIdentical);
        Assert.True(identity.NormsInBatch.MaxAbs > 1e-3, $"norms in the batch: {identity.NormsInBatch}");
        Assert.True(identity.LogitsDecoded.MaxAbs > 1e-3, $"logits decoded: {identity.LogitsDecoded}");
    }

    [Fact]
    public void BatchNorm_WithRunningStatistics_IsRowWise()
    {
        var model = TinyModels.OneBlock(NormPlacement.Pre, NormKind.BatchNorm, 64);
        var (_, batch) = TinyModels.MixedLengths();
        model.TrainStep(batch);    // moves the running statistics off their initial values
        model.Training = false;

        Assert.True(Check(model).AllBitIdentical);
    }

    [Fact]
    public void TheCheck_SeesADifference_WhenOneRowIsChanged()
    {
        // Guards the check itself: two spans one ulp apart are reported, and the amount is right.
        float[] a = [1, 2, 3], b = [1, MathF.BitIncrement(2), 3];
        var difference = Difference.None.Add(a, b);

        Assert.False(difference.BitIdentical);
        Assert.Equal(MathF.BitIncrement(2) - 2, difference.MaxAbs, 12);
        Assert.True(Difference.None.Add(a, a).BitIdentical);
    }

    private static SequenceIdentity Check(DecoderModel model)
    {
        var sequences = TinyModels.Task.Make(32, seed: 5);
        int subject = TinyModels.First(sequences, 2);
        // Companions of 1 and 3 symbols: shorter and longer than the subject's 2, so its batch is padded.
        int[] companions =
            [TinyModels.First(sequences, 1), TinyModels.First(sequences, 3), TinyModels.First(sequences, 1)];
        return SequenceIdentity.Check(model, sequences, subject, companions);
    }
}
