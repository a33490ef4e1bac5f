using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NormGen.Benchmarks;

/// <summary>
/// LayerNorm on 16-bit rows through the generic path (Half and BFloat16 activations, gamma and beta in float as a
/// trainer's master weights), against the float generic path on the same shape (the baseline of each category), and
/// against what a user writes otherwise: convert the rows to float, run the float kernel, convert back, with
/// preallocated buffers (TensorPrimitives.ConvertToSingle/ConvertToHalf for Half, a plain loop for BFloat16, which
/// TensorPrimitives does not have); and ONNX Runtime's LayerNormalization on float16 tensors.
/// Run: <c>dotnet run -c Release --project Benchmarks/NormGen.Benchmarks -- --both-isas --filter '*LayerNorm16*'</c>.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LayerNorm16Benchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [], _dy = [], _y = [], _dx = [], _gamma = [], _beta = [], _mean = [], _rstd = [];
    private float[] _dgamma = [], _dbeta = [], _xWide = [], _dyWide = [], _yWide = [];
    private Half[] _xHalf = [], _dyHalf = [], _yHalf = [], _dxHalf = [];
    private BFloat16[] _xBFloat16 = [], _dyBFloat16 = [], _yBFloat16 = [], _dxBFloat16 = [];
    private OrtLayerNorm16? _ort;
    private int _hidden;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The target shapes (4096×768, 32768×768), a single row, a small and a large hidden size.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Of(Shapes.Storage16All, Shapes.Storage16Quick);

    [GlobalSetup]
    public void Setup()
    {
        _hidden = Shape.Hidden;
        int length = Shape.Length, rows = Shape.Rows;
        _x = Data.Normal(length, seed: 1);
        _dy = Data.Normal(length, seed: 2);
        _gamma = Data.Normal(_hidden, seed: 3, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 4, scale: 0.1f);
        _xHalf = Array.ConvertAll(_x, v => (Half)v);
        _dyHalf = Array.ConvertAll(_dy, v => (Half)v);
        _xBFloat16 = Array.ConvertAll(_x, v => (BFloat16)v);
        _dyBFloat16 = Array.ConvertAll(_dy, v => (BFloat16)v);
        _y = new float[length];
        _dx = new float[length];
        _xWide = new float[length];
        _dyWide = new float[length];
        _yWide = new float[length];
        _yHalf = new Half[length];
        _dxHalf = new Half[length];
        _yBFloat16 = new BFloat16[length];
        _dxBFloat16 = new BFloat16[length];
        _mean = new float[rows];
        _rstd = new float[rows];
        _dgamma = new float[_hidden];
        _dbeta = new float[_hidden];
        LayerNorm.Forward(_x, _gamma, _beta, _y, _mean, _rstd, _hidden, Epsilon);
    }

    [GlobalSetup(Target = nameof(OnnxRuntimeHalf))]
    public void SetupOnnxRuntime()
    {
        Setup();
        _ort = new OrtLayerNorm16(_xHalf, _gamma, _beta, Shape.Rows, Epsilon);
        _ort.Run();
        LayerNorm.Forward(_xHalf, _gamma, _beta, _yHalf, _hidden, Epsilon);
        double worst = 0;
        for (int i = 0; i < _yHalf.Length; i++)
            worst = Math.Max(worst, Math.Abs((double)(float)_ort.Y[i] - (float)_yHalf[i]));
        Console.WriteLine($"// ONNX Runtime float16 LayerNormalization {Shape}: max |y − NormGen's| = {worst:E2}");
    }

    [GlobalCleanup(Target = nameof(OnnxRuntimeHalf))]
    public void CleanupOnnxRuntime() => _ort?.Dispose();

    // Forward: y only.

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void FloatForward() => LayerNorm.Forward(_x, _gamma, _beta, _y, _hidden, Epsilon);

    [Benchmark, BenchmarkCategory("Forward")]
    public void HalfForward() => LayerNorm.Forward(_xHalf, _gamma, _beta, _yHalf, _hidden, Epsilon);

    [Benchmark, BenchmarkCategory("Forward")]
    public void BFloat16Forward() => LayerNorm.Forward(_xBFloat16, _gamma, _beta, _yBFloat16, _hidden, Epsilon);

    /// <summary>What a user writes without 16-bit kernels: widen, the float kernel, narrow.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public void HalfConvertForward()
    {
        TensorPrimitives.ConvertToSingle(_xHalf, _xWide);
        LayerNorm.Forward(_xWide, _gamma, _beta, _yWide, _hidden, Epsilon);
        TensorPrimitives.ConvertToHalf(_yWide, _yHalf);
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public void BFloat16ConvertForward()
    {
        Widen(_xBFloat16, _xWide);
        LayerNorm.Forward(_xWide, _gamma, _beta, _yWide, _hidden, Epsilon);
        Narrow(_yWide, _yBFloat16);
    }

    /// <summary>ONNX Runtime's LayerNormalization with float16 X, Scale, B and Y, one thread, bound once.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public void OnnxRuntimeHalf() => _ort!.Run();

    // Backward: dx, dgamma and dbeta from the saved statistics.

    [Benchmark(Baseline = true), BenchmarkCategory("Backward")]
    public void FloatBackward() =>
        LayerNorm.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, _hidden);

    [Benchmark, BenchmarkCategory("Backward")]
    public void HalfBackward() =>
        LayerNorm.Backward(_dyHalf, _xHalf, _gamma, _mean, _rstd, _dxHalf, _dgamma, _dbeta, _hidden);

    [Benchmark, BenchmarkCategory("Backward")]
    public void BFloat16Backward() =>
        LayerNorm.Backward(_dyBFloat16, _xBFloat16, _gamma, _mean, _rstd, _dxBFloat16, _dgamma, _dbeta, _hidden);

    [Benchmark, BenchmarkCategory("Backward")]
    public void HalfConvertBackward()
    {
        TensorPrimitives.ConvertToSingle(_dyHalf, _dyWide);
        TensorPrimitives.ConvertToSingle(_xHalf, _xWide);
        LayerNorm.Backward(_dyWide, _xWide, _gamma, _mean, _rstd, _yWide, _dgamma, _dbeta, _hidden);
        TensorPrimitives.ConvertToHalf(_yWide, _dxHalf);
    }

    [Benchmark, BenchmarkCategory("Backward")]
    public void BFloat16ConvertBackward()
    {
        Widen(_dyBFloat16, _dyWide);
        Widen(_xBFloat16, _xWide);
        LayerNorm.Backward(_dyWide, _xWide, _gamma, _mean, _rstd, _yWide, _dgamma, _dbeta, _hidden);
        Narrow(_yWide, _dxBFloat16);
    }

    // The plain loops a user writes for bfloat16 (the casts are NormGen.BFloat16's, round to nearest even).
    private static void Widen(BFloat16[] source, float[] destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = (float)source[i];
    }

    private static void Narrow(float[] source, BFloat16[] destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = (BFloat16)source[i];
    }
}
