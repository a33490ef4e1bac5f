using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// RMSNorm forward (inference: y only) at the RMSNorm shapes (<see cref="Shapes.RmsNormAll"/>: 1×4096, 64×768,
/// 4096×768, 1024×4096; quick mode 64×768, 4096×768, 1024×4096). The generated [RmsNorm(N)] kernel is the baseline;
/// the contenders are the generic path, a TensorPrimitives composition and the copy roofline.
/// </summary>
[MemoryDiagnoser]
public class RmsNormForwardBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _gamma = [];
    private float[] _y = [];
    private int _hidden;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(Shapes.RmsNormAll, Shapes.RmsNormQuick);

#if NORMGEN_GENERATED
    /// <summary>The [RmsNorm(N)] kernel the source generator wrote for this hidden size.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.RmsNormForward(_hidden, _x, _gamma, _y);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Check.Close(nameof(Generated), "y", Shape.ToString(), _y, Expected(), Check.Ours, nameof(RmsNormReference));
    }
#endif

    /// <summary>The generic runtime path, <see cref="RmsNorm"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => RmsNorm.Forward(_x, _gamma, _y, _hidden, Epsilon);

    /// <summary>One TensorPrimitives call per step, row by row (SumOfSquares, Multiply, Multiply).</summary>
    [Benchmark]
    public void TensorPrimitives() => TensorPrimitivesRmsNorm.Forward(_x, _gamma, _y, _hidden, Epsilon);

    /// <summary>The memory roofline: copying the same bytes, x to y.</summary>
    [Benchmark]
    public void Roofline() => _x.AsSpan().CopyTo(_y);

    [GlobalSetup(Target = nameof(Generic))]
    public void SetupGeneric()
    {
        Prepare();
        Generic();
        Check.Close(nameof(Generic), "y", Shape.ToString(), _y, Expected(), Check.Ours, nameof(RmsNormReference));
    }

    [GlobalSetup(Target = nameof(TensorPrimitives))]
    public void SetupTensorPrimitives()
    {
        Prepare();
        TensorPrimitives();
        Check.Close(nameof(TensorPrimitives), "y", Shape.ToString(), _y, Expected(), Check.Peer, nameof(RmsNormReference));
    }

    [GlobalSetup(Target = nameof(Roofline))]
    public void SetupRoofline()
    {
        Prepare();
        Roofline();
        Check.Close(nameof(Roofline), "copy", Shape.ToString(), _y, _x, 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x = _gamma = _y = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _y = new float[Shape.Length];
    }

    private float[] Expected()
    {
        var expected = new float[Shape.Length];
        RmsNormReference.Forward(_x, _gamma, expected, _hidden, Epsilon);
        return expected;
    }
}

/// <summary>
/// RMSNorm backward (dx and dgamma from dy and the saved rstd) at the RMSNorm shapes. Three contenders, as for
/// LayerNorm backward: generated (baseline), generic, TensorPrimitives.
/// </summary>
[MemoryDiagnoser]
public class RmsNormBackwardBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _gamma = [];
    private float[] _dy = [];
    private float[] _rstd = [];
    private float[] _dx = [];
    private float[] _dgamma = [];
    private float[] _xhat = [];
    private float[] _g = [];
    private int _hidden;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(Shapes.RmsNormAll, Shapes.RmsNormQuick);

#if NORMGEN_GENERATED
    /// <summary>The [RmsNorm(N)] kernel the source generator wrote for this hidden size.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.RmsNormBackward(_hidden, _dy, _x, _gamma, _rstd, _dx, _dgamma);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Verify(nameof(Generated), Check.Ours);
    }
#endif

    /// <summary>The generic runtime path, <see cref="RmsNorm"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => RmsNorm.Backward(_dy, _x, _gamma, _rstd, _dx, _dgamma, _hidden);

    /// <summary>One TensorPrimitives call per step, row by row.</summary>
    [Benchmark]
    public void TensorPrimitives() => TensorPrimitivesRmsNorm.Backward(_dy, _x, _gamma, _rstd, _dx, _dgamma, _xhat, _g, _hidden);

    [GlobalSetup(Target = nameof(Generic))]
    public void SetupGeneric()
    {
        Prepare();
        Generic();
        Verify(nameof(Generic), Check.Ours);
    }

    [GlobalSetup(Target = nameof(TensorPrimitives))]
    public void SetupTensorPrimitives()
    {
        Prepare();
        TensorPrimitives();
        Verify(nameof(TensorPrimitives), Check.Peer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x = _gamma = _dy = _rstd = _dx = _dgamma = _xhat = _g = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _dy = Data.Normal(Shape.Length, seed: 4);
        _rstd = new float[Shape.Rows];
        RmsNormReference.Forward(_x, _gamma, new float[Shape.Length], _rstd, _hidden, Epsilon);
        _dx = new float[Shape.Length];
        _dgamma = new float[_hidden];
        _xhat = new float[_hidden];
        _g = new float[_hidden];
    }

    private void Verify(string contender, double tolerance)
    {
        var dx = new float[Shape.Length];
        var dgamma = new float[_hidden];
        RmsNormReference.Backward(_dy, _x, _gamma, _rstd, dx, dgamma, _hidden);
        // Σ_rows |dy · xhat|: how large the partial sums behind dgamma get.
        var dgammaMagnitude = new double[_hidden];
        for (int r = 0; r < Shape.Rows; r++)
        {
            for (int j = 0; j < _hidden; j++)
            {
                int i = r * _hidden + j;
                dgammaMagnitude[j] += Math.Abs(_dy[i] * (double)_x[i] * _rstd[r]);
            }
        }
        string shape = Shape.ToString();
        Check.Close(contender, "dx", shape, _dx, dx, tolerance, nameof(RmsNormReference));
        Check.CloseSum(contender, "dgamma", shape, _dgamma, dgamma, dgammaMagnitude, tolerance, nameof(RmsNormReference));
    }
}
