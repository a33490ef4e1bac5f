using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// A decoder-only transformer: token and position embeddings, <see cref="ModelConfig.Blocks"/> blocks of causal
/// multi-head self-attention and a GELU MLP, each a residual branch with a norm, and a linear head over the
/// vocabulary. The norms are whatever <c>makeNorm</c> builds: a LayerNorm, BatchNorm, or the identity.
/// </summary>
/// <remarks>
/// The branches are numbered s = 0 … 2·Blocks − 1 (attention of block k is 2k, its MLP 2k + 1), and h[s] is the
/// residual stream entering branch s. Pre-LN: a[0] = norm₀(h[0]); out = f_s(a[s]);
/// (h[s+1], a[s+1]) = norm_{s+1}.ForwardResidual(out, h[s]), so every norm but the first is fused with the
/// residual add before it, and norm_{2·Blocks} is the final norm. Post-LN: out = f_s(h[s]);
/// h[s+1] = norm_s.ForwardResidual(out, h[s]), keeping the sum for the backward.
/// </remarks>
internal sealed class DecoderModel
{
    private readonly ModelConfig _config;
    private readonly Embedding _embedding;
    private readonly Sublayer[] _branches;
    private readonly Normalization[] _norms;
    private readonly Dense _head;
    private readonly float[][] _stream, _normalized;    // h[s]; pre-LN: a[s], post-LN: the sums
    private readonly float[] _branchOutput, _dStream, _dBranch, _scratch, _logits, _dLogits;
    private readonly Parameter[] _parameters;

    public DecoderModel(
        ModelConfig config, NormPlacement placement, Func<string, Normalization> makeNorm, int maxSequences, int seed)
    {
        config.Validate();
        _config = config;
        Placement = placement;
        MaxSequences = maxSequences;
        int maxRows = maxSequences * config.MaxLength;
        var random = new Random(seed);
        _embedding = new Embedding(config, random);
        _branches = new Sublayer[2 * config.Blocks];
        for (int k = 0; k < config.Blocks; k++)
        {
            _branches[2 * k] = new CausalSelfAttention($"block{k}.attention", config, maxSequences, random);
            _branches[2 * k + 1] = new Mlp($"block{k}.mlp", config, maxRows, random);
        }
        int norms = placement == NormPlacement.Pre ? _branches.Length + 1 : _branches.Length;
        _norms = new Normalization[norms];
        for (int s = 0; s < norms; s++)
            _norms[s] = makeNorm(s == _branches.Length ? "final.norm" : $"block{s / 2}.norm{s % 2 + 1}");
        _head = new Dense("head", config.Width, config.Vocabulary, 1 / Math.Sqrt(config.Width), random);

        _stream = Buffers(_branches.Length + 1, maxRows * config.Width);
        _normalized = Buffers(norms, maxRows * config.Width);
        _branchOutput = new float[maxRows * config.Width];
        _dStream = new float[maxRows * config.Width];
        _dBranch = new float[maxRows * config.Width];
        _scratch = new float[maxRows * config.Width];
        _logits = new float[maxRows * config.Vocabulary];
        _dLogits = new float[maxRows * config.Vocabulary];
        _parameters = [.. _embedding.Parameters, .. _branches.SelectMany(b => b.Parameters),
            .. _norms.SelectMany(n => n.Parameters), .. _head.Parameters];
    }

    public ModelConfig Config => _config;
    public int MaxSequences { get; }
    public NormPlacement Placement { get; }
    public IReadOnlyList<Parameter> Parameters => _parameters;
    public IReadOnlyList<Normalization> Norms => _norms;

    /// <summary>Training mode (batch statistics, for BatchNorm) or inference (running statistics).</summary>
    public bool Training
    {
        get => _norms[0].Training;
        set { foreach (var norm in _norms) norm.Training = value; }
    }

    /// <summary>The logits of the last forward, rows × vocabulary.</summary>
    public ReadOnlySpan<float> Logits(Batch batch) => _logits.AsSpan(0, batch.Rows * _config.Vocabulary);

    /// <summary>The output of norm <paramref name="index"/> in the last forward, rows × width.</summary>
    public ReadOnlySpan<float> NormOutput(int index, Batch batch)
    {
        float[] output = Placement == NormPlacement.Pre ? _normalized[index] : _stream[index + 1];
        return output.AsSpan(0, batch.Rows * _config.Width);
    }

