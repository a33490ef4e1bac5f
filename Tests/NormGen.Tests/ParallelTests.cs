using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The parallel forms (ForwardParallel, BackwardParallel) of the generic path and of generated kernels:
/// parity with the reference, bit-identical results for any thread count, argument checks, and the serial
/// paths' zero allocation.
/// </summary>
public class ParallelTests
{
    /// <summary>One implementation's serial and parallel entry points.</summary>
    public sealed record Forms(
        string Name,
        int HiddenSize,
        Action<float[], float[], float[], float[], float[], float[]> Forward,
        Action<float[], float[], float[], float[], float[], float[], float[], float[]> Backward,
        Action<float[], float[], float[], float[], float[], float[], int> ForwardParallel,
        Action<float[], float[], float[], float[], float[], float[], float[], float[], int> BackwardParallel,
        Action<float[], float[], float[], float[], int> ForwardParallelNoStatistics);

    private static Forms Generic(int n) => new(
        "Generic", n,
        (x, g, b, y, m, r) => LayerNorm.Forward(x, g, b, y, m, r, n),
        (dy, x, g, m, r, dx, dg, db) => LayerNorm.Backward(dy, x, g, m, r, dx, dg, db, n),
        (x, g, b, y, m, r, p) => LayerNorm.ForwardParallel(x, g, b, y, m, r, n, 1e-5f, p),
        (dy, x, g, m, r, dx, dg, db, p) => LayerNorm.BackwardParallel(dy, x, g, m, r, dx, dg, db, n, p),
        (x, g, b, y, p) => LayerNorm.ForwardParallel(x, g, b, y, n, 1e-5f, p));

    private static Forms Generated(int n) => n switch
    {
        64 => new("Generated", 64,
            (x, g, b, y, m, r) => GeneratedKernels.N64.Forward(x, g, b, y, m, r),
            (dy, x, g, m, r, dx, dg, db) => GeneratedKernels.N64.Backward(dy, x, g, m, r, dx, dg, db),
            (x, g, b, y, m, r, p) => GeneratedKernels.N64.ForwardParallel(x, g, b, y, m, r, p),
            (dy, x, g, m, r, dx, dg, db, p) => GeneratedKernels.N64.BackwardParallel(dy, x, g, m, r, dx, dg, db, p),
            (x, g, b, y, p) => GeneratedKernels.N64.ForwardParallel(x, g, b, y, p)),
        100 => new("Generated", 100,
            (x, g, b, y, m, r) => GeneratedKernels.N100.Forward(x, g, b, y, m, r),
            (dy, x, g, m, r, dx, dg, db) => GeneratedKernels.N100.Backward(dy, x, g, m, r, dx, dg, db),
            (x, g, b, y, m, r, p) => GeneratedKernels.N100.ForwardParallel(x, g, b, y, m, r, p),
            (dy, x, g, m, r, dx, dg, db, p) => GeneratedKernels.N100.BackwardParallel(dy, x, g, m, r, dx, dg, db, p),
            (x, g, b, y, p) => GeneratedKernels.N100.ForwardParallel(x, g, b, y, p)),
        768 => new("Generated", 768,
            (x, g, b, y, m, r) => GeneratedKernels.N768.Forward(x, g, b, y, m, r),
            (dy, x, g, m, r, dx, dg, db) => GeneratedKernels.N768.Backward(dy, x, g, m, r, dx, dg, db),
            (x, g, b, y, m, r, p) => GeneratedKernels.N768.ForwardParallel(x, g, b, y, m, r, p),
            (dy, x, g, m, r, dx, dg, db, p) => GeneratedKernels.N768.BackwardParallel(dy, x, g, m, r, dx, dg, db, p),
            (x, g, b, y, p) => GeneratedKernels.N768.ForwardParallel(x, g, b, y, p)),
        _ => throw new ArgumentOutOfRangeException(nameof(n)),
    };

    private static Forms FormsFor(string engine, int n) => engine == "Generic" ? Generic(n) : Generated(n);

