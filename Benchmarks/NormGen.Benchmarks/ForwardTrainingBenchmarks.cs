using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Forward for training (y and each row's statistics, kept for Backward) at every shape: the generated kernel's and
/// the generic path's Forward with mean and rstd against oneDNN's forward_training, which saves mean and variance.
/// The other peers have no training forward here (TensorPrimitives would be the same composition as in
/// <see cref="ForwardBenchmarks"/>, ONNX Runtime's inference package keeps no statistics), so three contenders run.
/// </summary>
[MemoryDiagnoser]
public class ForwardTrainingBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _y = [];
    private float[] _mean = [];
    private float[] _rstd = [];
    private float[] _variance = [];
    private int _hidden;
    private OneDnnLayerNorm? _oneDnn;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Current;

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel the source generator wrote for this hidden size, mean and rstd out.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.ForwardTraining(_hidden, _x, _gamma, _beta, _y, _mean, _rstd);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        VerifyOurs(nameof(Generated));
    }
#endif

    /// <summary>The generic runtime path, <see cref="LayerNorm"/>, with mean and rstd out.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.Forward(_x, _gamma, _beta, _y, _mean, _rstd, _hidden, Epsilon);

    /// <summary>oneDNN's layer normalization, forward training (mean and variance out), one thread.</summary>
    [Benchmark]
    public void OneDnn() => _oneDnn!.Run();

    [GlobalSetup(Target = nameof(Generic))]
    public void SetupGeneric()
    {
        Prepare();
        Generic();
        VerifyOurs(nameof(Generic));
    }

    [GlobalSetup(Target = nameof(OneDnn))]
    public void SetupOneDnn()
    {
        Prepare();
        _variance = new float[Shape.Rows];
        _oneDnn = OneDnnLayerNorm.ForwardTraining(_x, _gamma, _beta, _y, _mean, _variance, Shape.Rows, Epsilon);
        Console.WriteLine($"// oneDNN forward training {Shape}: {_oneDnn.Implementation}");
        OneDnn();
        var (y, mean, _) = Expected();
        string shape = Shape.ToString();
        Check.Close(nameof(OneDnn), "y", shape, _y, y, Check.Peer);
        Check.Close(nameof(OneDnn), "mean", shape, _mean, mean, Check.Peer);
        Check.Close(nameof(OneDnn), "variance", shape, _variance, ExpectedVariance(), Check.Peer,
            "a double two-pass variance");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneDnn?.Dispose();
        _oneDnn = null;
        _x = _gamma = _beta = _y = _mean = _rstd = _variance = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _y = new float[Shape.Length];
        _mean = new float[Shape.Rows];
        _rstd = new float[Shape.Rows];
    }

    private void VerifyOurs(string contender)
    {
        var (y, mean, rstd) = Expected();
        string shape = Shape.ToString();
        Check.Close(contender, "y", shape, _y, y, Check.Ours);
        Check.Close(contender, "mean", shape, _mean, mean, Check.Ours);
        Check.Close(contender, "rstd", shape, _rstd, rstd, Check.Ours);
    }

    private (float[] Y, float[] Mean, float[] Rstd) Expected()
    {
        var y = new float[Shape.Length];
        var mean = new float[Shape.Rows];
        var rstd = new float[Shape.Rows];
        LayerNormReference.Forward(_x, _gamma, _beta, y, mean, rstd, _hidden, Epsilon);
        return (y, mean, rstd);
    }

    /// <summary>Each row's biased variance, two-pass in double: what oneDNN's saved variance should be.</summary>
    private float[] ExpectedVariance()
    {
        var variance = new float[Shape.Rows];
        for (int r = 0; r < Shape.Rows; r++)
        {
            ReadOnlySpan<float> row = _x.AsSpan(r * _hidden, _hidden);
            double sum = 0;
            foreach (float v in row)
                sum += v;
            double mean = sum / _hidden, squares = 0;
            foreach (float v in row)
                squares += (v - mean) * (v - mean);
            variance[r] = (float)(squares / _hidden);
        }
        return variance;
    }
}
