using System;
using System.Linq;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>The copy task and the padded batch: what the model reads, what it is scored on, and the padding.</summary>
public class TaskTests
{
    [Fact]
    public void Sequences_AreSeeded_AndCopyTheirStringAfterTheSeparator()
    {
        var task = new CopyTask(symbols: 5, minLength: 1, maxLength: 4);
        var first = task.Make(50, seed: 9);
        var again = task.Make(50, seed: 9);

        Assert.Equal(first.Select(s => string.Join(",", s.Tokens)), again.Select(s => string.Join(",", s.Tokens)));
        foreach (var sequence in first)
        {
            int n = sequence.FirstScored - 1;
            Assert.InRange(n, 1, 4);
            Assert.Equal(CopyTask.Begin, sequence.Tokens[0]);
            Assert.Equal(CopyTask.Separator, sequence.Tokens[n + 1]);
            Assert.Equal(CopyTask.End, sequence.Tokens[^1]);
            Assert.Equal(sequence.Tokens[1..(n + 1)], sequence.Tokens[(n + 2)..(2 * n + 2)]);
            Assert.All(sequence.Tokens[1..(n + 1)], t => Assert.InRange(t, CopyTask.FirstSymbol, task.Vocabulary - 1));
        }
        Assert.Equal(4, first.Select(s => s.InputLength).Distinct().Count());   // every length 1..4 occurs
    }

    [Fact]
    public void Batch_PadsToTheLongest_AndScoresOnlyTheCopy()
    {
        var (sequences, batch) = TinyModels.MixedLengths();   // 1, 3 and 2 symbols: inputs of 4, 8 and 6 tokens

        Assert.Equal(3, batch.Count);
        Assert.Equal(8, batch.Length);
        Assert.Equal([4, 8, 6], batch.Lengths.ToArray());
        Assert.Equal(18, batch.TokenRows);
        // The first sequence: BOS a SEP a | padding. Scored from SEP (row 2, target a) to the copy (row 3, target EOS).
        Assert.Equal([-1, -1, batch.Tokens[1], CopyTask.End, -1, -1, -1, -1], batch.Targets[..8].ToArray());
        Assert.True(batch.IsToken(3));
        Assert.False(batch.IsToken(4));
        Assert.All(batch.Tokens[4..8].ToArray(), t => Assert.Equal(CopyTask.Pad, t));
    }

    [Fact]
    public void Batch_RefusesMoreThanItHolds_AndARowCountTooShort()
    {
        var (sequences, _) = TinyModels.MixedLengths();
        var batch = new Batch(2, TinyModels.Task.MaxInputLength);

        Assert.Throws<ArgumentException>(() => batch.Fill(sequences, new int[3]));
        int longest = TinyModels.First(sequences, 3);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => batch.Fill(sequences, [longest], length: 4, prefix: int.MaxValue));
    }

    [Fact]
    public void TheModel_RefusesABatchLargerThanItsBuffers()
    {
        var model = TinyModels.OneBlock(NormPlacement.Pre, NormKind.Generated, 64);   // room for 4 sequences
        var sequences = TinyModels.Task.Make(8, seed: 5);
        var batch = new Batch(8, TinyModels.Task.MaxInputLength);
        batch.Fill(sequences, Enumerable.Range(0, 5).ToArray());

        var error = Assert.Throws<ArgumentException>(() => model.Forward(batch));
        Assert.Contains("4 sequences", error.Message);
    }
}
