using System;

namespace NormGen;

/// <summary>
/// The oracle: a plain scalar LayerNorm that accumulates in double. Slow on purpose;
/// every other path is tested against it.
/// </summary>
public static class LayerNormReference
{
    /// <summary>y = (x − mean) / sqrt(var + epsilon) · gamma + beta, row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(x, gamma, beta, y, hiddenSize, epsilon);
        for (int r = 0; r < rows; r++)
            ForwardRow(x.Slice(r * hiddenSize, hiddenSize), gamma, beta, y.Slice(r * hiddenSize, hiddenSize), epsilon, out _, out _);
    }

    /// <summary>As <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>,
    /// and saves each row's mean and rstd = 1 / sqrt(var + epsilon) for the backward pass.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
        for (int r = 0; r < rows; r++)
            ForwardRow(x.Slice(r * hiddenSize, hiddenSize), gamma, beta, y.Slice(r * hiddenSize, hiddenSize), epsilon, out mean[r], out rstd[r]);
    }

    /// <summary>One row in double: the math every other path is measured against.</summary>
    internal static void ForwardRow(
        ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, ReadOnlySpan<double> beta, Span<double> y,
        double epsilon, out double mean, out double rstd)
    {
        int n = x.Length;

        // Shifted two-pass statistics: deviations from the pivot x[0] keep their digits
        // when every value is large and close, where E[x²] − E[x]² would cancel.
        double pivot = x[0];
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += x[i] - pivot;
        double offset = sum / n;                 // mean = pivot + offset

        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double centered = x[i] - pivot - offset;
            squares += centered * centered;
        }
        double variance = squares / n;           // biased, as PyTorch
        rstd = 1.0 / Math.Sqrt(variance + epsilon);

        // y = xhat · gamma + beta, with xhat = (x − mean) · rstd
        for (int i = 0; i < n; i++)
        {
            double xhat = (x[i] - pivot - offset) * rstd;
            y[i] = xhat * gamma[i] + beta[i];
        }
        mean = pivot + offset;
    }

    private static void ForwardRow(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        float epsilon, out float mean, out float rstd)
    {
        double[] yRow = new double[x.Length];
        ForwardRow(ToDouble(x), ToDouble(gamma), ToDouble(beta), yRow, epsilon, out double meanRow, out double rstdRow);
        for (int i = 0; i < yRow.Length; i++)
            y[i] = (float)yRow[i];
        mean = (float)meanRow;
        rstd = (float)rstdRow;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i];
        return result;
    }

    /// <summary>
    /// Gradients of LayerNorm. dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with g = dy · gamma;
    /// dgamma and dbeta are overwritten with Σ_rows dy · xhat and Σ_rows dy.
    /// </summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="mean">Per-row mean saved by the forward pass. Its length is checked; the row's
    /// centre is recomputed from <paramref name="x"/>, since the saved float mean is rounded.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="dbeta">Gradient with respect to beta, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        int rows = Validation.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        int n = hiddenSize;
        var dgammaSum = new double[n];
        var dbetaSum = new double[n];
        var dxRow = new double[n];
        double[] gammaRow = ToDouble(gamma);

        for (int r = 0; r < rows; r++)
        {
            BackwardRow(ToDouble(dy.Slice(r * n, n)), ToDouble(x.Slice(r * n, n)), gammaRow, rstd[r], dxRow, dgammaSum, dbetaSum);
            for (int i = 0; i < n; i++)
                dx[r * n + i] = (float)dxRow[i];
        }

        for (int i = 0; i < n; i++)
        {
            dgamma[i] = (float)dgammaSum[i];
            dbeta[i] = (float)dbetaSum[i];
        }
    }

    /// <summary>One row of the backward pass in double; adds this row's terms to dgamma and dbeta.</summary>
    internal static void BackwardRow(
        ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, double rstd,
        Span<double> dx, Span<double> dgamma, Span<double> dbeta)
    {
        int n = x.Length;

        // The same centre as the forward pass: pivot + offset, recomputed from x.
        double pivot = x[0];
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += x[i] - pivot;
        double offset = sum / n;

        // mean(g) and mean(g · xhat), with g = dy · gamma
        double sumG = 0, sumGXhat = 0;
        for (int i = 0; i < n; i++)
        {
            double xhat = (x[i] - pivot - offset) * rstd;
            double g = dy[i] * gamma[i];
            sumG += g;
            sumGXhat += g * xhat;
            dgamma[i] += dy[i] * xhat;       // dgamma = Σ_rows dy · xhat
            dbeta[i] += dy[i];               // dbeta  = Σ_rows dy
        }
        double meanG = sumG / n, meanGXhat = sumGXhat / n;

        // dx = rstd · (g − mean(g) − xhat · mean(g · xhat))
        for (int i = 0; i < n; i++)
        {
            double xhat = (x[i] - pivot - offset) * rstd;
            double g = dy[i] * gamma[i];
            dx[i] = rstd * (g - meanG - xhat * meanGXhat);
        }
    }
}
