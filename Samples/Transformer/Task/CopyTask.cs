using System;

namespace NormGen.Samples.Transformer;

/// <summary>
/// The synthetic next-token task: copy a random string after a delimiter. A sequence is
/// <c>BOS a₁ … aₙ SEP a₁ … aₙ EOS</c> with n drawn uniformly from
/// [<see cref="MinLength"/>, <see cref="MaxLength"/>], so sequences in a batch have different lengths and need padding.
/// </summary>
/// <remarks>
/// Only the copied half is predictable, so only it is scored: the targets are a₁ … aₙ and EOS, predicted from
/// SEP and the copied tokens. Predicting them needs attention (each copied token sits n + 1 places back), and a
/// model that has not learned the task scores about ln(<see cref="Symbols"/>) per token; one that has, near 0.
/// </remarks>
internal sealed class CopyTask
{
    public const int Pad = 0, Begin = 1, Separator = 2, End = 3, FirstSymbol = 4;

    public CopyTask(int symbols, int minLength, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(symbols, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, minLength);
        Symbols = symbols;
        MinLength = minLength;
        MaxLength = maxLength;
    }

    /// <summary>How many distinct symbols the strings are drawn from.</summary>
    public int Symbols { get; }

    /// <summary>Shortest string to copy.</summary>
    public int MinLength { get; }

    /// <summary>Longest string to copy.</summary>
    public int MaxLength { get; }

    /// <summary>Token ids in use: the four markers, then the symbols.</summary>
    public int Vocabulary => FirstSymbol + Symbols;

    /// <summary>The longest model input: BOS, the string, SEP, the copy (EOS is only a target).</summary>
    public int MaxInputLength => 2 * MaxLength + 2;

    /// <summary>Draws <paramref name="count"/> sequences; the same seed gives the same sequences.</summary>
    public Sequence[] Make(int count, int seed)
    {
        var random = new Random(seed);
        var sequences = new Sequence[count];
        for (int s = 0; s < count; s++)
        {
            int n = random.Next(MinLength, MaxLength + 1);
            var tokens = new int[2 * n + 3];
            tokens[0] = Begin;
            for (int i = 0; i < n; i++)
            {
                int symbol = FirstSymbol + random.Next(Symbols);
                tokens[1 + i] = symbol;
                tokens[n + 2 + i] = symbol;
            }
            tokens[n + 1] = Separator;
            tokens[2 * n + 2] = End;
            sequences[s] = new Sequence(tokens, FirstScored: n + 1);
        }
        return sequences;
    }
}

/// <summary>
/// One sequence of the task. The model reads <c>Tokens[0 .. InputLength)</c> and at each position t predicts
/// <c>Tokens[t + 1]</c>; positions from <paramref name="FirstScored"/> on (SEP and the copy) are scored.
/// </summary>
internal sealed record Sequence(int[] Tokens, int FirstScored)
{
    /// <summary>Positions the model reads: every token but the last.</summary>
    public int InputLength => Tokens.Length - 1;
}
