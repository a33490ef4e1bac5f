using System;

namespace NormGen.Samples.Transformer;

/// <summary>A learned tensor and its gradient, which accumulates until it is cleared.</summary>
internal sealed class Parameter
{
    public Parameter(string name, int length)
    {
        Name = name;
        Value = new float[length];
        Gradient = new float[length];
    }

    public string Name { get; }
    public float[] Value { get; }
    public float[] Gradient { get; }

    /// <summary>Fills the value with N(0, std²) draws.</summary>
    public Parameter Gaussian(double std, Random random)
    {
        for (int i = 0; i < Value.Length; i++)
        {
            // Box–Muller: a standard normal from two uniforms.
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            Value[i] = (float)(std * radius * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return this;
    }

    /// <summary>Fills the value with <paramref name="value"/>.</summary>
    public Parameter Fill(float value)
    {
        Value.AsSpan().Fill(value);
        return this;
    }
}
