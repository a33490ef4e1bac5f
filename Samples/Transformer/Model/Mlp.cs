using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>The position-wise MLP branch: Linear(width → mlpWidth), GELU, Linear(mlpWidth → width).</summary>
internal sealed class Mlp : Sublayer
{
    private readonly Dense _up, _down;
    private readonly float[] _preActivation, _activation, _tanh, _dActivation;

    public Mlp(string name, ModelConfig config, int maxRows, Random random)
    {
        _up = new Dense(name + ".up", config.Width, config.MlpWidth, 1 / Math.Sqrt(config.Width), random);
        _down = new Dense(name + ".down", config.MlpWidth, config.Width, 1 / Math.Sqrt(config.MlpWidth), random);
        Parameters = [.. _up.Parameters, .. _down.Parameters];
        _preActivation = new float[maxRows * config.MlpWidth];
        _activation = new float[maxRows * config.MlpWidth];
        _tanh = new float[maxRows * config.MlpWidth];
        _dActivation = new float[maxRows * config.MlpWidth];
    }

    public override IReadOnlyList<Parameter> Parameters { get; }

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Batch batch)
    {
        _up.Forward(input, _preActivation, batch);
        GeluRows.Forward(_preActivation, _activation, _tanh, batch, _up.Outputs);
        _down.Forward(_activation, output, batch);
    }

    public override void Backward(
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> input, Span<float> dInput, Batch batch)
    {
        _down.Backward(dOutput, _activation, _dActivation, batch);
        GeluRows.Backward(_dActivation, _preActivation, _tanh, _dActivation, batch, _up.Outputs);
        _up.Backward(_dActivation, input, dInput, batch);
    }
}
