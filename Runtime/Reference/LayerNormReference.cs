using System;

namespace NormGen;

/// <summary>
/// The oracle: a plain scalar LayerNorm that accumulates in double. Slow on purpose;
/// every other path is tested against it.
/// </summary>
public static partial class LayerNormReference
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
        ForwardRows(x, default, gamma, beta, default, y, default, default, rows, hiddenSize, epsilon);
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
        ForwardRows(x, default, gamma, beta, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>LayerNorm without bias (PyTorch's <c>bias=False</c>): y = (x − mean) / sqrt(var + epsilon) · gamma, row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Gamma;
        int rows = Validation.Forward(parts, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, default, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardNoBias</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Gamma | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, default, gamma, default, default, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(x, default, gamma, default, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>LayerNorm without learned parameters (PyTorch's <c>elementwise_affine=False</c>): y = (x − mean) / sqrt(var + epsilon), row by row.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoAffine(ReadOnlySpan<float> x, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.None;
        int rows = Validation.Forward(parts, x, default, default, default, default, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, default, default, default, default, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardNoAffine</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardNoAffine(ReadOnlySpan<float> x, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, default, default, default, default, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(x, default, default, default, default, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>Gradients of <c>ForwardNoBias</c>: dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with g = dy · gamma; <paramref name="dgamma"/> is overwritten with Σ_rows dy · xhat (summed as in <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>).</summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input (for a residual forward, its <c>sum</c>).</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="mean">Per-row mean saved by the forward pass. Its length is checked; the row's centre is recomputed from <paramref name="x"/>, since the saved float mean is rounded.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="dgamma">Gradient with respect to gamma, overwritten.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void BackwardNoBias(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, int hiddenSize)
    {
        int rows = Validation.Backward(NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);
        BackwardRows(dy, x, gamma, rstd, dx, dgamma, default, rows, hiddenSize);
    }

    /// <summary>Gradients of <c>ForwardNoAffine</c>: dx = rstd · (dy − mean(dy) − xhat · mean(dy · xhat)).</summary>
    /// <param name="dy">Gradient of the loss with respect to y, rows × <paramref name="hiddenSize"/>.</param>
    /// <param name="x">The forward input (for a residual forward, its <c>sum</c>).</param>
    /// <param name="mean">Per-row mean saved by the forward pass. Its length is checked; the row's centre is recomputed from <paramref name="x"/>, since the saved float mean is rounded.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation saved by the forward pass.</param>
    /// <param name="dx">Gradient with respect to x, same length as <paramref name="x"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    public static void BackwardNoAffine(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, int hiddenSize)
    {
        int rows = Validation.Backward(NormParts.Mean, dy, x, default, mean, rstd, dx, default, default, hiddenSize);
        BackwardRows(dy, x, default, rstd, dx, default, default, rows, hiddenSize);
    }

    /// <summary>Adds a residual and normalizes: sum = x + residual (a float add), then y = LayerNorm(sum) · gamma + beta, row by row; y is bit-identical to <c>Forward</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Beta;
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, beta, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidual</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="beta">Shift, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>sum = x + residual (a float add), then y = LayerNorm(sum) · gamma without bias, row by row; y is bit-identical to <c>ForwardNoBias</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoBias</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma;
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, default, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidualNoBias</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoBias</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="gamma">Scale, <paramref name="hiddenSize"/> values.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoBias(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, gamma, default, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>sum = x + residual (a float add), then y = LayerNorm(sum) without learned parameters, row by row; y is bit-identical to <c>ForwardNoAffine</c> on the stored sum.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoAffine</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoAffine(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual;
        int rows = Validation.Forward(parts, x, residual, default, default, sum, y, default, default, hiddenSize, epsilon);
        ForwardRows(x, residual, default, default, sum, y, default, default, rows, hiddenSize, epsilon);
    }

    /// <summary>As the other <c>ForwardResidualNoAffine</c> overload, and saves each row's mean and rstd for the backward pass.</summary>
    /// <remarks>The add is fused into the first pass over the row. The gradient of the fused form is the ordinary backward of its variant called with <c>sum</c> as x; the gradient with respect to both x and residual is that dx. Use <c>BackwardNoAffine</c>.</remarks>
    /// <param name="x">Input, rows × <paramref name="hiddenSize"/>, row-major.</param>
    /// <param name="residual">Added to <paramref name="x"/>, same length.</param>
    /// <param name="sum">Receives x + residual, rounded to float, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself. Pass it to the backward pass as its x.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> or <paramref name="residual"/> itself, not <paramref name="sum"/>.</param>
    /// <param name="mean">Per-row mean, one value per row.</param>
    /// <param name="rstd">Per-row reciprocal standard deviation, one value per row.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an output overlaps an input other than as allowed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> or <paramref name="epsilon"/> is out of range.</exception>
    public static void ForwardResidualNoAffine(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f)
    {
        const NormParts parts = NormParts.Residual | NormParts.Mean | NormParts.Rstd;
        int rows = Validation.Forward(parts, x, residual, default, default, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(x, residual, default, default, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }


    /// <summary>One row in double: the math every other path is measured against. An empty
    /// <paramref name="gamma"/> means no scale, an empty <paramref name="beta"/> no shift.</summary>
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
            double scaled = gamma.IsEmpty ? xhat : xhat * gamma[i];
            y[i] = beta.IsEmpty ? scaled : scaled + beta[i];
        }
        mean = pivot + offset;
    }

    /// <summary>Every forward variant, on validated spans: empty ones are absent. With a residual, each row's input is
    /// the float sum x + residual, stored to <paramref name="sum"/>.</summary>
    private static void ForwardRows(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int rows, int hiddenSize, float epsilon)
    {
        int n = hiddenSize;
        double[] gammaRow = ToDouble(gamma), betaRow = ToDouble(beta);
        var input = new float[n];
        var yRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            // sum = x + residual, rounded to float as the fused kernels store it; then LayerNorm of that sum in double.
            for (int i = 0; i < n; i++)
                input[i] = residual.IsEmpty ? x[r * n + i] : x[r * n + i] + residual[r * n + i];
            ForwardRow(ToDouble(input), gammaRow, betaRow, yRow, epsilon, out double meanRow, out double rstdRow);

            // Written only now: sum and y may be x or residual.
            if (!sum.IsEmpty)
                input.CopyTo(sum.Slice(r * n, n));
            for (int i = 0; i < n; i++)
                y[r * n + i] = (float)yRow[i];
            if (!mean.IsEmpty)
                mean[r] = (float)meanRow;
            if (!rstd.IsEmpty)
                rstd[r] = (float)rstdRow;
        }
    }

    /// <summary>A float span widened to a new double array (the references favour plain code over speed).</summary>
    internal static double[] ToDouble(ReadOnlySpan<float> values)
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
        BackwardRows(dy, x, gamma, rstd, dx, dgamma, dbeta, rows, hiddenSize);
    }

    /// <summary>Every backward variant, on validated spans: an empty gamma means g = dy; empty dgamma or dbeta are not computed.</summary>
    private static void BackwardRows(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows, int hiddenSize)
    {
        int n = hiddenSize;
        var dgammaSum = new double[dgamma.Length];
        var dbetaSum = new double[dbeta.Length];
        var dxRow = new double[n];
        double[] gammaRow = ToDouble(gamma);

        for (int r = 0; r < rows; r++)
        {
            BackwardRow(ToDouble(dy.Slice(r * n, n)), ToDouble(x.Slice(r * n, n)), gammaRow, rstd[r], dxRow, dgammaSum, dbetaSum);
            for (int i = 0; i < n; i++)
                dx[r * n + i] = (float)dxRow[i];
        }

        for (int i = 0; i < dgamma.Length; i++)
            dgamma[i] = (float)dgammaSum[i];
        for (int i = 0; i < dbeta.Length; i++)
            dbeta[i] = (float)dbetaSum[i];
    }

    /// <summary>One row of the backward pass in double; adds this row's terms to dgamma and dbeta. An empty
    /// <paramref name="gamma"/> means g = dy; an empty <paramref name="dgamma"/> or <paramref name="dbeta"/> is skipped.</summary>
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
            double g = gamma.IsEmpty ? dy[i] : dy[i] * gamma[i];
            sumG += g;
            sumGXhat += g * xhat;
            if (!dgamma.IsEmpty)
                dgamma[i] += dy[i] * xhat;   // dgamma = Σ_rows dy · xhat
            if (!dbeta.IsEmpty)
                dbeta[i] += dy[i];           // dbeta  = Σ_rows dy
        }
        double meanG = sumG / n, meanGXhat = sumGXhat / n;

        // dx = rstd · (g − mean(g) − xhat · mean(g · xhat))
        for (int i = 0; i < n; i++)
        {
            double xhat = (x[i] - pivot - offset) * rstd;
            double g = gamma.IsEmpty ? dy[i] : dy[i] * gamma[i];
            dx[i] = rstd * (g - meanG - xhat * meanGXhat);
        }
    }
}
