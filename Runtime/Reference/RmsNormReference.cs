using System;

namespace NormGen;

/// <summary>
/// The RMSNorm oracle: plain scalar code that accumulates in double. Slow on purpose;
/// <see cref="RmsNorm"/> and generated RMSNorm kernels are tested against it.
/// </summary>
public static partial class RmsNormReference
{
    /// <inheritdoc cref="RmsNorm.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, y, default, rows, hiddenSize, epsilon);
    }

    /// <inheritdoc cref="RmsNorm.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, default, y, default, rstd, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <inheritdoc cref="RmsNorm.Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, int hiddenSize)
    {
        int rows = Validation.Backward(NormParts.Gamma, dy, x, gamma, default, rstd, dx, dgamma, default, hiddenSize);
        int n = hiddenSize;
        var dgammaSum = new double[n];
        var dxRow = new double[n];
        double[] gammaRow = LayerNormReference.ToDouble(gamma);

        for (int r = 0; r < rows; r++)
        {
            BackwardRow(LayerNormReference.ToDouble(dy.Slice(r * n, n)), LayerNormReference.ToDouble(x.Slice(r * n, n)), gammaRow, rstd[r], dxRow, dgammaSum);
            for (int i = 0; i < n; i++)
                dx[r * n + i] = (float)dxRow[i];
        }
        for (int i = 0; i < n; i++)
            dgamma[i] = (float)dgammaSum[i];
    }

    /// <inheritdoc cref="RmsNorm.ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    public static void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Residual, x, residual, gamma, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, sum, y, default, rows, hiddenSize, epsilon);
    }

    /// <inheritdoc cref="RmsNorm.ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    public static void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        int rows = Validation.Forward(NormParts.Gamma | NormParts.Rstd | NormParts.Residual, x, residual, gamma, default, sum, y, default, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, sum, y, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>One row in double: rstd = 1 / sqrt(mean(x²) + eps); y = x · rstd · gamma.</summary>
    internal static void ForwardRow(ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, Span<double> y, double epsilon, out double rstd)
    {
        int n = x.Length;
        double squares = 0;
        for (int i = 0; i < n; i++)
            squares += x[i] * x[i];
        rstd = 1.0 / Math.Sqrt(squares / n + epsilon);

        for (int i = 0; i < n; i++)
            y[i] = x[i] * rstd * gamma[i];
    }

    /// <summary>One row of the backward pass in double; adds this row's dy · xhat to dgamma.</summary>
    internal static void BackwardRow(
        ReadOnlySpan<double> dy, ReadOnlySpan<double> x, ReadOnlySpan<double> gamma, double rstd,
        Span<double> dx, Span<double> dgamma)
    {
        int n = x.Length;

        // mean(g · xhat), with g = dy · gamma and xhat = x · rstd
        double sumGXhat = 0;
        for (int i = 0; i < n; i++)
        {
            double xhat = x[i] * rstd;
            sumGXhat += dy[i] * gamma[i] * xhat;
            dgamma[i] += dy[i] * xhat;       // dgamma = Σ_rows dy · xhat
        }
        double meanGXhat = sumGXhat / n;

        // dx = rstd · (g − xhat · mean(g · xhat))
        for (int i = 0; i < n; i++)
        {
            double xhat = x[i] * rstd;
            dx[i] = rstd * (dy[i] * gamma[i] - xhat * meanGXhat);
        }
    }

    /// <summary>Every forward form, on validated spans. With a residual, each row's input is the float sum
    /// x + residual, stored to <paramref name="sum"/>.</summary>
    private static void ForwardRows(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y,
        Span<float> rstd, int rows, int hiddenSize, float epsilon)
    {
        int n = hiddenSize;
        double[] gammaRow = LayerNormReference.ToDouble(gamma);
        var input = new float[n];
        var yRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            // sum = x + residual, rounded to float as the fused kernels store it; then RMSNorm of that sum in double.
            for (int i = 0; i < n; i++)
                input[i] = residual.IsEmpty ? x[r * n + i] : x[r * n + i] + residual[r * n + i];
            ForwardRow(LayerNormReference.ToDouble(input), gammaRow, yRow, epsilon, out double rstdRow);

            // Written only now: sum and y may be x or residual.
            if (!sum.IsEmpty)
                input.CopyTo(sum.Slice(r * n, n));
            for (int i = 0; i < n; i++)
                y[r * n + i] = (float)yRow[i];
            if (!rstd.IsEmpty)
                rstd[r] = (float)rstdRow;
        }
    }
}
