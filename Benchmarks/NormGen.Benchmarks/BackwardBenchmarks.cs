using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// Backward (dx, dgamma, dbeta from dy and the saved mean and rstd) at every shape. ONNX Runtime's
/// LayerNormalization has no backward in the inference package, and the copy roofline is a forward
/// measure (the ratio tables divide backward by the forward copy of the same shape), so four contenders run here.
/// </summary>
[MemoryDiagnoser]
public class BackwardBenchmarks
{
    private const float Epsilon = 1e-5f;

    private float[] _x = [];
    private float[] _gamma = [];
    private float[] _beta = [];
    private float[] _dy = [];
    private float[] _mean = [];
    private float[] _rstd = [];
    private float[] _dx = [];
    private float[] _dgamma = [];
    private float[] _dbeta = [];
    private float[] _xhat = [];
    private float[] _g = [];
    private float[] _variance = [];
    private int _hidden;
    private OneDnnLayerNorm? _oneDnn;

    /// <summary>rows x hidden.</summary>
    [ParamsSource(nameof(ShapeValues))]
    public Shape Shape { get; set; } = new(1, 1);

    /// <summary>The shapes of this run.</summary>
    public static IEnumerable<Shape> ShapeValues => Shapes.Current;

#if NORMGEN_GENERATED
    /// <summary>The [LayerNorm(N)] kernel the source generator wrote for this hidden size.</summary>
    [Benchmark(Baseline = true)]
    public void Generated() => GeneratedKernels.Backward(_hidden, _dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta);

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        Prepare();
        Generated();
        Verify(nameof(Generated), Check.Ours);
    }
#endif

    /// <summary>The generic runtime path, <see cref="LayerNorm"/>.</summary>
    [Benchmark(Baseline = !GeneratedKernels.Available)]
    public void Generic() => LayerNorm.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, _hidden);

    /// <summary>One TensorPrimitives call per step, row by row.</summary>
    [Benchmark]
    public void TensorPrimitives() =>
        TensorPrimitivesLayerNorm.Backward(_dy, _x, _gamma, _mean, _rstd, _dx, _dgamma, _dbeta, _xhat, _g, _hidden);

    /// <summary>oneDNN's layer normalization backward (diff_src, diff_scale, diff_shift), one thread, primitive and
    /// buffers made once. It takes the saved variance where ours take rstd.</summary>
    [Benchmark]
    public void OneDnn() => _oneDnn!.Run();

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

    [GlobalSetup(Target = nameof(OneDnn))]
    public void SetupOneDnn()
    {
        Prepare();
        // The variance oneDNN's forward training would have saved, from the same saved statistics the others get:
        // rstd = 1/sqrt(var + eps), so var = 1/rstd² − eps (in double; the float rounding of rstd moves it by ~1e-7).
        _variance = new float[Shape.Rows];
        for (int r = 0; r < Shape.Rows; r++)
            _variance[r] = (float)(1.0 / ((double)_rstd[r] * _rstd[r]) - Epsilon);
        _oneDnn = OneDnnLayerNorm.Backward(
            _dy, _x, _gamma, _beta, _mean, _variance, _dx, _dgamma, _dbeta, Shape.Rows, Epsilon);
        Console.WriteLine($"// oneDNN backward {Shape}: {_oneDnn.Implementation}");
        OneDnn();
        Verify(nameof(OneDnn), Check.Peer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneDnn?.Dispose();
        _oneDnn = null;
        _variance = [];
        _x = _gamma = _beta = _dy = _mean = _rstd = _dx = _dgamma = _dbeta = _xhat = _g = [];
        GC.Collect();
    }

    private void Prepare()
    {
        _hidden = Shape.Hidden;
        _x = Data.Normal(Shape.Length, seed: 1);
        _gamma = Data.Normal(_hidden, seed: 2, mean: 1f, scale: 0.1f);
        _beta = Data.Normal(_hidden, seed: 3, scale: 0.1f);
        _dy = Data.Normal(Shape.Length, seed: 4);
        _mean = new float[Shape.Rows];
        _rstd = new float[Shape.Rows];
        LayerNormReference.Forward(_x, _gamma, _beta, new float[Shape.Length], _mean, _rstd, _hidden, Epsilon);
        _dx = new float[Shape.Length];
        _dgamma = new float[_hidden];
        _dbeta = new float[_hidden];
        _xhat = new float[_hidden];
        _g = new float[_hidden];
    }

    private void Verify(string contender, double tolerance)
    {
        var dx = new float[Shape.Length];
        var dgamma = new float[_hidden];
        var dbeta = new float[_hidden];
        LayerNormReference.Backward(_dy, _x, _gamma, _mean, _rstd, dx, dgamma, dbeta, _hidden);
        // Σ_rows |dy · xhat| and Σ_rows |dy|: how large the partial sums behind dgamma and dbeta get.
        var dgammaMagnitude = new double[_hidden];
        var dbetaMagnitude = new double[_hidden];
        for (int r = 0; r < Shape.Rows; r++)
        {
            for (int j = 0; j < _hidden; j++)
            {
                int i = r * _hidden + j;
                double xhat = ((double)_x[i] - _mean[r]) * _rstd[r];
                dgammaMagnitude[j] += Math.Abs(_dy[i] * xhat);
                dbetaMagnitude[j] += Math.Abs(_dy[i]);
            }
        }
        string shape = Shape.ToString();
        Check.Close(contender, "dx", shape, _dx, dx, tolerance);
        Check.CloseSum(contender, "dgamma", shape, _dgamma, dgamma, dgammaMagnitude, tolerance);
        Check.CloseSum(contender, "dbeta", shape, _dbeta, dbeta, dbetaMagnitude, tolerance);
    }
}
