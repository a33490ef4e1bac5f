#if NORMGEN_GENERATED
using System;

namespace NormGen.Benchmarks;

// One generated kernel per hidden size the suite measures. The source generator writes Forward, Backward and
// ForwardResidual (384: the decode-step benchmarks only). RMSNorm (RmsNormBenchmarks, RmsNormResidualBenchmarks) is measured at hidden 768 and 4096 only.
[LayerNorm(64)] public static partial class Norm64;
[LayerNorm(384)] public static partial class Norm384;
[LayerNorm(128)] public static partial class Norm128;
[LayerNorm(768)] public static partial class Norm768;
[LayerNorm(1024)] public static partial class Norm1024;
[LayerNorm(4096)] public static partial class Norm4096;
[RmsNorm(768)] public static partial class RmsNorm768;
[RmsNorm(4096)] public static partial class RmsNorm4096;

/// <summary>Picks the generated kernel for a hidden size. The switch is a jump on a field that never changes
/// during a benchmark, so the branch predictor makes it free next to the kernel.</summary>
internal static class GeneratedKernels
{
    public const bool Available = true;

    /// <summary><see cref="Available"/>, read at run time (no unreachable-code warning).</summary>
    public static bool IsAvailable => Available;

    public static void Forward(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        switch (hidden)
        {
            case 64: Norm64.Forward(x, gamma, beta, y); break;
            case 128: Norm128.Forward(x, gamma, beta, y); break;
            case 384: Norm384.Forward(x, gamma, beta, y); break;
            case 768: Norm768.Forward(x, gamma, beta, y); break;
            case 1024: Norm1024.Forward(x, gamma, beta, y); break;
            case 4096: Norm4096.Forward(x, gamma, beta, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated kernel for this hidden size.");
        }
    }

    /// <summary>Forward for training: y, and each row's mean and rstd for Backward.</summary>
    public static void ForwardTraining(
        int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd)
    {
        switch (hidden)
        {
            case 64: Norm64.Forward(x, gamma, beta, y, mean, rstd); break;
            case 128: Norm128.Forward(x, gamma, beta, y, mean, rstd); break;
            case 384: Norm384.Forward(x, gamma, beta, y, mean, rstd); break;
            case 768: Norm768.Forward(x, gamma, beta, y, mean, rstd); break;
            case 1024: Norm1024.Forward(x, gamma, beta, y, mean, rstd); break;
            case 4096: Norm4096.Forward(x, gamma, beta, y, mean, rstd); break;
            default:
                throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated kernel for this size.");
        }
    }

    public static void Backward(
        int hidden, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta)
    {
        switch (hidden)
        {
            case 64: Norm64.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case 128: Norm128.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case 384: Norm384.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case 768: Norm768.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case 1024: Norm1024.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case 4096: Norm4096.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated kernel for this hidden size.");
        }
    }

    /// <summary>LayerNorm with the residual add fused: sum = x + residual, y = LayerNorm(sum).</summary>
    public static void ForwardResidual(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y)
    {
        switch (hidden)
        {
            case 64: Norm64.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            case 128: Norm128.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            case 384: Norm384.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            case 768: Norm768.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            case 1024: Norm1024.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            case 4096: Norm4096.ForwardResidual(x, residual, gamma, beta, sum, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated kernel for this hidden size.");
        }
    }

    public static void RmsNormForward(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y)
    {
        switch (hidden)
        {
            case 768: RmsNorm768.Forward(x, gamma, y); break;
            case 4096: RmsNorm4096.Forward(x, gamma, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated RMSNorm kernel for this hidden size.");
        }
    }

    public static void RmsNormBackward(
        int hidden, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma)
    {
        switch (hidden)
        {
            case 768: RmsNorm768.Backward(dy, x, gamma, rstd, dx, dgamma); break;
            case 4096: RmsNorm4096.Backward(dy, x, gamma, rstd, dx, dgamma); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated RMSNorm kernel for this hidden size.");
        }
    }

    /// <summary>RMSNorm with the residual add fused: sum = x + residual, y = RMSNorm(sum).</summary>
    public static void RmsNormForwardResidual(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        Span<float> sum, Span<float> y)
    {
        switch (hidden)
        {
            case 768: RmsNorm768.ForwardResidual(x, residual, gamma, sum, y); break;
            case 4096: RmsNorm4096.ForwardResidual(x, residual, gamma, sum, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "No generated RMSNorm kernel for this hidden size.");
        }
    }
}
#else
using System;

namespace NormGen.Benchmarks;

/// <summary>Built without the source generator (-p:NormGenGenerated=false): the Generated contender is absent.</summary>
internal static class GeneratedKernels
{
    public const bool Available = false;

    /// <summary><see cref="Available"/>, read at run time (no unreachable-code warning).</summary>
    public static bool IsAvailable => Available;

    public static void Forward(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void ForwardTraining(
        int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void Backward(
        int hidden, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void ForwardResidual(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> sum, Span<float> y)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void RmsNormForward(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void RmsNormBackward(
        int hidden, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");

    public static void RmsNormForwardResidual(int hidden, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        Span<float> sum, Span<float> y)
        => throw new NotSupportedException("Built without NormGen.Generator; no generated kernels.");
}
#endif
