using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace NormGen;

/// <summary>
/// The argument checks shared by the generic path, the reference and generated kernels.
/// Every check runs before any output is written, so a refused call leaves memory untouched.
/// </summary>
/// <remarks>Public only so that generated code can call it; not meant for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Validation
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="hiddenSize"/> is positive.</summary>
    /// <param name="hiddenSize">Number of features per row.</param>
    public static void HiddenSize(int hiddenSize)
    {
        if (hiddenSize <= 0)
            ThrowOutOfRange(nameof(hiddenSize), hiddenSize, "The hidden size must be positive.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="epsilon"/> is positive and finite.</summary>
    /// <param name="epsilon">Value added to the variance.</param>
    public static void Epsilon(float epsilon)
    {
        // Written so that NaN fails too.
        if (!(epsilon > 0f && float.IsFinite(epsilon)))
            ThrowOutOfRange(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="degreeOfParallelism"/> is at least 1.</summary>
    /// <param name="degreeOfParallelism">The most threads a parallel call may use.</param>
    public static void DegreeOfParallelism(int degreeOfParallelism)
    {
        if (degreeOfParallelism < 1)
            ThrowOutOfRange(nameof(degreeOfParallelism), degreeOfParallelism, "The degree of parallelism must be at least 1.");
    }

    /// <summary>Checks the arguments of a forward call that does not save statistics and returns the row count.</summary>
    /// <returns>The number of rows, <c>x.Length / hiddenSize</c>.</returns>
    public static int Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        int hiddenSize, float epsilon)
    {
        HiddenSize(hiddenSize);
        Epsilon(epsilon);
        int rows = Rows(x, hiddenSize);
        Length(gamma, hiddenSize, nameof(gamma));
        Length(beta, hiddenSize, nameof(beta));
        Length(y, x.Length, nameof(y));

        InPlaceOrDisjoint(y, x, nameof(y), nameof(x));
        Disjoint(y, gamma, nameof(y), nameof(gamma));
        Disjoint(y, beta, nameof(y), nameof(beta));
        return rows;
    }

    /// <summary>Checks the arguments of a forward call that saves mean and rstd and returns the row count.</summary>
    /// <returns>The number of rows, <c>x.Length / hiddenSize</c>.</returns>
    public static int Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        int rows = Forward(x, gamma, beta, y, hiddenSize, epsilon);
        Length(mean, rows, nameof(mean));
        Length(rstd, rows, nameof(rstd));

        Disjoint(mean, x, nameof(mean), nameof(x));
        Disjoint(mean, gamma, nameof(mean), nameof(gamma));
        Disjoint(mean, beta, nameof(mean), nameof(beta));
        Disjoint(rstd, x, nameof(rstd), nameof(x));
        Disjoint(rstd, gamma, nameof(rstd), nameof(gamma));
        Disjoint(rstd, beta, nameof(rstd), nameof(beta));
        Disjoint(mean, y, nameof(mean), nameof(y));
        Disjoint(rstd, y, nameof(rstd), nameof(y));
        Disjoint(rstd, mean, nameof(rstd), nameof(mean));
        return rows;
    }

    /// <summary>Checks the arguments of a backward call and returns the row count.</summary>
    /// <returns>The number of rows, <c>x.Length / hiddenSize</c>.</returns>
    public static int Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        HiddenSize(hiddenSize);
        int rows = Rows(x, hiddenSize);
        Length(dy, x.Length, nameof(dy));
        Length(gamma, hiddenSize, nameof(gamma));
        Length(mean, rows, nameof(mean));
        Length(rstd, rows, nameof(rstd));
        Length(dx, x.Length, nameof(dx));
        Length(dgamma, hiddenSize, nameof(dgamma));
        Length(dbeta, hiddenSize, nameof(dbeta));

        // Backward reads every input row more than once, so no output may share memory with any input.
        DisjointFromBackwardInputs(dx, nameof(dx), dy, x, gamma, mean, rstd);
        DisjointFromBackwardInputs(dgamma, nameof(dgamma), dy, x, gamma, mean, rstd);
        DisjointFromBackwardInputs(dbeta, nameof(dbeta), dy, x, gamma, mean, rstd);
        Disjoint(dx, dgamma, nameof(dx), nameof(dgamma));
        Disjoint(dx, dbeta, nameof(dx), nameof(dbeta));
        Disjoint(dgamma, dbeta, nameof(dgamma), nameof(dbeta));
        return rows;
    }

    private static void DisjointFromBackwardInputs(
        ReadOnlySpan<float> output, string outputName,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd)
    {
        Disjoint(output, dy, outputName, nameof(dy));
        Disjoint(output, x, outputName, nameof(x));
        Disjoint(output, gamma, outputName, nameof(gamma));
        Disjoint(output, mean, outputName, nameof(mean));
        Disjoint(output, rstd, outputName, nameof(rstd));
    }

    private static int Rows(ReadOnlySpan<float> x, int hiddenSize)
    {
        if (x.Length % hiddenSize != 0)
            throw new ArgumentException(
                $"The length of x must be a multiple of the hidden size {hiddenSize} (rows × hiddenSize), but it is {x.Length}.",
                nameof(x));
        return x.Length / hiddenSize;
    }

    private static void Length(ReadOnlySpan<float> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException(
                $"The length of {name} must be {expected}, but it is {span.Length}.", name);
    }

    private static void InPlaceOrDisjoint(ReadOnlySpan<float> output, ReadOnlySpan<float> input, string outputName, string inputName)
    {
        if (output.Overlaps(input, out int offset) && !(offset == 0 && output.Length == input.Length))
            ThrowOverlap(outputName, inputName, " Only exact in-place use (the same memory and length) is allowed.");
    }

    private static void Disjoint(ReadOnlySpan<float> output, ReadOnlySpan<float> input, string outputName, string inputName)
    {
        if (output.Overlaps(input))
            ThrowOverlap(outputName, inputName, "");
    }

    [DoesNotReturn]
    private static void ThrowOverlap(string outputName, string inputName, string hint) =>
        throw new ArgumentException($"{outputName} must not overlap {inputName}.{hint}", outputName);

    [DoesNotReturn]
    private static void ThrowOutOfRange<T>(string name, T value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);
}
