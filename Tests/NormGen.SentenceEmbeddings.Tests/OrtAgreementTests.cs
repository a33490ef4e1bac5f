using System;
using System.Linq;
using NormGen.Samples.SentenceEmbeddings;
using NormGen.Samples.SentenceEmbeddings.Model;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary>NormGen's encoder against ONNX Runtime on the same model.onnx and the same tokens, in every ISA configuration CI runs.</summary>
[Collection(ModelCollection.Name)]
public sealed class OrtAgreementTests(ModelFixture fixture)
{
    public static readonly TheoryData<string, string> Sentences = new()
    {
        { "short", "A man is playing a guitar." },
        { "punctuation", "Wait... what?! (Really) -- \"yes\"; no: [maybe] {ok} #1 @home 50% $3.14 & more..." },
        { "non-ASCII", "Il pleut à Paris; le café est fermé. Müller's Straße — naïve façade, 東京タワー, Ελληνικά, 🙂" },
        { "long, past 256 tokens", string.Join(" ", Enumerable.Repeat(
            "Layer normalization rescales every token's features, and BERT's epsilon is 1e-12.", 20)) },
    };

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Embedding_agrees_with_onnx_runtime(string kind, string sentence)
    {
        int[] tokens = fixture.Model.Tokenizer.Encode(sentence);
        float[] ours = MiniLmModel.Embed(fixture.Model.CreateEncoder(), [tokens])[0];
        float[] theirs = fixture.Ort.Embed([tokens])[0];

        double cosine = Pooling.Cosine(ours, theirs);
        double difference = Pooling.MaxAbsDifference(ours, theirs);
        Assert.True(cosine >= Demo.MinCosine, $"{kind}: cosine {cosine:R}");
        Assert.True(difference <= Demo.MaxDifference, $"{kind}: max |difference| {difference:R}");
        Assert.Equal(BertConfig.Hidden, ours.Length);
        Assert.Equal(1.0, Math.Sqrt(ours.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void Long_text_is_cut_to_256_tokens_as_sentence_transformers_does()
    {
        string sentence = (string)Sentences.First(row => (string)row[0] == "long, past 256 tokens")[1];
        Assert.True(fixture.Model.Tokenizer.CountPieces(sentence) > 254);
        int[] tokens = fixture.Model.Tokenizer.Encode(sentence);
        Assert.Equal(BertConfig.MaxTokens, tokens.Length);
        Assert.Equal(fixture.Model.Tokenizer.ClassificationId, tokens[0]);
        Assert.Equal(fixture.Model.Tokenizer.SeparatorId, tokens[^1]);
    }

    [Fact]
    public void Every_norm_engine_agrees_with_onnx_runtime()
    {
        int[] tokens = fixture.Model.Tokenizer.Encode("The film was really great!");
        float[] theirs = fixture.Ort.Embed([tokens])[0];
        foreach (NormEngine norm in NormEngine.All)
        {
            float[] ours = MiniLmModel.Embed(fixture.Model.CreateEncoder(norm), [tokens])[0];
            Assert.True(Pooling.MaxAbsDifference(ours, theirs) <= Demo.MaxDifference, norm.Name);
        }
    }
}
