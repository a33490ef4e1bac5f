using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Tokenizers;
using NormGen.Samples.SentenceEmbeddings.Model;

namespace NormGen.Samples.SentenceEmbeddings.Text;

/// <summary>
/// WordPiece tokens for all-MiniLM-L6-v2 from Microsoft.ML.Tokenizers' BertTokenizer on the model's vocab.txt,
/// configured as sentence-transformers configures this model (its tokenizer.json): lower-casing with accents
/// stripped, basic (punctuation and CJK) splitting, [CLS] … [SEP], and at most 256 tokens: a longer text keeps its
/// first 254 word pieces.
/// </summary>
internal sealed class MiniLmTokenizer
{
    private readonly BertTokenizer _tokenizer;

    public MiniLmTokenizer(Stream vocabulary)
    {
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true, // BERT uncased strips accents along with lower-casing
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
        });
    }

    public int ClassificationId => _tokenizer.ClassificationTokenId;
    public int SeparatorId => _tokenizer.SeparatorTokenId;

    /// <summary>[CLS], the text's word pieces (at most 254), [SEP].</summary>
    public int[] Encode(string text)
    {
        IReadOnlyList<int> pieces = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        int n = Math.Min(pieces.Count, BertConfig.MaxTokens - 2);
        var ids = new int[n + 2];
        ids[0] = ClassificationId;
        for (int i = 0; i < n; i++) ids[i + 1] = pieces[i];
        ids[n + 1] = SeparatorId;
        return ids;
    }

    /// <summary>The number of word pieces before truncation, so a caller can say when a text was cut.</summary>
    public int CountPieces(string text) => _tokenizer.EncodeToIds(text, addSpecialTokens: false).Count;
}
