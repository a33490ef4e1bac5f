using System;
using Microsoft.ML.OnnxRuntime;

namespace NormGen.Benchmarks;

/// <summary>
/// ONNX Runtime's LayerNormalization on float16 tensors (X, Scale, B and Y in float16; ONNX requires Scale and B in
/// the input's type, so the float weights are rounded to half), one session per shape, one thread, input and output
/// bound once, as <see cref="OrtLayerNorm"/> does for float.
/// </summary>
internal sealed class OrtLayerNorm16 : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _x;
    private readonly OrtValue _y;
    private readonly OrtIoBinding _binding;

    public OrtLayerNorm16(Half[] x, float[] gamma, float[] beta, int rows, float epsilon)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxModel.LayerNormalization(rows, gamma, beta, epsilon, float16: true), _options);
        _runOptions = new RunOptions();
        long[] shape = [rows, gamma.Length];
        X = Array.ConvertAll(x, v => new Float16(BitConverter.HalfToUInt16Bits(v)));
        Y = new Float16[x.Length];
        _x = OrtValue.CreateTensorValueFromMemory(X, shape);
        _y = OrtValue.CreateTensorValueFromMemory(Y, shape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", _x);
        _binding.BindOutput("Y", _y);
    }

    /// <summary>The bound input, the half values as ONNX Runtime's Float16.</summary>
    public Float16[] X { get; }

    /// <summary>The bound output.</summary>
    public Float16[] Y { get; }

    /// <summary>Runs the bound model.</summary>
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
