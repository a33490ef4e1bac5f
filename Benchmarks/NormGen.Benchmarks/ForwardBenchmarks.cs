using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Forward (inference: y only) at every shape. The generated kernel is the baseline, so BenchmarkDotNet's
/// Ratio column reads "this contender's time ÷ generated time"; Program prints the inverse ratios
/// (generated ÷ generic, ÷ roofline, ÷ oneDNN, ÷ ONNX Runtime, ÷ TensorPrimitives) after the run.
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _y = [];
    private int _hidden;
    private OrtLayerNorm? _ort;
    private OneDnnLayerNorm? _oneDnn;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Current;

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel the source generator wrote for this hidden size.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.Forward(_hidden, _x, _gamma, _beta, _y);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Check.Close(nameof(Generated), "y", Shape.ToString(), _y, Expected(), Check.Ours);
    }
#endif

    /// <summary>The generic runtime path, <see cref="LayerNorm"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.Forward(_x, _gamma, _beta, _y, _hidden, Epsilon);

    /// <summary>One TensorPrimitives call per step, row by row.</summary>
    [Benchmark]
    public void TensorPrimitives() => TensorPrimitivesLayerNorm.Forward(_x, _gamma, _beta, _y, _hidden, Epsilon);

    /// <summary>ONNX Runtime LayerNormalization, one thread, session and buffers bound once.</summary>
    [Benchmark]
    public void OnnxRuntime() => _ort!.Run();

    /// <summary>oneDNN's layer normalization, forward inference, one thread, primitive and buffers made once.</summary>
    [Benchmark]
    public void OneDnn() => _oneDnn!.Run();

    /// <summary>The memory roofline: copying the same bytes, x to y.</summary>
    [Benchmark]
    public void Roofline() => _x.AsSpan().CopyTo(_y);

    [GlobalSetup(Target = nameof(Generic))]
    public void SetupGeneric()
    {
        Prepare();
        Generic();
        Check.Close(nameof(Generic), "y", Shape.ToString(), _y, Expected(), Check.Ours);
    }

    [GlobalSetup(Target = nameof(TensorPrimitives))]
    public void SetupTensorPrimitives()
    {
        Prepare();
        TensorPrimitives();
        Check.Close(nameof(TensorPrimitives), "y", Shape.ToString(), _y, Expected(), Check.Peer);
    }

    [GlobalSetup(Target = nameof(OnnxRuntime))]
    public void SetupOnnxRuntime()
    {
        Prepare();
        _ort = new OrtLayerNorm(_x, _gamma, _beta, _y, Shape.Rows, Epsilon);
        OnnxRuntime();
        Check.Close(nameof(OnnxRuntime), "y", Shape.ToString(), _y, Expected(), Check.Peer);
    }

    [GlobalSetup(Target = nameof(OneDnn))]
    public void SetupOneDnn()
    {
        Prepare();
        _oneDnn = OneDnnLayerNorm.ForwardInference(_x, _gamma, _beta, _y, Shape.Rows, Epsilon);
        Console.WriteLine($"// oneDNN forward inference {Shape}: {_oneDnn.Implementation}");
        OneDnn();
        Check.Close(nameof(OneDnn), "y", Shape.ToString(), _y, Expected(), Check.Peer);
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
        _ort?.Dispose();
        _ort = null;
        _oneDnn?.Dispose();
        _oneDnn = null;
        _x = _gamma = _beta = _y = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _y = new float[Shape.Length];
    }

    private float[] Expected()
    {
        var expected = new float[Shape.Length];
        LayerNormReference.Forward(_x, _gamma, _beta, expected, _hidden, Epsilon);
        return expected;
    }
}
