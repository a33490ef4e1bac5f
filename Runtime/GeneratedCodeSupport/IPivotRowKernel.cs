using System;
using System.ComponentModel;

namespace NormGen;

/// <summary>
/// A backward row kernel that is given the per-row mean saved by the forward pass as well as rstd: LayerNorm's backward
/// takes its sums about that mean (a pivot, checked by <see cref="StatisticsGuards.PivotHolds"/>), so it needs no pass
/// of its own to find the row's centre. <see cref="RowScheduler"/> drives it as it drives
/// <see cref="IRowKernel.Backward"/>, with the mean cut into the same blocks of rows as rstd.
/// </summary>
/// <remarks>
/// <para>A separate interface so that kernels written against <see cref="IRowKernel"/> alone (whose backward has no
/// mean) keep working: the scheduler's overloads without a mean adapt them.</para>
/// <para>The scheduler calls <see cref="NonTemporalStores.Fence"/> once per thread at the end of a call (serial or
/// parallel, with either interface), so a kernel that writes dx non-temporally need not fence after each block of rows:
/// a fence there waits for the block's streamed lines to reach memory.</para>
/// <para>Public only so that generated code can implement it; not meant for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPivotRowKernel
{
    /// <summary>Backward over <paramref name="rows"/> validated rows: writes dx and <em>adds</em> the rows' terms to
    /// <paramref name="dgamma"/> and <paramref name="dbeta"/>, row by row in order, in float, as
    /// <see cref="IRowKernel.Backward"/> does. <paramref name="mean"/> has one value per row, or is empty where the
    /// caller has none (RMSNorm, or a kernel adapted from <see cref="IRowKernel"/>).</summary>
    /// <param name="dy">Output gradient rows.</param>
    /// <param name="x">Input rows.</param>
    /// <param name="gamma">Scale.</param>
    /// <param name="mean">Per-row mean saved by the forward pass, or empty.</param>
    /// <param name="rstd">Per-row rstd.</param>
    /// <param name="dx">Input gradient rows.</param>
    /// <param name="dgamma">Accumulator for Σ dy · xhat, or empty.</param>
    /// <param name="dbeta">Accumulator for Σ dy, or empty.</param>
    /// <param name="rows">Rows to process.</param>
    void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows);
}
