using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// LayerNorm with a residual add, the pre-norm transformer step: sum = x + residual, y = LayerNorm(sum). The fused
/// <c>ForwardResidual</c> (one pass over memory fewer) against the two calls a developer would otherwise make,
/// <c>TensorPrimitives.Add</c> then <c>Forward</c> on the sum. The target: at 4096×768 the fused form is
/// at least 1.3× faster than the add followed by the LayerNorm. Program prints "fused ÷ add-then-forward" after the run.
/// </summary>
/// <remarks>Built without the generator (<c>-p:NormGenGenerated=false</c>), Generic is the fused baseline and
/// AddThenForward calls the generic <see cref="LayerNorm.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>.</remarks>
[MemoryDiagnoser]
public class ResidualBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _residual = [];
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _sum = [];
    private float[] _y = [];
    private int _hidden;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run: 64×768, 4096×768, 1024×4096 (quick mode: 4096×768).</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(Shapes.ResidualAll, Shapes.ResidualQuick);

#if NORMGEN_GENERATED
    /// <summary>The fused [LayerNorm(N)] kernel: sum and y in one call.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.ForwardResidual(_hidden, _x, _residual, _gamma, _beta, _sum, _y);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Verify(nameof(Generated), Check.Ours);
    }

    /// <summary>Unfused: TensorPrimitives.Add into sum, then the generated Forward on sum.</summary>
    [Benchmark]
    public void AddThenForward()
    {
        System.Numerics.Tensors.TensorPrimitives.Add(_x, _residual, _sum);
        GeneratedKernels.Forward(_hidden, _sum, _gamma, _beta, _y);
    }
#else
    /// <summary>Unfused: TensorPrimitives.Add into sum, then the generic Forward on sum (no generator in this build).</summary>
    [Benchmark]
    public void AddThenForward()
    {
        System.Numerics.Tensors.TensorPrimitives.Add(_x, _residual, _sum);
        LayerNorm.Forward(_sum, _gamma, _beta, _y, _hidden, Epsilon);
    }
#endif

    /// <summary>The fused generic runtime path, <see cref="LayerNorm.ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.ForwardResidual(_x, _residual, _gamma, _beta, _sum, _y, _hidden, Epsilon);

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
        _x = _residual = _gamma = _beta = _sum = _y = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _residual = Data.Normal(Shape.Length, seed: 5);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _sum = new float[Shape.Length];
        _y = new float[Shape.Length];
    }

    /// <summary>sum must be the float x + residual exactly; y within the tolerance of the reference.</summary>
    private void Verify(string contender, double tolerance)
    {
        var sum = new float[Shape.Length];
        var y = new float[Shape.Length];
        LayerNormReference.ForwardResidual(_x, _residual, _gamma, _beta, sum, y, _hidden, Epsilon);
        string shape = Shape.ToString();
        Check.Close(contender, "sum", shape, _sum, sum, 0);
        Check.Close(contender, "y", shape, _y, y, tolerance);
    }
}
