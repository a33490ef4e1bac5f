using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>h = token embedding + position embedding, for the token rows of a batch; padding rows are zero.</summary>
internal sealed class Embedding
{
    private readonly Parameter _tokens, _positions;
    private readonly int _width;

    public Embedding(ModelConfig config, Random random)
    {
        _width = config.Width;
        _tokens = new Parameter("embedding.tokens", config.Vocabulary * config.Width).Gaussian(1, random);
        _positions = new Parameter("embedding.positions", config.MaxLength * config.Width).Gaussian(1, random);
        Parameters = [_tokens, _positions];
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public void Forward(Batch batch, Span<float> h)
    {
        for (int row = 0; row < batch.Rows; row++)
        {
            Span<float> hRow = h.Slice(row * _width, _width);
            if (!batch.IsToken(row))
            {
                hRow.Clear();
                continue;
            }
            ReadOnlySpan<float> token = TokenRow(_tokens.Value, batch.Tokens[row]);
            TensorPrimitives.Add(token, TokenRow(_positions.Value, row % batch.Length), hRow);
        }
    }

    /// <summary>Adds dh into the rows of the tokens and positions that were used.</summary>
    public void Backward(Batch batch, ReadOnlySpan<float> dh)
    {
        for (int row = 0; row < batch.Rows; row++)
        {
            if (!batch.IsToken(row)) continue;
            ReadOnlySpan<float> dhRow = dh.Slice(row * _width, _width);
            Span<float> token = TokenRow(_tokens.Gradient, batch.Tokens[row]);
            Span<float> position = TokenRow(_positions.Gradient, row % batch.Length);
            TensorPrimitives.Add(token, dhRow, token);
            TensorPrimitives.Add(position, dhRow, position);
        }
    }

    private Span<float> TokenRow(float[] table, int index) => table.AsSpan(index * _width, _width);
}
