using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// The attention branch: q, k, v = Linear(input); per head, out_i = Σ_{j ≤ i} softmax_j(q_i · k_j / √d_head) v_j;
/// then Linear(width → width). A token attends to itself and the tokens before it in its own sequence, never to
/// padding (which only ever follows a sequence's tokens) and never to another sequence of the batch.
/// </summary>
/// <remarks>
/// The softmax and the weighted sum run over j = 0, 1, … i in that order, and the dot products in an order fixed by
/// the head width (<see cref="HeadVectors"/>): a token's output is then the same bits however long its sequence is
/// and wherever its rows sit, which is what lets a prefix decoded alone reproduce the full sequence exactly.
/// </remarks>
internal sealed class CausalSelfAttention : Sublayer
{
    private readonly Dense _qkv, _output;
    private readonly int _width, _heads, _headWidth, _maxLength;
    private readonly float _scale;
    private readonly float[] _qkvRows, _context, _dContext, _dQkvRows;
    // Attention weights of the last forward: [sequence, head, query i, key j], j ≤ i.
    private readonly float[] _weights;
    private readonly float[] _dWeights;

    public CausalSelfAttention(string name, ModelConfig config, int maxSequences, Random random)
    {
        _width = config.Width;
        _heads = config.Heads;
        _headWidth = config.HeadWidth;
        _maxLength = config.MaxLength;
        _scale = 1 / MathF.Sqrt(_headWidth);
        _qkv = new Dense(name + ".qkv", _width, 3 * _width, 1 / Math.Sqrt(_width), random);
        _output = new Dense(name + ".output", _width, _width, 1 / Math.Sqrt(_width), random);
        Parameters = [.. _qkv.Parameters, .. _output.Parameters];
        int maxRows = maxSequences * config.MaxLength;
        _qkvRows = new float[maxRows * 3 * _width];
        _dQkvRows = new float[maxRows * 3 * _width];
        _context = new float[maxRows * _width];
        _dContext = new float[maxRows * _width];
        _weights = new float[maxSequences * _heads * _maxLength * _maxLength];
        _dWeights = new float[_maxLength];
    }

    public override IReadOnlyList<Parameter> Parameters { get; }

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Batch batch)
    {
        _qkv.Forward(input, _qkvRows, batch);
        Span<float> context = _context.AsSpan(0, batch.Rows * _width);
        context.Clear();   // padding rows stay zero
        for (int b = 0; b < batch.Count; b++)
            for (int head = 0; head < _heads; head++)
                for (int i = 0; i < batch.Lengths[b]; i++)
                    AttendForward(batch, b, head, i);
        _output.Forward(_context, output, batch);
    }

    public override void Backward(
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, Span<float> dInput, Batch batch)
    {
        _output.Backward(dOutput, _context, _dContext, batch);
        _dQkvRows.AsSpan(0, batch.Rows * 3 * _width).Clear();
        for (int b = 0; b < batch.Count; b++)
            for (int head = 0; head < _heads; head++)
                for (int i = 0; i < batch.Lengths[b]; i++)
                    AttendBackward(batch, b, head, i);
        _qkv.Backward(_dQkvRows, input, dInput, batch);
    }

    private void AttendForward(Batch batch, int b, int head, int i)
    {
        ReadOnlySpan<float> query = Query(_qkvRows, batch, b, i, head);
        Span<float> weights = Weights(batch, b, head, i);

        // Scalar math: s_j = q·k_j / √d; p_j = exp(s_j − max s) / Σ exp(s − max s).
        float max = float.NegativeInfinity;
        for (int j = 0; j <= i; j++)
        {
            weights[j] = HeadVectors.Dot(query, Key(_qkvRows, batch, b, j, head)) * _scale;
            max = MathF.Max(max, weights[j]);
        }
        float total = 0;
        for (int j = 0; j <= i; j++)
        {
            weights[j] = MathF.Exp(weights[j] - max);
            total += weights[j];
        }
        for (int j = 0; j <= i; j++) weights[j] /= total;

        // out_i = Σ_j p_j v_j, accumulated in order of j.
        Span<float> context = _context.AsSpan((b * batch.Length + i) * _width + head * _headWidth, _headWidth);
        for (int j = 0; j <= i; j++)
            HeadVectors.AddScaled(weights[j], Value(_qkvRows, batch, b, j, head), context);
    }

    private void AttendBackward(Batch batch, int b, int head, int i)
    {
        ReadOnlySpan<float> weights = Weights(batch, b, head, i);
        int row = b * batch.Length + i;
        ReadOnlySpan<float> dContext = _dContext.AsSpan(row * _width + head * _headWidth, _headWidth);
        Span<float> dWeights = _dWeights.AsSpan(0, i + 1);

        // dp_j = dout_i · v_j; dv_j += p_j dout_i.
        float weighted = 0;
        for (int j = 0; j <= i; j++)
        {
            dWeights[j] = HeadVectors.Dot(dContext, Value(_qkvRows, batch, b, j, head));
            weighted += weights[j] * dWeights[j];
            HeadVectors.AddScaled(weights[j], dContext, Value(_dQkvRows, batch, b, j, head));
        }

        // Softmax backward: ds_j = p_j (dp_j − Σ_k p_k dp_k);
        // then dq_i += ds_j k_j / √d and dk_j += ds_j q_i / √d.
        ReadOnlySpan<float> query = Query(_qkvRows, batch, b, i, head);
        Span<float> dQuery = Query(_dQkvRows, batch, b, i, head);
        for (int j = 0; j <= i; j++)
        {
            float dScore = weights[j] * (dWeights[j] - weighted) * _scale;
            HeadVectors.AddScaled(dScore, Key(_qkvRows, batch, b, j, head), dQuery);
            HeadVectors.AddScaled(dScore, query, Key(_dQkvRows, batch, b, j, head));
        }
    }

    private Span<float> Weights(Batch batch, int b, int head, int i) =>
        _weights.AsSpan(((b * _heads + head) * _maxLength + i) * _maxLength, i + 1);

    // q, k and v of token t of sequence b, one head's slice of its qkv row.
    private Span<float> Query(float[] rows, Batch batch, int b, int t, int head) => Slice(rows, batch, b, t, head, 0);
    private Span<float> Key(float[] rows, Batch batch, int b, int t, int head) => Slice(rows, batch, b, t, head, 1);
    private Span<float> Value(float[] rows, Batch batch, int b, int t, int head) => Slice(rows, batch, b, t, head, 2);

    private Span<float> Slice(float[] rows, Batch batch, int b, int t, int head, int part) =>
        rows.AsSpan((b * batch.Length + t) * 3 * _width + part * _width + head * _headWidth, _headWidth);
}
