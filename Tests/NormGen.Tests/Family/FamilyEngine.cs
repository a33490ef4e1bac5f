using System;

namespace NormGen.Tests;

/// <summary>The members of the kernel family.</summary>
public enum Variant
{
    /// <summary>y = xhat · gamma + beta.</summary>
    LayerNorm,
    /// <summary>y = xhat · gamma.</summary>
    LayerNormNoBias,
    /// <summary>y = xhat.</summary>
    LayerNormNoAffine,
    /// <summary>y = x · rstd · gamma, rstd = 1 / sqrt(mean(x²) + eps).</summary>
    RmsNorm,
}

/// <summary>
/// One implementation of the whole family under uniform signatures: spans a variant does not have are passed empty
/// and ignored (beta for all but LayerNorm; gamma and dgamma for LayerNormNoAffine; mean for RmsNorm). Forward with
/// empty statistics (mean and rstd, or rstd for RmsNorm) calls the overload without statistics.
/// </summary>
public abstract class FamilyEngine
{
    public abstract string Name { get; }

    /// <summary>Whether this engine has a kernel for the variant, hidden size and epsilon.</summary>
    public virtual bool Supports(Variant v, int hiddenSize, float epsilon) => true;

    public abstract void Forward(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon);

    public abstract void ForwardResidual(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon);

    public abstract void Backward(Variant v, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize);

    /// <summary>Whether a forward call with these statistics buffers means the overload without statistics.</summary>
    protected static bool WithoutStatistics(Variant v, Span<float> mean, Span<float> rstd) =>
        v == Variant.RmsNorm ? rstd.IsEmpty : mean.IsEmpty && rstd.IsEmpty;

    public override string ToString() => Name;
}

public sealed class ReferenceFamilyEngine : FamilyEngine
{
    public override string Name => "Reference";

    public override void Forward(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon); break;
            case Variant.LayerNorm: LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias when plain: LayerNormReference.ForwardNoBias(x, gamma, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias: LayerNormReference.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine when plain: LayerNormReference.ForwardNoAffine(x, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine: LayerNormReference.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.RmsNorm when plain: RmsNormReference.Forward(x, gamma, y, hiddenSize, epsilon); break;
            case Variant.RmsNorm: RmsNormReference.Forward(x, gamma, y, rstd, hiddenSize, epsilon); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    public override void ForwardResidual(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNorm: LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias when plain: LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias: LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine when plain: LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine: LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.RmsNorm when plain: RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon); break;
            case Variant.RmsNorm: RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    public override void Backward(Variant v, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        switch (v)
        {
            case Variant.LayerNorm: LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize); break;
            case Variant.LayerNormNoBias: LayerNormReference.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize); break;
            case Variant.LayerNormNoAffine: LayerNormReference.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize); break;
            case Variant.RmsNorm: RmsNormReference.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }
}

public sealed class GenericFamilyEngine : FamilyEngine
{
    public override string Name => "Generic";

    public override void Forward(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon); break;
            case Variant.LayerNorm: LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias when plain: LayerNorm.ForwardNoBias(x, gamma, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias: LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine when plain: LayerNorm.ForwardNoAffine(x, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine: LayerNorm.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.RmsNorm when plain: RmsNorm.Forward(x, gamma, y, hiddenSize, epsilon); break;
            case Variant.RmsNorm: RmsNorm.Forward(x, gamma, y, rstd, hiddenSize, epsilon); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    public override void ForwardResidual(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNorm: LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias when plain: LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoBias: LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine when plain: LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon); break;
            case Variant.LayerNormNoAffine: LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon); break;
            case Variant.RmsNorm when plain: RmsNorm.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon); break;
            case Variant.RmsNorm: RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    public override void Backward(Variant v, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        switch (v)
        {
            case Variant.LayerNorm: LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize); break;
            case Variant.LayerNormNoBias: LayerNorm.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize); break;
            case Variant.LayerNormNoAffine: LayerNorm.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize); break;
            case Variant.RmsNorm: RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }
}