    public void Forward(Batch batch)
    {
        if (batch.Count > MaxSequences || batch.Length > _config.MaxLength)
            throw new ArgumentException(
                $"The model holds {MaxSequences} sequences of {_config.MaxLength} tokens; the batch has " +
                $"{batch.Count} of {batch.Length}.", nameof(batch));
        _embedding.Forward(batch, _stream[0]);
        if (Placement == NormPlacement.Pre)
        {
            _norms[0].Forward(_stream[0], _normalized[0], batch);
            for (int s = 0; s < _branches.Length; s++)
            {
                _branches[s].Forward(_normalized[s], _branchOutput, batch);
                _norms[s + 1].ForwardResidual(_branchOutput, _stream[s], _stream[s + 1], _normalized[s + 1], batch);
            }
            _head.Forward(_normalized[^1], _logits, batch);
        }
        else
        {
            for (int s = 0; s < _branches.Length; s++)
            {
                _branches[s].Forward(_stream[s], _branchOutput, batch);
                _norms[s].ForwardResidual(_branchOutput, _stream[s], _normalized[s], _stream[s + 1], batch);
            }
            _head.Forward(_stream[^1], _logits, batch);
        }
    }

    /// <summary>Forward and the loss, no gradients.</summary>
    public double Loss(Batch batch, out int correct)
    {
        Forward(batch);
        return CrossEntropy.Evaluate(Logits(batch), batch, _config.Vocabulary, default, out correct);
    }

    /// <summary>Clears the gradients, then forward, loss and backward; returns the loss.</summary>
    public double TrainStep(Batch batch)
    {
        foreach (var parameter in _parameters) Array.Clear(parameter.Gradient);
        foreach (var norm in _norms) norm.UpdatesRunningStatistics = true;
        Forward(batch);
        foreach (var norm in _norms) norm.UpdatesRunningStatistics = false;
        double loss = CrossEntropy.Evaluate(Logits(batch), batch, _config.Vocabulary, _dLogits, out _);
        Backward(batch);
        return loss;
    }

    /// <summary>‖gradient‖ of block <paramref name="block"/>'s attention and MLP weights after a step.</summary>
    public double BlockGradientNorm(int block)
    {
        double squares = 0;
        for (int s = 2 * block; s <= 2 * block + 1; s++)
        {
            var parameters = _branches[s].Parameters;
            for (int p = 0; p < parameters.Count; p++)      // by index: no enumerator to allocate every step
                squares += TensorPrimitives.SumOfSquares(parameters[p].Gradient);
        }
        return Math.Sqrt(squares);
    }

    private void Backward(Batch batch)
    {
        int n = batch.Rows * _config.Width;
        Span<float> dStream = _dStream.AsSpan(0, n), dBranch = _dBranch.AsSpan(0, n), scratch = _scratch.AsSpan(0, n);
        if (Placement == NormPlacement.Pre)
        {
            // dh[s] = dh[s+1] (the residual path) + norm_s's backward of f_s's backward of dh[s+1].
            _head.Backward(_dLogits, _normalized[^1], dBranch, batch);
            _norms[^1].Backward(dBranch, _stream[^1], dStream, batch);
            for (int s = _branches.Length - 1; s >= 0; s--)
            {
                _branches[s].Backward(dStream, _normalized[s], dBranch, batch);
                _norms[s].Backward(dBranch, _stream[s], scratch, batch);
                TensorPrimitives.Add(dStream, scratch, dStream);
            }
        }
        else
        {
            // dsum = norm_s's backward of dh[s+1]; dh[s] = dsum + f_s's backward of dsum.
            _head.Backward(_dLogits, _stream[^1], dStream, batch);
            for (int s = _branches.Length - 1; s >= 0; s--)
            {
                _norms[s].Backward(dStream, _normalized[s], scratch, batch);
                _branches[s].Backward(scratch, _stream[s], dBranch, batch);
                TensorPrimitives.Add(scratch, dBranch, dStream);
            }
        }
        _embedding.Backward(batch, dStream);
    }

    private static float[][] Buffers(int count, int length)
    {
        var buffers = new float[count][];
        for (int i = 0; i < count; i++) buffers[i] = new float[length];
        return buffers;
    }
}
