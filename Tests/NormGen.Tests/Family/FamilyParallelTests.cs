using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The generated parallel forms of RMSNorm and the LayerNorm options: every output bit-identical to the serial call
/// for 1, 2, 3 and 8 threads, on a shape large enough to be split (the full LayerNorm's are in ParallelTests).
/// </summary>
public class FamilyParallelTests
{
    private const int N = 768, Rows = 333;   // 255 744 elements: three threads' worth; an odd row count

    public static TheoryData<int> Threads => new(1, 2, 3, 8);

    private static float[] Data(int length, int seed) => TestRows.Uniform(length, -2, 2, seed);

    [Theory]
    [MemberData(nameof(Threads))]
    public void RmsNorm_IsBitIdenticalToSerial(int threads)
    {
        float[] x = Data(Rows * N, 1), gamma = Data(N, 2), dy = Data(Rows * N, 3);
        float[] y = new float[x.Length], rstd = new float[Rows];
        GeneratedFamilyKernels.RmsNorm768.Forward(x, gamma, y, rstd);
        float[] dx = new float[x.Length], dgamma = new float[N];
        GeneratedFamilyKernels.RmsNorm768.Backward(dy, x, gamma, rstd, dx, dgamma);

        float[] yPlain = new float[x.Length], yParallel = new float[x.Length], rstdParallel = new float[Rows];
        GeneratedFamilyKernels.RmsNorm768.ForwardParallel(x, gamma, yPlain, threads);
        GeneratedFamilyKernels.RmsNorm768.ForwardParallel(x, gamma, yParallel, rstdParallel, threads);
        NumericAssert.BitIdentical(y, yPlain, "y");
        NumericAssert.BitIdentical(y, yParallel, "y with statistics");
        NumericAssert.BitIdentical(rstd, rstdParallel, "rstd");

        float[] dxParallel = new float[x.Length], dgammaParallel = new float[N];
        GeneratedFamilyKernels.RmsNorm768.BackwardParallel(dy, x, gamma, rstd, dxParallel, dgammaParallel, threads);
        NumericAssert.BitIdentical(dx, dxParallel, "dx");
        NumericAssert.BitIdentical(dgamma, dgammaParallel, "dgamma");
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void LayerNormNoBias_IsBitIdenticalToSerial(int threads)
    {
        float[] x = Data(Rows * N, 4), gamma = Data(N, 5), dy = Data(Rows * N, 6);
        float[] y = new float[x.Length], mean = new float[Rows], rstd = new float[Rows];
        GeneratedFamilyKernels.LayerNormNoBias768.Forward(x, gamma, y, mean, rstd);
        float[] dx = new float[x.Length], dgamma = new float[N];
        GeneratedFamilyKernels.LayerNormNoBias768.Backward(dy, x, gamma, mean, rstd, dx, dgamma);

        float[] yParallel = new float[x.Length], meanParallel = new float[Rows], rstdParallel = new float[Rows];
        GeneratedFamilyKernels.LayerNormNoBias768.ForwardParallel(x, gamma, yParallel, meanParallel, rstdParallel, threads);
        NumericAssert.BitIdentical(y, yParallel, "y");
        NumericAssert.BitIdentical(mean, meanParallel, "mean");
        NumericAssert.BitIdentical(rstd, rstdParallel, "rstd");

        float[] dxParallel = new float[x.Length], dgammaParallel = new float[N];
        GeneratedFamilyKernels.LayerNormNoBias768.BackwardParallel(dy, x, gamma, mean, rstd, dxParallel, dgammaParallel, threads);
        NumericAssert.BitIdentical(dx, dxParallel, "dx");
        NumericAssert.BitIdentical(dgamma, dgammaParallel, "dgamma");
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void LayerNormNoAffine_IsBitIdenticalToSerial(int threads)
    {
        float[] x = Data(Rows * N, 7), dy = Data(Rows * N, 8);
        float[] y = new float[x.Length], mean = new float[Rows], rstd = new float[Rows];
        GeneratedFamilyKernels.LayerNormNoAffine768.Forward(x, y, mean, rstd);
        float[] dx = new float[x.Length];
        GeneratedFamilyKernels.LayerNormNoAffine768.Backward(dy, x, mean, rstd, dx);

        float[] yParallel = new float[x.Length], meanParallel = new float[Rows], rstdParallel = new float[Rows];
        GeneratedFamilyKernels.LayerNormNoAffine768.ForwardParallel(x, yParallel, meanParallel, rstdParallel, threads);
        NumericAssert.BitIdentical(y, yParallel, "y");
        NumericAssert.BitIdentical(mean, meanParallel, "mean");
        NumericAssert.BitIdentical(rstd, rstdParallel, "rstd");

        float[] dxParallel = new float[x.Length];
        GeneratedFamilyKernels.LayerNormNoAffine768.BackwardParallel(dy, x, mean, rstd, dxParallel, threads);
        NumericAssert.BitIdentical(dx, dxParallel, "dx");
    }
}
