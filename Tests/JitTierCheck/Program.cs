using System;
using NormGen;

// Calls every generated kernel once (forward, fused residual forward, backward; LayerNorm and RMSNorm) for hidden
// sizes from the smallest plan to the generator's maximum, so the JIT compiles each path's methods;
// .ci/jit-tiers.sh reads the tiers. The fused residual forms run twice, the second time with the non-temporal
// threshold at 0, so that N = 768's non-temporal kernels are compiled too.
foreach (int n in new[] { 17, 135, 768, 8191, 65536 })
{
    const int rows = 2;
    var random = new Random(n);
    float[] x = new float[rows * n], residual = new float[x.Length], gamma = new float[n], beta = new float[n];
    float[] sum = new float[x.Length], y = new float[x.Length], mean = new float[rows], rstd = new float[rows];
    float[] dy = new float[x.Length], dx = new float[x.Length], dgamma = new float[n], dbeta = new float[n];
    for (int i = 0; i < x.Length; i++) { x[i] = (float)random.NextDouble(); residual[i] = (float)random.NextDouble(); dy[i] = (float)random.NextDouble(); }
    gamma.AsSpan().Fill(1f);
    switch (n)
    {
        case 17: LayerNorm(Kernels.N17.Forward, Kernels.N17.ForwardResidual, Kernels.N17.Backward); RmsNorm(Kernels.Rms17.Forward, Kernels.Rms17.ForwardResidual, Kernels.Rms17.Backward); break;
        case 135: LayerNorm(Kernels.N135.Forward, Kernels.N135.ForwardResidual, Kernels.N135.Backward); RmsNorm(Kernels.Rms135.Forward, Kernels.Rms135.ForwardResidual, Kernels.Rms135.Backward); break;
        case 768: LayerNorm(Kernels.N768.Forward, Kernels.N768.ForwardResidual, Kernels.N768.Backward); RmsNorm(Kernels.Rms768.Forward, Kernels.Rms768.ForwardResidual, Kernels.Rms768.Backward); break;
        case 8191: LayerNorm(Kernels.N8191.Forward, Kernels.N8191.ForwardResidual, Kernels.N8191.Backward); RmsNorm(Kernels.Rms8191.Forward, Kernels.Rms8191.ForwardResidual, Kernels.Rms8191.Backward); break;
        default: LayerNorm(Kernels.N65536.Forward, Kernels.N65536.ForwardResidual, Kernels.N65536.Backward); RmsNorm(Kernels.Rms65536.Forward, Kernels.Rms65536.ForwardResidual, Kernels.Rms65536.Backward); break;
    }

    void LayerNorm(LayerNormForward forward, LayerNormResidual forwardResidual, LayerNormBackward backward)
    {
        forward(x, gamma, beta, y, mean, rstd);
        NonTemporal(() => forward(x, gamma, beta, y, mean, rstd));
        forwardResidual(x, residual, gamma, beta, sum, y, mean, rstd);
        NonTemporal(() => forwardResidual(x, residual, gamma, beta, sum, y, mean, rstd));
        backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
        NonTemporal(() => backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta));
    }

    void RmsNorm(RmsNormForward forward, RmsNormResidual forwardResidual, RmsNormBackward backward)
    {
        forward(x, gamma, y, rstd);
        NonTemporal(() => forward(x, gamma, y, rstd));
        forwardResidual(x, residual, gamma, sum, y, rstd);
        NonTemporal(() => forwardResidual(x, residual, gamma, sum, y, rstd));
        backward(dy, x, gamma, rstd, dx, dgamma);
        NonTemporal(() => backward(dy, x, gamma, rstd, dx, dgamma));
    }
}
Console.WriteLine("called every kernel");

// Runs a fused call with the non-temporal threshold at 0, so the non-temporal kernel is taken, then restores it.
static void NonTemporal(Action call)
{
    int saved = NonTemporalStores.MinimumElements;
    NonTemporalStores.MinimumElements = 0;
    call();
    NonTemporalStores.MinimumElements = saved;
}

delegate void LayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd);
delegate void LayerNormResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd);
delegate void LayerNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);
delegate void RmsNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> rstd);
delegate void RmsNormResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, Span<float> rstd);
delegate void RmsNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma);

static partial class Kernels
{
    [LayerNorm(17)] public static partial class N17;
    [LayerNorm(135)] public static partial class N135;
    [LayerNorm(768)] public static partial class N768;
    [LayerNorm(8191)] public static partial class N8191;
    [LayerNorm(65536)] public static partial class N65536;
    [RmsNorm(17)] public static partial class Rms17;
    [RmsNorm(135)] public static partial class Rms135;
    [RmsNorm(768)] public static partial class Rms768;
    [RmsNorm(8191)] public static partial class Rms8191;
    [RmsNorm(65536)] public static partial class Rms65536;
}
