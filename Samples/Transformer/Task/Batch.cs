using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// A padded batch: <see cref="Count"/> sequences, each laid out in <see cref="Length"/> rows (the longest
/// input in the batch), so token t of sequence b is row <c>b · Length + t</c>. Rows past a sequence's own
/// length are padding: every layer skips them, attention never looks at them, the loss does not score them,
/// and BatchNorm leaves them out of its statistics.
/// </summary>
internal sealed class Batch
{
    private readonly int[] _tokens;
    private readonly int[] _targets;
    private readonly int[] _lengths;
    private readonly int[] _tokenRows;
    private int _tokenRowCount;

    /// <summary>Room for <paramref name="maxSequences"/> sequences of <paramref name="maxLength"/> tokens.</summary>
    public Batch(int maxSequences, int maxLength)
    {
        MaxSequences = maxSequences;
        MaxLength = maxLength;
        _tokens = new int[maxSequences * maxLength];
        _targets = new int[maxSequences * maxLength];
        _lengths = new int[maxSequences];
        _tokenRows = new int[maxSequences * maxLength];
    }

    public int MaxSequences { get; }
    public int MaxLength { get; }

    /// <summary>Sequences in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Rows per sequence: the longest input in the batch.</summary>
    public int Length { get; private set; }

    /// <summary>Count · Length.</summary>
    public int Rows => Count * Length;

    /// <summary>Token ids, one per row; <see cref="CopyTask.Pad"/> in padding rows.</summary>
    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, Rows);

    /// <summary>The token each row must predict, or −1 where nothing is scored.</summary>
    public ReadOnlySpan<int> Targets => _targets.AsSpan(0, Rows);

    /// <summary>Each sequence's own length in rows; the rest of its rows are padding.</summary>
    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

    /// <summary>Fills the batch with <paramref name="sequences"/>[<paramref name="order"/>[i]].</summary>
    public void Fill(IReadOnlyList<Sequence> sequences, ReadOnlySpan<int> order)
    {
        int length = 0;
        foreach (int index in order) length = Math.Max(length, sequences[index].InputLength);
        Fill(sequences, order, length, prefix: int.MaxValue);
    }

    /// <summary>
    /// The general form: each sequence cut to its first <paramref name="prefix"/> tokens, and the batch padded to
    /// <paramref name="length"/> rows per sequence (at least the longest input). Decoding token by token uses the
    /// prefix; placing a sequence among longer ones uses the length.
    /// </summary>
    public void Fill(IReadOnlyList<Sequence> sequences, ReadOnlySpan<int> order, int length, int prefix)
    {
        if (order.Length > MaxSequences)
            throw new ArgumentException(
                $"The batch holds at most {MaxSequences} sequences, not {order.Length}.", nameof(order));
        if (length > MaxLength)
            throw new ArgumentOutOfRangeException(
                nameof(length), length, $"The batch holds at most {MaxLength} rows per sequence.");
        Count = order.Length;
        Length = length;
        _tokenRowCount = 0;
        for (int b = 0; b < order.Length; b++)
        {
            Sequence sequence = sequences[order[b]];
            int own = Math.Min(sequence.InputLength, prefix);
            if (own > length)
                throw new ArgumentOutOfRangeException(nameof(length), length, $"Sequence {order[b]} needs {own} rows.");
            _lengths[b] = own;
            for (int t = 0; t < length; t++)
            {
                int row = b * length + t;
                bool isToken = t < own;
                _tokens[row] = isToken ? sequence.Tokens[t] : CopyTask.Pad;
                _targets[row] = isToken && t >= sequence.FirstScored ? sequence.Tokens[t + 1] : -1;
                if (isToken) _tokenRows[_tokenRowCount++] = row;
            }
        }
    }

    /// <summary>True for a row that holds a token, false for padding.</summary>
    public bool IsToken(int row) => row % Length < _lengths[row / Length];

    /// <summary>The rows that hold tokens, in order; the layers compute these and skip the padding.</summary>
    public ReadOnlySpan<int> TokenRowIndices => _tokenRows.AsSpan(0, _tokenRowCount);

    /// <summary>How many rows hold tokens.</summary>
    public int TokenRows => _tokenRowCount;
}
