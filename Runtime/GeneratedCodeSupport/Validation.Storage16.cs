using System;
using System.Runtime.InteropServices;

namespace NormGen;

// The checks of calls whose rows or parameters are not float (16-bit storage): the same rules, lengths and messages as
// the float checks, over any element types. Overlap is decided on the bytes, so it is exact across types too (a float
// mean over a half row is refused like a float mean over a float row).
public static partial class Validation
{
    /// <summary>
    /// Checks the arguments of any forward call of the family whose rows are <typeparamref name="T"/> and whose gamma
    /// and beta are <typeparamref name="TParam"/>, and returns the row count. The rules, lengths and
    /// messages are those of the float <c>Forward(NormParts, …)</c>.
    /// </summary>
    /// <typeparam name="T">The row element type (x, residual, sum, y).</typeparam>
    /// <typeparam name="TParam">The parameter element type (gamma, beta).</typeparam>
    /// <param name="parts">Which optional buffers the call has.</param>
    /// <param name="x">Input rows.</param>
    /// <param name="residual">Added to x, or <c>default</c>.</param>
    /// <param name="gamma">Scale, or <c>default</c>.</param>
    /// <param name="beta">Shift, or <c>default</c>.</param>
    /// <param name="sum">x + residual, written, or <c>default</c>.</param>
    /// <param name="y">Output rows.</param>
    /// <param name="mean">Per-row mean, or <c>default</c>.</param>
    /// <param name="rstd">Per-row rstd, or <c>default</c>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <param name="epsilon">Added to the variance (or mean square).</param>
    /// <returns>The number of rows, <c>x.Length / hiddenSize</c>.</returns>
    public static int Forward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> x, ReadOnlySpan<T> residual, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<TParam> beta, Span<T> sum, Span<T> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon)
        where T : unmanaged where TParam : unmanaged
    {
        if ((parts & NormParts.Residual) == 0) { residual = default; sum = default; }
        if ((parts & NormParts.Gamma) == 0) gamma = default;
        if ((parts & NormParts.Beta) == 0) beta = default;
        if ((parts & NormParts.Mean) == 0) mean = default;
        if ((parts & NormParts.Rstd) == 0) rstd = default;

        HiddenSize(hiddenSize);
        Epsilon(epsilon);
        int rows = Rows(x.Length, hiddenSize);
        if ((parts & NormParts.Residual) != 0)
            Length(residual.Length, x.Length, nameof(residual));
        if ((parts & NormParts.Gamma) != 0)
            Length(gamma.Length, hiddenSize, nameof(gamma));
        if ((parts & NormParts.Beta) != 0)
            Length(beta.Length, hiddenSize, nameof(beta));
        if ((parts & NormParts.Residual) != 0)
            Length(sum.Length, x.Length, nameof(sum));
        Length(y.Length, x.Length, nameof(y));
        if ((parts & NormParts.Mean) != 0)
            Length(mean.Length, rows, nameof(mean));
        if ((parts & NormParts.Rstd) != 0)
            Length(rstd.Length, rows, nameof(rstd));

        ReadOnlySpan<byte> xBytes = Bytes(x), residualBytes = Bytes(residual), gammaBytes = Bytes(gamma),
            betaBytes = Bytes(beta), sumBytes = Bytes(sum), yBytes = Bytes(y);

        // Row outputs: exactly in place over a row input, or apart from it; never over the parameters or each other.
        InPlaceOrDisjoint(yBytes, xBytes, nameof(y), nameof(x));
        InPlaceOrDisjoint(yBytes, residualBytes, nameof(y), nameof(residual));
        Disjoint(yBytes, gammaBytes, nameof(y), nameof(gamma));
        Disjoint(yBytes, betaBytes, nameof(y), nameof(beta));
        InPlaceOrDisjoint(sumBytes, xBytes, nameof(sum), nameof(x));
        InPlaceOrDisjoint(sumBytes, residualBytes, nameof(sum), nameof(residual));
        Disjoint(sumBytes, gammaBytes, nameof(sum), nameof(gamma));
        Disjoint(sumBytes, betaBytes, nameof(sum), nameof(beta));
        Disjoint(yBytes, sumBytes, nameof(y), nameof(sum));

        // Statistics: apart from every other buffer.
        ReadOnlySpan<byte> meanBytes = Bytes(mean), rstdBytes = Bytes(rstd);
        DisjointFromForwardBuffers(
            meanBytes, nameof(mean), xBytes, residualBytes, gammaBytes, betaBytes, sumBytes, yBytes);
        DisjointFromForwardBuffers(
            rstdBytes, nameof(rstd), xBytes, residualBytes, gammaBytes, betaBytes, sumBytes, yBytes);
        Disjoint(rstdBytes, meanBytes, nameof(rstd), nameof(mean));
        return rows;
    }

    /// <summary>
    /// Checks the arguments of any backward call of the family whose rows are <typeparamref name="T"/> and whose gamma
    /// is
    /// <typeparamref name="TParam"/>, and returns the row count. The rules, lengths and
    /// messages are those of the float <c>Backward(NormParts, …)</c>.
    /// </summary>
    /// <typeparam name="T">The row element type (dy, x, dx).</typeparam>
    /// <typeparam name="TParam">The element type of gamma.</typeparam>
    /// <param name="parts">Which optional buffers the call has (<see cref="NormParts.Residual"/> and <see
    /// cref="NormParts.Rstd"/> are ignored).</param>
    /// <param name="dy">Output gradient rows.</param>
    /// <param name="x">Input rows.</param>
    /// <param name="gamma">Scale, or <c>default</c>.</param>
    /// <param name="mean">Per-row mean, or <c>default</c>.</param>
    /// <param name="rstd">Per-row rstd.</param>
    /// <param name="dx">Input gradient rows.</param>
    /// <param name="dgamma">Gradient of gamma, or <c>default</c>.</param>
    /// <param name="dbeta">Gradient of beta, or <c>default</c>.</param>
    /// <param name="hiddenSize">Features per row.</param>
    /// <returns>The number of rows, <c>x.Length / hiddenSize</c>.</returns>
    public static int Backward<T, TParam>(
        NormParts parts, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<TParam> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<T> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
        where T : unmanaged where TParam : unmanaged
    {
        if ((parts & NormParts.Gamma) == 0) { gamma = default; dgamma = default; }
        if ((parts & NormParts.Beta) == 0) dbeta = default;
        if ((parts & NormParts.Mean) == 0) mean = default;

        HiddenSize(hiddenSize);
        int rows = Rows(x.Length, hiddenSize);
        Length(dy.Length, x.Length, nameof(dy));
        if ((parts & NormParts.Gamma) != 0)
            Length(gamma.Length, hiddenSize, nameof(gamma));
        if ((parts & NormParts.Mean) != 0)
            Length(mean.Length, rows, nameof(mean));
        Length(rstd.Length, rows, nameof(rstd));
        Length(dx.Length, x.Length, nameof(dx));
        if ((parts & NormParts.Gamma) != 0)
            Length(dgamma.Length, hiddenSize, nameof(dgamma));
        if ((parts & NormParts.Beta) != 0)
            Length(dbeta.Length, hiddenSize, nameof(dbeta));

        // Backward reads every input row more than once, so no output may share memory with any input.
        ReadOnlySpan<byte> dyBytes = Bytes(dy), xBytes = Bytes(x), gammaBytes = Bytes(gamma), meanBytes = Bytes(mean),
            rstdBytes = Bytes(rstd), dxBytes = Bytes(dx), dgammaBytes = Bytes(dgamma), dbetaBytes = Bytes(dbeta);
        DisjointFromBackwardInputs(dxBytes, nameof(dx), dyBytes, xBytes, gammaBytes, meanBytes, rstdBytes);
        DisjointFromBackwardInputs(dgammaBytes, nameof(dgamma), dyBytes, xBytes, gammaBytes, meanBytes, rstdBytes);
        DisjointFromBackwardInputs(dbetaBytes, nameof(dbeta), dyBytes, xBytes, gammaBytes, meanBytes, rstdBytes);
        Disjoint(dxBytes, dgammaBytes, nameof(dx), nameof(dgamma));
        Disjoint(dxBytes, dbetaBytes, nameof(dx), nameof(dbeta));
        Disjoint(dgammaBytes, dbetaBytes, nameof(dgamma), nameof(dbeta));
        return rows;
    }

    private static ReadOnlySpan<byte> Bytes<T>(ReadOnlySpan<T> span) where T : unmanaged => MemoryMarshal.AsBytes(span);

    private static ReadOnlySpan<byte> Bytes<T>(Span<T> span) where T : unmanaged => MemoryMarshal.AsBytes(span);

    private static int Rows(int length, int hiddenSize)
    {
        if (length % hiddenSize != 0)
        {
            throw new ArgumentException(
                $"The length of x must be a multiple of the hidden size {hiddenSize} (rows × hiddenSize), " +
                $"but it is {length}.", "x");
        }
        return length / hiddenSize;
    }

    private static void Length(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"The length of {name} must be {expected}, but it is {length}.", name);
    }

    private static void DisjointFromForwardBuffers(
        ReadOnlySpan<byte> statistic, string statisticName,
        ReadOnlySpan<byte> x, ReadOnlySpan<byte> residual, ReadOnlySpan<byte> gamma, ReadOnlySpan<byte> beta,
        ReadOnlySpan<byte> sum, ReadOnlySpan<byte> y)
    {
        Disjoint(statistic, x, statisticName, nameof(x));
        Disjoint(statistic, residual, statisticName, nameof(residual));
        Disjoint(statistic, gamma, statisticName, nameof(gamma));
        Disjoint(statistic, beta, statisticName, nameof(beta));
        Disjoint(statistic, sum, statisticName, nameof(sum));
        Disjoint(statistic, y, statisticName, nameof(y));
    }

    private static void DisjointFromBackwardInputs(
        ReadOnlySpan<byte> output, string outputName,
        ReadOnlySpan<byte> dy, ReadOnlySpan<byte> x, ReadOnlySpan<byte> gamma,
        ReadOnlySpan<byte> mean, ReadOnlySpan<byte> rstd)
    {
        Disjoint(output, dy, outputName, nameof(dy));
        Disjoint(output, x, outputName, nameof(x));
        Disjoint(output, gamma, outputName, nameof(gamma));
        Disjoint(output, mean, outputName, nameof(mean));
        Disjoint(output, rstd, outputName, nameof(rstd));
    }

    private static void InPlaceOrDisjoint(
        ReadOnlySpan<byte> output, ReadOnlySpan<byte> input, string outputName, string inputName)
    {
        // Same element type on both sides, so the same bytes are the same elements.
        if (output.Overlaps(input, out int offset) && !(offset == 0 && output.Length == input.Length))
            ThrowOverlap(outputName, inputName, " Only exact in-place use (the same memory and length) is allowed.");
    }

    private static void Disjoint(
        ReadOnlySpan<byte> output, ReadOnlySpan<byte> input, string outputName, string inputName)
    {
        if (output.Overlaps(input))
            ThrowOverlap(outputName, inputName, "");
    }
}
