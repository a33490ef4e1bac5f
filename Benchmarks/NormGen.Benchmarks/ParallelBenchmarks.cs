#if NORMGEN_GENERATED
using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NormGen.Benchmarks;

/// <summary>
/// The opt-in parallel forms against the serial calls, in the same run: generated kernels (hidden 768 and 64) and the
/// generic path, forward and backward. <c>Ratio</c> is parallel time ÷ serial time within each category, so 0.5 is
/// a 2× speed-up. Its parameter is <see cref="Size"/>, not Shape, so the suite's ratio tables and charts leave it out.
/// Run it with <c>--filter '*Parallel*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ParallelBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [], _gamma = [], _beta = [], _y = [], _dy = [], _mean = [], _rstd = [], _dx = [], _dgamma = [], _dbeta = [];

    /// <summary>Threads for the parallel forms: every core of this machine.</summary>
    public static readonly int Threads = Environment.ProcessorCount;

    /// <summary>rows x hidden: the 4096×768, a large and two small shapes (the small ones must stay serial).</summary>
    [ParamsSource(nameof(Sizes))]
    public Shape Size { get; set; } = new(1, 1);

    /// <summary>The shapes.</summary>
    public static IEnumerable<Shape> Sizes =>
        Shapes.QuickMode
            ? [new Shape(4096, 768), new Shape(64, 768)]
            : [new Shape(4096, 768), new Shape(32768, 768), new Shape(64, 768), new Shape(512, 64)];

    [GlobalSetup]
    public void Setup()
    {
        int n = Size.Hidden;
        _x = Data.Normal(Size.Length, seed: 1);
        _gamma = Data.Normal(n, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(n, seed: 3, scale: 0.1f);
        _dy = Data.Normal(Size.Length, seed: 4);
        _y = new float[Size.Length];
        _dx = new float[Size.Length];
        _mean = new float[Size.Rows];
        _rstd = new float[Size.Rows];
        _dgamma = new float[n];
        _dbeta = new float[n];
        LayerNorm.Forward(_x, _gamma, _beta, _y, _mean, _rstd, n, Epsilon);

        // Set-up check: the parallel forms give the serial results bit for bit.
        var y = new float[Size.Length];
        var dx = new float[Size.Length];
        var dgamma = new float[n];
        var dbeta = new float[n];
        GeneratedForwardSerial();
        GeneratedForwardParallel();
        GeneratedBackwardSerial();
        _y.AsSpan().CopyTo(y);
        _dx.AsSpan().CopyTo(dx);
        _dgamma.AsSpan().CopyTo(dgamma);
        _dbeta.AsSpan().CopyTo(dbeta);
        GeneratedBackwardParallel();
        if (!_dx.AsSpan().SequenceEqual(dx) || !_dgamma.AsSpan().SequenceEqual(dgamma) || !_dbeta.AsSpan().SequenceEqual(dbeta))
            throw new InvalidOperationException("The parallel backward differs from the serial one.");
        GeneratedForwardSerial();
        _y.AsSpan().CopyTo(y);
        GeneratedForwardParallel();
        if (!_y.AsSpan().SequenceEqual(y))
            throw new InvalidOperationException("The parallel forward differs from the serial one.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Generated forward")]
    public void GeneratedForwardSerial()
    {
        if (Size.Hidden == 768) Norm768.Forward(_x, _gamma, _beta, _y, _mean, _rstd);
        else Norm64.Forward(_x, _gamma, _beta, _y, _mean, _rstd);
    }

    [Benchmark, BenchmarkCategory("Generated forward")]
    public void GeneratedForwardParallel()
    {
        if (Size.Hidden == 768) Norm768.ForwardParallel(_x, _gamma, _beta, _y, _mean, _rstd, Threads);
        else Norm64.ForwardParallel(_x, _gamma, _beta, _y, _mean, _rstd, Threads);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Generated backward")]
    public void GeneratedBackwardSerial()
    {
        if (Size.Hidden == 768) Norm768.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta);
        else Norm64.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta);
    }

    [Benchmark, BenchmarkCategory("Generated backward")]
    public void GeneratedBackwardParallel()
    {
        if (Size.Hidden == 768) Norm768.BackwardParallel(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, Threads);
        else Norm64.BackwardParallel(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, Threads);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Generic forward")]
    public void GenericForwardSerial() => LayerNorm.Forward(_x, _gamma, _beta, _y, _mean, _rstd, Size.Hidden, Epsilon);

    [Benchmark, BenchmarkCategory("Generic forward")]
    public void GenericForwardParallel() => LayerNorm.ForwardParallel(_x, _gamma, _beta, _y, _mean, _rstd, Size.Hidden, Epsilon, Threads);

    [Benchmark(Baseline = true), BenchmarkCategory("Generic backward")]
    public void GenericBackwardSerial() => LayerNorm.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, Size.Hidden);

    [Benchmark, BenchmarkCategory("Generic backward")]
    public void GenericBackwardParallel() => LayerNorm.BackwardParallel(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, Size.Hidden, Threads);
}
#endif
