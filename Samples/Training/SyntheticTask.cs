using System;

namespace NormGen.Samples.Training;

/// <summary>Regression onto a fixed random teacher, t = tanh(T₂ · tanh(T₁ · x)), with x ~ N(0, 1).</summary>
internal static class SyntheticTask
{
    public static (float[] Inputs, float[] Targets) Make(int rows, int inputs, int outputs, int seed)
    {
        var random = new Random(seed);
        var teacher1 = new Linear(inputs, inputs, 2 / Math.Sqrt(inputs), random);
        var teacher2 = new Linear(inputs, outputs, 2 / Math.Sqrt(inputs), random);
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)Linear.Gaussian(random);

        var hidden = new float[rows * inputs];
        teacher1.Forward(x, hidden);
        for (int i = 0; i < hidden.Length; i++) hidden[i] = MathF.Tanh(hidden[i]);
        var t = new float[rows * outputs];
        teacher2.Forward(hidden, t);
        for (int i = 0; i < t.Length; i++) t[i] = MathF.Tanh(t[i]);
        return (x, t);
    }
}
