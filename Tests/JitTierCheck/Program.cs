using System;
using NormGen;

// Calls every generated kernel once, forward and backward, for hidden sizes from the smallest plan
// to the generator's maximum, so the JIT compiles each path's methods; .ci/jit-tiers.sh reads the tiers.
Run<Kernels.N17.Kernel>();
Run<Kernels.N135.Kernel>();
Run<Kernels.N768.Kernel>();
Run<Kernels.N8191.Kernel>();
Run<Kernels.N65536.Kernel>();
Console.WriteLine("called every kernel");

static void Run<TKernel>() where TKernel : ILayerNormKernel
{
    int n = TKernel.HiddenSize, rows = 2;
    var random = new Random(1);
    float[] x = new float[rows * n], gamma = new float[n], beta = new float[n], y = new float[x.Length];
    float[] mean = new float[rows], rstd = new float[rows], dy = new float[x.Length], dx = new float[x.Length];
    float[] dgamma = new float[n], dbeta = new float[n];
    for (int i = 0; i < x.Length; i++) { x[i] = (float)random.NextDouble(); dy[i] = (float)random.NextDouble(); }
    gamma.AsSpan().Fill(1f);
    TKernel.Forward(x, gamma, beta, y);
    TKernel.Forward(x, gamma, beta, y, mean, rstd);
    TKernel.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
}

static partial class Kernels
{
    [LayerNorm(17)] public static partial class N17;
    [LayerNorm(135)] public static partial class N135;
    [LayerNorm(768)] public static partial class N768;
    [LayerNorm(8191)] public static partial class N8191;
    [LayerNorm(65536)] public static partial class N65536;
}
