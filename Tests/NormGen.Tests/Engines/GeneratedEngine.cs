using System;

namespace NormGen.Tests;

/// <summary>
/// The generated kernels of <see cref="GeneratedKernels"/>: one per hidden size, fixed at build time, so
/// <see cref="Supports"/> is true only for the sizes and epsilons declared there.
/// </summary>
public sealed class GeneratedEngine : Engine
{
    private const float DefaultEpsilon = 1e-5f;

    private delegate void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y);

    private delegate void ForwardWithStatisticsKernel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd);

    private delegate void BackwardKernel(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dgamma, Span<float> dbeta);

    private sealed record Kernel(ForwardKernel Forward, ForwardWithStatisticsKernel ForwardWithStatistics, BackwardKernel Backward);

    public override string Name => "Generated";

    public override bool Supports(int hiddenSize, float epsilon) => Find(hiddenSize, epsilon) is not null;

    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int hiddenSize, float epsilon)
        => Get(hiddenSize, epsilon).Forward(x, gamma, beta, y);

    public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
        => Get(hiddenSize, epsilon).ForwardWithStatistics(x, gamma, beta, y, mean, rstd);

    /// <summary>Backward has no epsilon; any kernel of the hidden size computes it, so the default-epsilon one is used.</summary>
    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
        => Get(hiddenSize, DefaultEpsilon).Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);

    private static Kernel Get(int hiddenSize, float epsilon) =>
        Find(hiddenSize, epsilon)
        ?? throw new NotSupportedException($"No generated kernel for hidden size {hiddenSize} and epsilon {epsilon:R}; declare one in GeneratedKernels.cs.");

    private static Kernel? Find(int hiddenSize, float epsilon) => (hiddenSize, epsilon) switch
    {
        (1, DefaultEpsilon) => new(GeneratedKernels.N1.Forward, GeneratedKernels.N1.Forward, GeneratedKernels.N1.Backward),
        (2, DefaultEpsilon) => new(GeneratedKernels.N2.Forward, GeneratedKernels.N2.Forward, GeneratedKernels.N2.Backward),
        (3, DefaultEpsilon) => new(GeneratedKernels.N3.Forward, GeneratedKernels.N3.Forward, GeneratedKernels.N3.Backward),
        (7, DefaultEpsilon) => new(GeneratedKernels.N7.Forward, GeneratedKernels.N7.Forward, GeneratedKernels.N7.Backward),
        (8, DefaultEpsilon) => new(GeneratedKernels.N8.Forward, GeneratedKernels.N8.Forward, GeneratedKernels.N8.Backward),
        (9, DefaultEpsilon) => new(GeneratedKernels.N9.Forward, GeneratedKernels.N9.Forward, GeneratedKernels.N9.Backward),
        (15, DefaultEpsilon) => new(GeneratedKernels.N15.Forward, GeneratedKernels.N15.Forward, GeneratedKernels.N15.Backward),
        (16, DefaultEpsilon) => new(GeneratedKernels.N16.Forward, GeneratedKernels.N16.Forward, GeneratedKernels.N16.Backward),
        (17, DefaultEpsilon) => new(GeneratedKernels.N17.Forward, GeneratedKernels.N17.Forward, GeneratedKernels.N17.Backward),
        (31, DefaultEpsilon) => new(GeneratedKernels.N31.Forward, GeneratedKernels.N31.Forward, GeneratedKernels.N31.Backward),
        (33, DefaultEpsilon) => new(GeneratedKernels.N33.Forward, GeneratedKernels.N33.Forward, GeneratedKernels.N33.Backward),
        (64, DefaultEpsilon) => new(GeneratedKernels.N64.Forward, GeneratedKernels.N64.Forward, GeneratedKernels.N64.Backward),
        (100, DefaultEpsilon) => new(GeneratedKernels.N100.Forward, GeneratedKernels.N100.Forward, GeneratedKernels.N100.Backward),
        (127, DefaultEpsilon) => new(GeneratedKernels.N127.Forward, GeneratedKernels.N127.Forward, GeneratedKernels.N127.Backward),
        (768, DefaultEpsilon) => new(GeneratedKernels.N768.Forward, GeneratedKernels.N768.Forward, GeneratedKernels.N768.Backward),
        (769, DefaultEpsilon) => new(GeneratedKernels.N769.Forward, GeneratedKernels.N769.Forward, GeneratedKernels.N769.Backward),
        (1024, DefaultEpsilon) => new(GeneratedKernels.N1024.Forward, GeneratedKernels.N1024.Forward, GeneratedKernels.N1024.Backward),
        (4095, DefaultEpsilon) => new(GeneratedKernels.N4095.Forward, GeneratedKernels.N4095.Forward, GeneratedKernels.N4095.Backward),
        (4096, DefaultEpsilon) => new(GeneratedKernels.N4096.Forward, GeneratedKernels.N4096.Forward, GeneratedKernels.N4096.Backward),
        (8191, DefaultEpsilon) => new(GeneratedKernels.N8191.Forward, GeneratedKernels.N8191.Forward, GeneratedKernels.N8191.Backward),
        (768, 1e-3f) => new(GeneratedKernels.N768Epsilon1e3.Forward, GeneratedKernels.N768Epsilon1e3.Forward, GeneratedKernels.N768Epsilon1e3.Backward),
        _ => null,
    };
}
