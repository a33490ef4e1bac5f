using System;

namespace NormGen.Samples.Training;

/// <summary>GELU, tanh form: 0.5 · z · (1 + tanh(√(2/π) · (z + 0.044715 · z³))).</summary>
internal static class Gelu
{
    private const float C = 0.7978845608f;   // √(2/π)
    private const float K = 0.044715f;

    public static void Forward(ReadOnlySpan<float> z, Span<float> y)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            y[i] = 0.5f * v * (1 + MathF.Tanh(C * (v + K * v * v * v)));
        }
    }

    /// <summary>dz = dy · GELU'(z).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> z, Span<float> dz)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            float t = MathF.Tanh(C * (v + K * v * v * v));
            float derivative = 0.5f * (1 + t) + 0.5f * v * (1 - t * t) * C * (1 + 3 * K * v * v);
            dz[i] = dy[i] * derivative;
        }
    }
}
