using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// RMSNorm with a residual add (LLaMA-style pre-norm): sum = x + residual, y = RMSNorm(sum). The fused
/// <c>ForwardResidual</c> against <c>TensorPrimitives.Add</c> followed by <c>Forward</c> on the sum, as
/// <see cref="ResidualBenchmarks"/> does for LayerNorm; same shapes, so one run prints both "fused ÷ add-then-forward" rows.
/// </summary>
/// <remarks>Built without the generator, Generic is the fused baseline and AddThenForward calls the generic
/// <see cref="RmsNorm.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>.</remarks>
[MemoryDiagnoser]
public class RmsNormResidualBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _residual = [];
    private float[] _gamma = [];
    private float[] _sum = [];
    private float[] _y = [];
    private int _hidden;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run: those of <see cref="ResidualBenchmarks"/>.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(Shapes.ResidualAll, Shapes.ResidualQuick);

#if NORMGEN_GENERATED
    /// <summary>The fused [RmsNorm(N)] kernel: sum and y in one call.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.RmsNormForwardResidual(_hidden, _x, _residual, _gamma, _sum, _y);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Verify(nameof(Generated), Check.Ours);
    }

    /// <summary>Unfused: TensorPrimitives.Add into sum, then the generated RMSNorm Forward on sum.</summary>
    [Benchmark]
    public void AddThenForward()
    {
        System.Numerics.Tensors.TensorPrimitives.Add(_x, _residual, _sum);
        GeneratedKernels.RmsNormForward(_hidden, _sum, _gamma, _y);
    }
#else
    /// <summary>Unfused: TensorPrimitives.Add into sum, then the generic RMSNorm Forward on sum (no generator in this build).</summary>
    [Benchmark]
    public void AddThenForward()
    {
        System.Numerics.Tensors.TensorPrimitives.Add(_x, _residual, _sum);
        RmsNorm.Forward(_sum, _gamma, _y, _hidden, Epsilon);
    }
#endif

    /// <summary>The fused generic runtime path, <see cref="RmsNorm.ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => RmsNorm.ForwardResidual(_x, _residual, _gamma, _sum, _y, _hidden, Epsilon);

    [GlobalSetup(Target = nameof(AddThenForward))]
    public void SetupAddThenForward()
    {
        Prepare();
        AddThenForward();
        Verify(nameof(AddThenForward), Check.Ours);
    }

    [GlobalSetup(Target = nameof(Generic))]
    public void SetupGeneric()
    {
        Prepare();
        Generic();
        Verify(nameof(Generic), Check.Ours);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x = _residual = _gamma = _sum = _y = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _residual = Data.Normal(Shape.Length, seed: 5);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _sum = new float[Shape.Length];
        _y = new float[Shape.Length];
    }

    /// <summary>sum must be the float x + residual exactly; y within the tolerance of the reference.</summary>
    private void Verify(string contender, double tolerance)
    {
        var sum = new float[Shape.Length];
        var y = new float[Shape.Length];
        RmsNormReference.ForwardResidual(_x, _residual, _gamma, sum, y, _hidden, Epsilon);
        string shape = Shape.ToString();
        Check.Close(contender, "sum", shape, _sum, sum, 0, nameof(RmsNormReference));
        Check.Close(contender, "y", shape, _y, y, tolerance, nameof(RmsNormReference));
    }
}
