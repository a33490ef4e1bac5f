using System;

namespace NormGen;

// What the Half and BFloat16 overloads (LayerNorm.Half.cs, LayerNorm.BFloat16.cs) call: the float path's checks and
// row code over the element types, rows in T and gamma and beta in TParam (T or float). The rows are widened to float
// in registers as they are loaded and rounded once as they are stored; mean, rstd, dgamma and dbeta stay float.
public static partial class LayerNorm
{
    /// <summary>Every forward form on rows of <typeparamref name="T"/>: <paramref name="parts"/> names the buffers the
    /// form has; the others are empty.</summary>
    internal static void Forward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<TParam> beta, Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Forward(parts, x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
        ForwardRows(parts, x, residual, gamma, beta, sum, y, mean, rstd, rows, hiddenSize, epsilon);
    }

    /// <summary>Every backward form on rows of <typeparamref name="T"/>: gamma with <see cref="NormParts.Gamma"/>,
    /// dbeta with <see cref="NormParts.Beta"/>.</summary>
    internal static void Backward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta,
        int hiddenSize)
        where T : unmanaged where TParam : unmanaged
    {
        int rows = Validation.Backward(parts, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
        if ((parts & NormParts.Beta) != 0)
            Backward<ScaleAndShift, T, TParam>(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize);
        else if ((parts & NormParts.Gamma) != 0)
            Backward<ScaleOnly, T, TParam>(dy, x, gamma, mean, rstd, dx, dgamma, default, rows, hiddenSize);
        else
            Backward<NoAffine, T, TParam>(dy, x, default, mean, rstd, dx, default, default, rows, hiddenSize);
    }

    /// <summary>The parallel forward (with or without mean and rstd) on rows of <typeparamref name="T"/>.</summary>
    internal static void ForwardParallel<T, TParam>(
        ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<TParam> beta, Memory<T> y,
        Memory<float> mean, Memory<float> rstd, int hiddenSize, float epsilon, int degreeOfParallelism)
        where T : unmanaged where TParam : unmanaged
    {
        Validation.DegreeOfParallelism(degreeOfParallelism);
        NormParts parts = NormParts.Gamma | NormParts.Beta | (mean.IsEmpty ? 0 : NormParts.Mean | NormParts.Rstd);
        int rows = Validation.Forward(
            parts, x.Span, default, gamma.Span, beta.Span, default, y.Span, mean.Span, rstd.Span, hiddenSize, epsilon);
        ForwardParallel(x, gamma, beta, y, mean, rstd, rows, hiddenSize, epsilon, degreeOfParallelism);
    }

    /// <summary>The parallel backward on rows of <typeparamref name="T"/>.</summary>
    internal static void BackwardParallel<T, TParam>(
        ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, ReadOnlyMemory<TParam> gamma, ReadOnlyMemory<float> mean,
        ReadOnlyMemory<float> rstd, Memory<T> dx, Memory<float> dgamma, Memory<float> dbeta, int hiddenSize,
        int degreeOfParallelism)
        where T : unmanaged where TParam : unmanaged
    {
        Validation.DegreeOfParallelism(degreeOfParallelism);
        int rows = Validation.Backward(NormParts.Gamma | NormParts.Beta | NormParts.Mean, dy.Span, x.Span,
            gamma.Span, mean.Span, rstd.Span, dx.Span, dgamma.Span, dbeta.Span, hiddenSize);
        BackwardParallel(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, hiddenSize, degreeOfParallelism);
    }
}
