using System;

namespace NormGen;

/// <summary>
/// The references for 16-bit rows, written once over the element types: rows (x, residual, sum, y, dy, dx) in
/// <c>T</c>, gamma and beta in <c>TParam</c> (T itself or float); mean, rstd, dgamma and dbeta in float. The public
/// overloads on <see cref="LayerNormReference"/> and <see cref="RmsNormReference"/> are one-line calls into this.
/// </summary>
/// <remarks>
/// Each row is widened to double and computed by the double-precision row code of the float references
/// (<see cref="LayerNormReference.ForwardRow"/>, <see cref="RmsNormReference.ForwardRow"/> and their backward rows).
/// Each T output is rounded once, correctly, from double to T (<see cref="Storage16.FromDouble{T}"/>), never
/// through float, which would round twice: the kernels' "within 1 ulp" contract is measured from this value.
/// </remarks>
internal static class Storage16Reference
{
    /// <summary>Every LayerNorm forward form; an empty span is a buffer the form does not have.</summary>
    public static void LayerNormForward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<TParam> beta, Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
        int n = hiddenSize;
        double[] gammaRow = Widen<TParam>(gamma), betaRow = Widen<TParam>(beta);
        var input = new T[n];
        var yRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            // The row's input: x, or the stored sum (T)((float)x + (float)residual). LayerNorm of it in double.
            InputRow<T>(x.Slice(r * n, n), residual.IsEmpty ? default : residual.Slice(r * n, n), input);
            LayerNormReference.ForwardRow(
                Widen<T>(input), gammaRow, betaRow, yRow, epsilon, out double meanRow, out double rstdRow);

            // Written only now: sum and y may be x or residual.
            if (!sum.IsEmpty)
                input.CopyTo(sum.Slice(r * n, n));
            Round<T>(yRow, y.Slice(r * n, n));
            if (!mean.IsEmpty)
                mean[r] = (float)meanRow;
            if (!rstd.IsEmpty)
                rstd[r] = (float)rstdRow;
        }
    }

    /// <summary>Every LayerNorm backward form: an empty gamma means g = dy; an empty dgamma or dbeta is not
    /// computed.</summary>
    public static void LayerNormBackward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta,
        int hiddenSize)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Backward(parts, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        int n = hiddenSize;
        double[] gammaRow = Widen<TParam>(gamma);
        var dgammaSum = new double[dgamma.Length];
        var dbetaSum = new double[dbeta.Length];
        var dxRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            LayerNormReference.BackwardRow(Widen<T>(dy.Slice(r * n, n)), Widen<T>(x.Slice(r * n, n)),
                gammaRow, rstd[r], dxRow, dgammaSum, dbetaSum);
            Round<T>(dxRow, dx.Slice(r * n, n));
        }
        for (int i = 0; i < dgamma.Length; i++)
            dgamma[i] = (float)dgammaSum[i];
        for (int i = 0; i < dbeta.Length; i++)
            dbeta[i] = (float)dbetaSum[i];
    }

    /// <summary>Every RMSNorm forward form: with or without the residual and the saved rstd.</summary>
    public static void RmsNormForward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma,
        Span<T> sum, Span<T> y, Span<float> rstd, int hiddenSize, float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Forward(parts, x, residual, gamma, default, sum, y, default, rstd, hiddenSize, epsilon);
        int n = hiddenSize;
        double[] gammaRow = Widen<TParam>(gamma);
        var input = new T[n];
        var yRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            // The row's input: x, or the stored sum (T)((float)x + (float)residual). RMSNorm of it in double.
            InputRow<T>(x.Slice(r * n, n), residual.IsEmpty ? default : residual.Slice(r * n, n), input);
            RmsNormReference.ForwardRow(Widen<T>(input), gammaRow, yRow, epsilon, out double rstdRow);

            // Written only now: sum and y may be x or residual.
            if (!sum.IsEmpty)
                input.CopyTo(sum.Slice(r * n, n));
            Round<T>(yRow, y.Slice(r * n, n));
            if (!rstd.IsEmpty)
                rstd[r] = (float)rstdRow;
        }
    }

    /// <summary>RMSNorm backward: dx in T, dgamma (float) overwritten with Σ_rows dy · xhat.</summary>
    public static void RmsNormBackward<T, TParam>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, int hiddenSize)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Backward(NormParts.Gamma, dy, x, gamma, default, rstd, dx, dgamma, default, hiddenSize);
        int n = hiddenSize;
        double[] gammaRow = Widen<TParam>(gamma);
        var dgammaSum = new double[n];
        var dxRow = new double[n];
        for (int r = 0; r < rows; r++)
        {
            RmsNormReference.BackwardRow(Widen<T>(dy.Slice(r * n, n)), Widen<T>(x.Slice(r * n, n)),
                gammaRow, rstd[r], dxRow, dgammaSum);
            Round<T>(dxRow, dx.Slice(r * n, n));
        }
        for (int i = 0; i < n; i++)
            dgamma[i] = (float)dgammaSum[i];
    }

    /// <summary>x, or with a residual the sum as the fused kernels store it: a float add, rounded once to T.</summary>
    private static void InputRow<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> residual, Span<T> input)
        where T : unmanaged
    {
        for (int i = 0; i < x.Length; i++)
        {
            input[i] = residual.IsEmpty
                ? x[i]
                : Storage16.FromSingle<T>(Storage16.ToSingle(x[i]) + Storage16.ToSingle(residual[i]));
        }
    }

    /// <summary>A span widened to a new double array (exact).</summary>
    private static double[] Widen<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = Storage16.ToDouble(values[i]);
        return result;
    }

    /// <summary>Each double rounded once, correctly, to T.</summary>
    private static void Round<T>(ReadOnlySpan<double> values, Span<T> destination)
        where T : unmanaged
    {
        for (int i = 0; i < values.Length; i++)
            destination[i] = Storage16.FromDouble<T>(values[i]);
    }
}