    public static TheoryData<string, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string engine in new[] { "Generic", "Generated" })
        {
            data.Add(engine, 4096, 768);
            data.Add(engine, 8192, 64);
            data.Add(engine, 3001, 100);
            data.Add(engine, 5, 768);   // below the threshold: serial
        }
        return data;
    }

    private sealed record Problem(float[] X, float[] Gamma, float[] Beta, float[] Dy, float[] Mean, float[] Rstd);

    private static Problem Make(int rows, int n)
    {
        float[] x = TestRows.Rows(RowKind.Random, rows, n, seed: rows * 7 + n);
        float[] gamma = TestRows.Uniform(n, 0.5f, 1.5f, seed: 21);
        float[] beta = TestRows.Uniform(n, -1, 1, seed: 22);
        float[] dy = TestRows.Uniform(x.Length, -0.5f, 1.5f, seed: 23);
        var (_, mean, rstd) = ParityTests.RunForward(Engines.Reference, x, gamma, beta, rows, n);
        return new Problem(x, gamma, beta, dy, mean, rstd);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Parallel_MatchesReference(string engine, int rows, int n)
    {
        Forms forms = FormsFor(engine, n);
        Problem p = Make(rows, n);
        var (yRef, meanRef, rstdRef) = ParityTests.RunForward(Engines.Reference, p.X, p.Gamma, p.Beta, rows, n);
        var (dxRef, dgammaRef, dbetaRef) = ParityTests.RunBackward(Engines.Reference, p.Dy, p.X, p.Gamma, p.Mean, p.Rstd, n);

        var y = new float[p.X.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        forms.ForwardParallel(p.X, p.Gamma, p.Beta, y, mean, rstd, 2);
        NumericAssert.Close(yRef, y, "y");
        NumericAssert.Close(meanRef, mean, "mean");
        NumericAssert.Close(rstdRef, rstd, "rstd");

        var dx = new float[p.X.Length];
        var dgamma = new float[n];
        var dbeta = new float[n];
        dgamma.AsSpan().Fill(123f);
        dbeta.AsSpan().Fill(-456f);
        forms.BackwardParallel(p.Dy, p.X, p.Gamma, p.Mean, p.Rstd, dx, dgamma, dbeta, 2);
        NumericAssert.Close(dxRef, dx, "dx");
        NumericAssert.Close(dgammaRef, dgamma, "dgamma");
        NumericAssert.Close(dbetaRef, dbeta, "dbeta");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Parallel_BitIdentical_ForAnyThreadCount(string engine, int rows, int n)
    {
        Forms forms = FormsFor(engine, n);
        Problem p = Make(rows, n);

        // The serial span API is the baseline.
        var ySerial = new float[p.X.Length];
        var meanSerial = new float[rows];
        var rstdSerial = new float[rows];
        forms.Forward(p.X, p.Gamma, p.Beta, ySerial, meanSerial, rstdSerial);
        var dxSerial = new float[p.X.Length];
        var dgammaSerial = new float[n];
        var dbetaSerial = new float[n];
        forms.Backward(p.Dy, p.X, p.Gamma, p.Mean, p.Rstd, dxSerial, dgammaSerial, dbetaSerial);

        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            for (int run = 0; run < 2; run++)
            {
                var y = new float[p.X.Length];
                var mean = new float[rows];
                var rstd = new float[rows];
                forms.ForwardParallel(p.X, p.Gamma, p.Beta, y, mean, rstd, threads);
                NumericAssert.BitIdentical(ySerial, y, $"y ({threads} threads)");
                NumericAssert.BitIdentical(meanSerial, mean, $"mean ({threads} threads)");
                NumericAssert.BitIdentical(rstdSerial, rstd, $"rstd ({threads} threads)");

                var yOnly = new float[p.X.Length];
                forms.ForwardParallelNoStatistics(p.X, p.Gamma, p.Beta, yOnly, threads);
                NumericAssert.BitIdentical(ySerial, yOnly, $"y without statistics ({threads} threads)");

                var dx = new float[p.X.Length];
                var dgamma = new float[n];
                var dbeta = new float[n];
                forms.BackwardParallel(p.Dy, p.X, p.Gamma, p.Mean, p.Rstd, dx, dgamma, dbeta, threads);
                NumericAssert.BitIdentical(dxSerial, dx, $"dx ({threads} threads)");
                NumericAssert.BitIdentical(dgammaSerial, dgamma, $"dgamma ({threads} threads)");
                NumericAssert.BitIdentical(dbetaSerial, dbeta, $"dbeta ({threads} threads)");
            }
        }
    }

    [Fact]
    public void Parallel_ThreadPlan()
    {
        // The shapes above do run on several threads (else the bit-identity test would prove nothing)...
        Assert.Equal(8, RowScheduler.ForwardThreads(4096, 768, 8));
        Assert.Equal(8, RowScheduler.BackwardThreads(4096, 768, 8));
        Assert.Equal(3, RowScheduler.BackwardThreads(8192, 64, 3));
        Assert.Equal(4, RowScheduler.ForwardThreads(3001, 100, 8));
        Assert.Equal(2, RowScheduler.BackwardThreads(4096, 768, 2));
        // ...and small ones stay serial.
        Assert.Equal(1, RowScheduler.ForwardThreads(5, 768, 8));
        Assert.Equal(1, RowScheduler.ForwardThreads(64, 768, 8));
        Assert.Equal(1, RowScheduler.BackwardThreads(512, 64, 8));
        Assert.Equal(1, RowScheduler.ForwardThreads(1, 4096, 8));
    }

    [Theory]
    [InlineData("Generic", 0)]
    [InlineData("Generic", -1)]
    [InlineData("Generated", 0)]
    [InlineData("Generated", int.MinValue)]
    public void Parallel_RejectsDegreeBelowOne_BeforeWriting(string engine, int degree)
    {
        const int rows = 64, n = 768;
        Forms forms = FormsFor(engine, n);
        Problem p = Make(rows, n);
        var y = new float[p.X.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        y.AsSpan().Fill(7f);
        mean.AsSpan().Fill(7f);
        rstd.AsSpan().Fill(7f);
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => forms.ForwardParallel(p.X, p.Gamma, p.Beta, y, mean, rstd, degree));
        Assert.Equal("degreeOfParallelism", e1.ParamName);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => forms.ForwardParallelNoStatistics(p.X, p.Gamma, p.Beta, y, degree));
        Assert.Equal("degreeOfParallelism", e2.ParamName);
        Assert.All(y, v => Assert.Equal(7f, v));
        Assert.All(mean, v => Assert.Equal(7f, v));
        Assert.All(rstd, v => Assert.Equal(7f, v));

        var dx = new float[p.X.Length];
        var dgamma = new float[n];
        var dbeta = new float[n];
        dx.AsSpan().Fill(7f);
        dgamma.AsSpan().Fill(7f);
        dbeta.AsSpan().Fill(7f);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => forms.BackwardParallel(p.Dy, p.X, p.Gamma, p.Mean, p.Rstd, dx, dgamma, dbeta, degree));
        Assert.Equal("degreeOfParallelism", e3.ParamName);
        Assert.All(dx, v => Assert.Equal(7f, v));
        Assert.All(dgamma, v => Assert.Equal(7f, v));
        Assert.All(dbeta, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Parallel_ChecksLengths()
    {
        var x = new float[10 * 768];
        var gamma = new float[768];
        var beta = new float[768];
        var y = new float[10 * 768 - 1];
        Assert.Throws<ArgumentException>(() => LayerNorm.ForwardParallel(x, gamma, beta, y, 768, 1e-5f, 2));
        Assert.Throws<ArgumentException>(() => GeneratedKernels.N768.ForwardParallel(x, gamma, beta, y, 2));
    }

    [Theory]
    [InlineData("Generic", 4096, 768)]
    [InlineData("Generic", 512, 64)]
    [InlineData("Generic", 3, 768)]
    [InlineData("Generic", 100, 100)]
    [InlineData("Generated", 4096, 768)]
    [InlineData("Generated", 512, 64)]
    [InlineData("Generated", 100, 100)]
    public void SerialPaths_AllocateNothing(string engine, int rows, int n)
    {
        // The delegates are made once, here; calling them allocates nothing by itself.
        Forms forms = FormsFor(engine, n);
        float[] x = TestRows.Rows(RowKind.Random, rows, n, seed: 5);
        float[] gamma = TestRows.Uniform(n, 0.5f, 1.5f, seed: 6);
        float[] beta = TestRows.Uniform(n, -1, 1, seed: 7);
        float[] dy = TestRows.Uniform(x.Length, -1, 1, seed: 8);
        var y = new float[x.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        var dx = new float[x.Length];
        var dgamma = new float[n];
        var dbeta = new float[n];

        void Call()
        {
            forms.Forward(x, gamma, beta, y, mean, rstd);
            forms.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
        }

        // Warm-up: the JIT (tier 0, then OSR for the long loops) and the thread's scratch buffer for large hidden sizes.
        for (int i = 0; i < 3; i++)
            Call();

        // A per-call allocation shows in every window; a one-off (the runtime's own, during tier-up) shows in
        // one at most. So the steady state allocates nothing if any of a few windows of 3 calls is clean.
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
                Call();
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (windows[w] == 0)
                return;
        }
        Assert.Fail($"every window of 3 calls allocated: {string.Join(", ", windows)} bytes");
    }
}
