using System;
using System.ComponentModel;

namespace NormGen;

/// <summary>
/// Row kernels for one hidden size and one instruction set, as a struct so that <see cref="RowScheduler"/>
/// is specialized for each by the JIT. The generic path and every generated kernel implement it.
/// </summary>
/// <remarks>
/// <para>The scheduler calls <see cref="NonTemporalStores.Fence"/> once per thread at the end of a backward call
/// (serial or parallel), so a kernel that writes dx non-temporally need not fence after each block of rows: a fence
/// there waits for the block's streamed lines to reach memory.</para>
/// <para>Public only so that generated code can implement it; not meant for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRowKernel : IRowKernel<float, float>
{
}

/// <summary>
/// Row kernels over rows of <typeparamref name="T"/> (x, y, dy, dx) and parameters of <typeparamref name="TParam"/>
/// (gamma, beta); the statistics and the parameter gradients are float. <see cref="IRowKernel"/> is the float form.
/// </summary>
/// <typeparam name="T">The rows' element type: float, <see cref="Half"/> or <see cref="T:NormGen.BFloat16"/>.</typeparam>
/// <typeparam name="TParam">The element type of gamma and beta: <typeparamref name="T"/> or float.</typeparam>
/// <remarks>Public only so that generated code can implement it; not meant for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRowKernel<T, TParam> where T : unmanaged where TParam : unmanaged
{
    /// <summary>Forward over <paramref name="rows"/> validated rows; <paramref name="mean"/> and <paramref name="rstd"/> may be empty.</summary>
    /// <param name="x">Input rows.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="beta">Shift.</param>
    /// <param name="y">Output rows.</param>
    /// <param name="mean">Per-row mean, or empty.</param>
    /// <param name="rstd">Per-row rstd, or empty.</param>
    /// <param name="rows">Rows to process.</param>
    void Forward(ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<TParam> beta, Span<T> y,
        Span<float> mean, Span<float> rstd, int rows);

    /// <summary>Backward over <paramref name="rows"/> validated rows: writes dx and <em>adds</em> the rows' terms to
    /// <paramref name="dgamma"/> and <paramref name="dbeta"/>, row by row in order, in float. A kernel without a bias
    /// gets an empty <paramref name="dbeta"/>, one without an affine transform an empty <paramref name="dgamma"/> too;
    /// it ignores them.</summary>
    /// <param name="dy">Output gradient rows.</param>
    /// <param name="x">Input rows.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="mean">Per-row mean saved by the forward pass, the pivot of LayerNorm's backward; empty for RMSNorm.</param>
    /// <param name="rstd">Per-row rstd.</param>
    /// <param name="dx">Input gradient rows.</param>
    /// <param name="dgamma">Accumulator for Σ dy · xhat, or empty.</param>
    /// <param name="dbeta">Accumulator for Σ dy, or empty.</param>
    /// <param name="rows">Rows to process.</param>
    void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<T> dx, Span<float> dgamma, Span<float> dbeta, int rows);
}
