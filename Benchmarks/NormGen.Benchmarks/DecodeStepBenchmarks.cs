using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// The decode step of an autoregressive model: one token, one row per call, at the hidden sizes of small and large
/// models. A call of one row is bound by what every call pays (the argument checks, the dispatch) and by the row's
/// dependency chain (Σ, the square root and the divide before the first y), not by memory. Generated against the
/// generic path only; the targets table asks ≤ 0.80 of the generic path's time for each pass and shape.
/// </summary>
public static class DecodeStep
{
    /// <summary>The decode-step shapes: one row of 384, 768, 1024 and 4096 features.</summary>
    public static readonly string[] All = ["1x384", "1x768", "1x1024", "1x4096"];

    /// <summary>Quick mode's decode-step shapes.</summary>
    public static readonly string[] Quick = ["1x768", "1x4096"];

    internal const float Epsilon = 1e-5f;
}

/// <summary>One row forward (y only), generated against generic.</summary>
public class DecodeForwardBenchmarks
{
    private float[] _x = [], _gamma = [], _beta = [], _y = [];
    private int _hidden;

    /// <summary>1 x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(DecodeStep.All, DecodeStep.Quick);

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.Forward(_hidden, _x, _gamma, _beta, _y);
#endif

    /// <summary>The generic runtime path.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.Forward(_x, _gamma, _beta, _y, _hidden, DecodeStep.Epsilon);

    [GlobalSetup]
    public void Setup()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _y = new float[Shape.Length];
        var expected = new float[Shape.Length];
        LayerNormReference.Forward(_x, _gamma, _beta, expected, _hidden, DecodeStep.Epsilon);
        if (GeneratedKernels.IsAvailable)
        {
            GeneratedKernels.Forward(_hidden, _x, _gamma, _beta, _y);
            Check.Close("Generated", "y", Shape.ToString(), _y, expected, Check.Ours);
        }
        Generic();
        Check.Close(nameof(Generic), "y", Shape.ToString(), _y, expected, Check.Ours);
    }
}

/// <summary>One row of the fused residual forward (sum = x + residual, y = LayerNorm(sum)), generated against
/// generic: a pre-norm transformer block's step.</summary>
public class DecodeResidualBenchmarks
{
    private float[] _x = [], _residual = [], _gamma = [], _beta = [], _sum = [], _y = [];
    private int _hidden;

    /// <summary>1 x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(DecodeStep.All, DecodeStep.Quick);

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel's ForwardResidual.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.ForwardResidual(_hidden, _x, _residual, _gamma, _beta, _sum, _y);
#endif

    /// <summary>The generic runtime path.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.ForwardResidual(_x, _residual, _gamma, _beta, _sum, _y, _hidden, DecodeStep.Epsilon);

    [GlobalSetup]
    public void Setup()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _residual = Data.Normal(Shape.Length, seed: 5);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _sum = new float[Shape.Length];
        _y = new float[Shape.Length];
        var sum = new float[Shape.Length];
        for (int i = 0; i < sum.Length; i++)
            sum[i] = _x[i] + _residual[i];
        var expected = new float[Shape.Length];
        LayerNormReference.Forward(sum, _gamma, _beta, expected, _hidden, DecodeStep.Epsilon);
        if (GeneratedKernels.IsAvailable)
        {
            GeneratedKernels.ForwardResidual(_hidden, _x, _residual, _gamma, _beta, _sum, _y);
            Check.Close("Generated", "y", Shape.ToString(), _y, expected, Check.Ours);
        }
        Generic();
        Check.Close(nameof(Generic), "y", Shape.ToString(), _y, expected, Check.Ours);
    }
}

/// <summary>One row backward (dx, dgamma, dbeta), generated against generic: a fine-tuning step of one token, or
/// the last row of a sequence.</summary>
public class DecodeBackwardBenchmarks
{
    private float[] _x = [], _gamma = [], _dy = [], _mean = [], _rstd = [], _dx = [], _dgamma = [], _dbeta = [];
    private int _hidden;

    /// <summary>1 x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(DecodeStep.All, DecodeStep.Quick);

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel's Backward.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.Backward(_hidden, _dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta);
#endif

    /// <summary>The generic runtime path.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, _hidden);

    [GlobalSetup]
    public void Setup()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _dy = Data.Normal(Shape.Length, seed: 4);
        _mean = new float[1];
        _rstd = new float[1];
        LayerNormReference.Forward(_x, _gamma, new float[_hidden], new float[Shape.Length], _mean, _rstd, _hidden, DecodeStep.Epsilon);
        _dx = new float[Shape.Length];
        _dgamma = new float[_hidden];
        _dbeta = new float[_hidden];
        var dx = new float[Shape.Length];
        LayerNormReference.Backward(_dy, _x, _gamma, _mean, _rstd, dx, new float[_hidden], new float[_hidden], _hidden);
        if (GeneratedKernels.IsAvailable)
        {
            GeneratedKernels.Backward(_hidden, _dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta);
            Check.Close("Generated", "dx", Shape.ToString(), _dx, dx, Check.Ours);
        }
        Generic();
        Check.Close(nameof(Generic), "dx", Shape.ToString(), _dx, dx, Check.Ours);
    }
}
