using System;
using System.Collections.Generic;

namespace NormGen.Samples.Training;

/// <summary>Adam over a list of (parameter, gradient) pairs.</summary>
internal sealed class Adam(IReadOnlyList<(float[] Parameter, float[] Gradient)> parameters, float learningRate)
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f;
    private readonly float[][] _m = Moments(parameters);
    private readonly float[][] _v = Moments(parameters);
    private int _step;

    public void Step()
    {
        _step++;
        float correction1 = 1 - MathF.Pow(Beta1, _step), correction2 = 1 - MathF.Pow(Beta2, _step);
        for (int p = 0; p < parameters.Count; p++)
        {
            var (parameter, gradient) = parameters[p];
            float[] m = _m[p], v = _v[p];
            for (int i = 0; i < parameter.Length; i++)
            {
                float g = gradient[i];
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                parameter[i] -= learningRate * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + Eps);
            }
        }
    }

    private static float[][] Moments(IReadOnlyList<(float[] Parameter, float[] Gradient)> parameters)
    {
        var moments = new float[parameters.Count][];
        for (int p = 0; p < parameters.Count; p++)
            moments[p] = new float[parameters[p].Parameter.Length];
        return moments;
    }
}
