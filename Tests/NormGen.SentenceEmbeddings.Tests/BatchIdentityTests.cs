using System;
using System.Linq;
using NormGen.Samples.SentenceEmbeddings;
using NormGen.Samples.SentenceEmbeddings.Model;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary>
/// LayerNorm's batch independence in a real model: a sentence padded and masked in a batch gets exactly the bits it
/// gets alone, whatever the other sentences are and wherever it sits.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class BatchIdentityTests(ModelFixture fixture)
{
    private static readonly string[] Sentences =
    [
        "Hi.",
        "A man is playing a guitar.",
        "The quick brown fox jumps over the lazy dog, and then it runs far away into the dark forest.",
        "Il pleut à Paris aujourd'hui.",
        "Short one, still short",
        "Normalization layers keep a transformer's activations well scaled, even with outlier features.",
    ];

    [Fact]
    public void Padded_batch_gives_each_sentence_its_bits_alone()
    {
        BertEncoder encoder = fixture.Model.CreateEncoder();
        int[][] tokens = fixture.Model.Tokenize(Sentences);
        Assert.True(tokens.Select(t => t.Length).Distinct().Count() == tokens.Length, "lengths should differ");
        float[][] alone = tokens.Select(t => MiniLmModel.Embed(encoder, [t])[0]).ToArray();

        float[][] batched = MiniLmModel.Embed(encoder, tokens);
        float[][] reversed = MiniLmModel.Embed(encoder, tokens.Reverse().ToArray()).Reverse().ToArray();
        float[][] inPairs = MiniLmModel.Embed(encoder, tokens, batchSize: 2);
        for (int i = 0; i < tokens.Length; i++)
        {
            Assert.True(alone[i].AsSpan().SequenceEqual(batched[i]), $"sentence {i} in the batch");
            Assert.True(alone[i].AsSpan().SequenceEqual(reversed[i]), $"sentence {i} in the reversed batch");
            Assert.True(alone[i].AsSpan().SequenceEqual(inPairs[i]), $"sentence {i} in batches of 2");
        }
    }

    [Fact]
    public void Real_tokens_hidden_states_do_not_depend_on_padding()
    {
        BertEncoder encoder = fixture.Model.CreateEncoder();
        int[] shortOne = fixture.Model.Tokenizer.Encode(Sentences[1]);
        int[] longOne = fixture.Model.Tokenizer.Encode(Sentences[2]);
        float[] alone = encoder.Forward(new TokenBatch([shortOne]));
        var batch = new TokenBatch([longOne, shortOne]);
        float[] padded = encoder.Forward(batch);
        int h = BertConfig.Hidden;
        Assert.True(alone.AsSpan().SequenceEqual(padded.AsSpan(batch.Length * h, shortOne.Length * h)));
    }
}
