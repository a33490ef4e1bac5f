using System;
using Microsoft.ML.OnnxRuntime;

namespace NormGen.Benchmarks;

/// <summary>
/// ONNX Runtime's LayerNormalization at its best: one session per shape, one thread, sequential execution,
/// and input and output bound once (IOBinding) to OrtValues over the benchmark's own pinned arrays,
/// so a call runs the kernel and nothing else.
/// </summary>
internal sealed class OrtLayerNorm : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _x;
    private readonly OrtValue _y;
    private readonly OrtIoBinding _binding;

    public OrtLayerNorm(float[] x, float[] gamma, float[] beta, float[] y, int rows, float epsilon)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxModel.LayerNormalization(rows, gamma, beta, epsilon), _options);
        _runOptions = new RunOptions();
        long[] shape = [rows, gamma.Length];
        _x = OrtValue.CreateTensorValueFromMemory(x, shape);
        _y = OrtValue.CreateTensorValueFromMemory(y, shape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", _x);
        _binding.BindOutput("Y", _y);
    }

    /// <summary>Runs the bound model: reads the x array, writes the y array.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _y.Dispose();
        _x.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
