using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace NormGen.Benchmarks;

/// <summary>
/// oneDNN's layer normalization at its best, for one shape and pass: the primitive, its memory objects over the
/// benchmark's own pinned arrays and its scratchpad are made once (here), on one thread, so <see cref="Run"/> runs
/// the kernel and nothing else. Flags use_scale | use_shift (gamma and beta as separate tensors), data row-major
/// rows × hidden normalized over the last dimension, the same epsilon as ours. oneDNN saves the variance, not rstd.
/// </summary>
internal sealed class OneDnnLayerNorm : IDisposable
{
    private const int ForwardInferencePass = 0, ForwardTrainingPass = 1, BackwardPass = 2;

    private readonly List<GCHandle> _pins = [];
    private IntPtr _handle;

    /// <summary>oneDNN's name for the implementation it chose, to print. In oneDNN 2.6 it is
    /// "simple_layer_normalization:any", which runs the JIT kernels lnorm_utils::jit_stat_and_data_kernel_t,
    /// jit_diff_ss_kernel_t and jit_diff_data_kernel_t (AVX2 code, shape-specialized; DNNL_JIT_DUMP=1 writes them
    /// out).</summary>
    public string Implementation { get; }

    private OneDnnLayerNorm(int pass, int rows, int hidden, float epsilon, float[]? x, float[]? gamma, float[]? beta,
        float[]? y, float[]? mean, float[]? variance, float[]? dy, float[]? dx, float[]? dgamma, float[]? dbeta)
    {
        OneDnnShim.EnsureAvailable();
        var error = new byte[1024];
        int status = OneDnnShim.normgen_onednn_create(pass, rows, hidden, epsilon,
            Pin(x), Pin(gamma), Pin(beta), Pin(y), Pin(mean), Pin(variance), Pin(dy), Pin(dx), Pin(dgamma), Pin(dbeta),
            out _handle, error, error.Length);
        if (status != 0)
        {
            FreePins();
            string message = Encoding.UTF8.GetString(error, 0, Math.Max(0, Array.IndexOf(error, (byte)0)));
            throw new InvalidOperationException(
                $"oneDNN layer normalization ({rows}x{hidden}, pass {pass}) was not created: {message}");
        }
        Implementation = Marshal.PtrToStringUTF8(OneDnnShim.normgen_onednn_implementation(_handle)) ?? "?";
    }

    /// <summary>Forward inference: y from x, gamma, beta; the statistics stay inside oneDNN.</summary>
    public static OneDnnLayerNorm ForwardInference(
        float[] x, float[] gamma, float[] beta, float[] y, int rows, float epsilon) =>
        new(ForwardInferencePass, rows, gamma.Length, epsilon, x, gamma, beta, y, null, null, null, null, null, null);

    /// <summary>Forward training: y, and each row's mean and (biased) variance.</summary>
    public static OneDnnLayerNorm ForwardTraining(
        float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] variance, int rows, float epsilon) =>
        new(ForwardTrainingPass, rows, gamma.Length, epsilon,
            x, gamma, beta, y, mean, variance, null, null, null, null);

    /// <summary>Backward (prop_kind::backward): dx, dgamma and dbeta (overwritten) from dy and the saved mean and
    /// variance. <paramref name="beta"/> is not read, but oneDNN 2.6 will not run a use_shift backward without
    /// it.</summary>
    public static OneDnnLayerNorm Backward(
        float[] dy, float[] x, float[] gamma, float[] beta, float[] mean, float[] variance,
        float[] dx, float[] dgamma, float[] dbeta, int rows, float epsilon) =>
        new(BackwardPass, rows, gamma.Length, epsilon, x, gamma, beta, null, mean, variance, dy, dx, dgamma, dbeta);

    /// <summary>Runs the pass on the bound arrays.</summary>
    public void Run()
    {
        int status = OneDnnShim.normgen_onednn_execute(_handle);
        if (status != 0)
            throw new InvalidOperationException($"oneDNN execution failed with status {status}.");
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            OneDnnShim.normgen_onednn_destroy(_handle);
            _handle = IntPtr.Zero;
        }
        FreePins();
    }

    // oneDNN keeps the raw pointers for the handle's lifetime, so the arrays stay pinned until Dispose.
    private IntPtr Pin(float[]? array)
    {
        if (array is null)
            return IntPtr.Zero;
        var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        _pins.Add(pin);
        return pin.AddrOfPinnedObject();
    }

    private void FreePins()
    {
        foreach (GCHandle pin in _pins)
            pin.Free();
        _pins.Clear();
    }
}
