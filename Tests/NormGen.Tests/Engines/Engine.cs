using System;

namespace NormGen.Tests;

/// <summary>One LayerNorm implementation under test, as the Regex tests treat each regex engine.</summary>
public abstract class Engine
{
    public abstract string Name { get; }

    /// <summary>Whether this engine has a kernel for the hidden size and epsilon (generated kernels are fixed at build time).</summary>
    public virtual bool Supports(int hiddenSize, float epsilon) => true;

    public abstract void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        int hiddenSize, float epsilon);

    public abstract void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon);

    public abstract void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize);

    public override string ToString() => Name;
}

public sealed class ReferenceEngine : Engine
{
    public override string Name => "Reference";
    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int hiddenSize, float epsilon)
        => LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
        => LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
        => LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
}

public sealed class GenericEngine : Engine
{
    public override string Name => "Generic";
    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int hiddenSize, float epsilon)
        => LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
        => LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
        => LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
}
