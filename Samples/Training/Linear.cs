using System;
using System.Numerics.Tensors;

namespace NormGen.Samples.Training;

/// <summary>y = x · Wᵀ + b over a batch of rows; the gradients accumulate until <see cref="ZeroGrad"/>.</summary>
internal sealed class Linear
{
    public Linear(int inputs, int outputs, double initStd, Random random)
    {
        Inputs = inputs;
        Outputs = outputs;
        Weight = new float[outputs * inputs];
        Bias = new float[outputs];
        WeightGrad = new float[Weight.Length];
        BiasGrad = new float[outputs];
        for (int i = 0; i < Weight.Length; i++)
            Weight[i] = (float)(initStd * Gaussian(random));
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public float[] Weight { get; }
    public float[] Bias { get; }
    public float[] WeightGrad { get; }
    public float[] BiasGrad { get; }

    public void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        int rows = x.Length / Inputs;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xRow = x.Slice(r * Inputs, Inputs);
            for (int o = 0; o < Outputs; o++)
                y[r * Outputs + o] = TensorPrimitives.Dot(xRow, Weight.AsSpan(o * Inputs, Inputs)) + Bias[o];
        }
    }

    /// <summary>dx = dy · W; dW += dyᵀ · x; db += Σ dy.</summary>
    public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        int rows = x.Length / Inputs;
        dx.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xRow = x.Slice(r * Inputs, Inputs);
            Span<float> dxRow = dx.Slice(r * Inputs, Inputs);
            for (int o = 0; o < Outputs; o++)
            {
                float g = dy[r * Outputs + o];
                Span<float> weightRow = Weight.AsSpan(o * Inputs, Inputs);
                Span<float> gradRow = WeightGrad.AsSpan(o * Inputs, Inputs);
                TensorPrimitives.MultiplyAdd(weightRow, g, dxRow, dxRow);
                TensorPrimitives.MultiplyAdd(xRow, g, gradRow, gradRow);
                BiasGrad[o] += g;
            }
        }
    }

    public void ZeroGrad()
    {
        Array.Clear(WeightGrad);
        Array.Clear(BiasGrad);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
