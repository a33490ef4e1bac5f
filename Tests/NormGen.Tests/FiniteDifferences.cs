using System;

namespace NormGen.Tests;

/// <summary>Central finite differences in double, shared by the gradient checks.</summary>
internal static class FiniteDifferences
{
    /// <summary>dLoss/dvalues[i] ≈ (L(v + h) − L(v − h)) / (step actually taken), restoring values[i] afterwards.</summary>
    public static double Derivative(double[] values, int i, double h, Func<double> loss)
    {
        double saved = values[i];
        double up = saved + h, down = saved - h;    // divide by the step actually taken, after rounding
        values[i] = up;
        double plus = loss();
        values[i] = down;
        double minus = loss();
        values[i] = saved;
        return (plus - minus) / (up - down);
    }

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
