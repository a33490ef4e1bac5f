using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// A dense layer y = x · W + b with W stored as ONNX MatMul's [in, out], single-threaded and vectorized.
/// </summary>
/// <remarks>
/// W is repacked at load into panels of 64 output columns: panel p holds, for k = 0..in−1, the 64 weights
/// W[k, 64p .. 64p+63] contiguously, so the inner loop streams one panel from cache while up to 4 rows of x reuse
/// each weight load. Every output element is 0 + x[0]·W[0,j] + x[1]·W[1,j] + ... in k order (fused multiply-adds
/// where the instruction set has them), then + b[j]; the 4-row and the 1-row kernels do exactly these operations.
/// So a row's result does not depend on how many rows are in the batch or where it sits: padded batches give
/// each sentence the bits it gets alone.
/// </remarks>
internal sealed class Linear
{
    private const int Panel = 64;
    private const int RowBlock = 32;
    private readonly float[] _packed;

    /// <param name="name">The layer's name, from its bias (<c>encoder.layer.0.attention.self.query</c>).</param>
    /// <param name="weightName">The weight's initializer name in model.onnx, exporter-made (<c>927</c>).</param>
    /// <param name="weight">[in, out], row-major, as ONNX MatMul's second input.</param>
    /// <param name="bias">out values.</param>
    /// <param name="inFeatures">Rows of the weight.</param>
    /// <param name="outFeatures">Columns of the weight, a multiple of 64.</param>
    public Linear(string name, string weightName, float[] weight, float[] bias, int inFeatures, int outFeatures)
    {
        if (weight.Length != inFeatures * outFeatures)
            throw new ArgumentException(
                $"{name}: weight has {weight.Length} values, expected {inFeatures}x{outFeatures}.");
        if (bias.Length != outFeatures)
            throw new ArgumentException($"{name}: bias has {bias.Length} values, expected {outFeatures}.");
        if (outFeatures % Panel != 0)
            throw new ArgumentException($"{name}: {outFeatures} outputs is not a multiple of {Panel}.");
        Name = name;
        WeightName = weightName;
        In = inFeatures;
        Out = outFeatures;
        Bias = bias;
        _packed = new float[weight.Length];
        for (int p = 0; p < outFeatures / Panel; p++)
            for (int k = 0; k < inFeatures; k++)
                Array.Copy(weight, k * outFeatures + p * Panel, _packed, (p * inFeatures + k) * Panel, Panel);
    }

    public string Name { get; }
    public string WeightName { get; }
    public int In { get; }
    public int Out { get; }
    public float[] Bias { get; }

    /// <summary>y[rows, Out] = x[rows, In] · W + b.</summary>
    public void Forward(ReadOnlySpan<float> x, Span<float> y, int rows)
    {
        if (x.Length < rows * In) throw new ArgumentException($"x needs {rows * In} values.", nameof(x));
        if (y.Length < rows * Out) throw new ArgumentException($"y needs {rows * Out} values.", nameof(y));
        // Blocks of rows outer, panels inner: a block's rows of x stay in cache while the panels stream past.
        for (int first = 0; first < rows; first += RowBlock)
        {
            int last = Math.Min(rows, first + RowBlock);
            for (int p = 0; p < Out / Panel; p++)
            {
                ReadOnlySpan<float> panel = _packed.AsSpan(p * In * Panel, In * Panel);
                int column = p * Panel;
                int r = first;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; r + 4 <= last; r += 4) Rows4Vector512(x, r, panel, y, column);
                    for (; r < last; r++) Row1Vector512(x, r, panel, y, column);
                }
                else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
                {
                    for (; r + 4 <= last; r += 4)
                    {
                        Rows4Vector256(x, r, panel, 0, y, column);
                        Rows4Vector256(x, r, panel, 32, y, column);
                    }
                    for (; r < last; r++)
                    {
                        Row1Vector256(x, r, panel, 0, y, column);
                        Row1Vector256(x, r, panel, 32, y, column);
                    }
                }
                else
                {
                    for (; r < last; r++) Row1Scalar(x, r, panel, y, column);
                }
            }
        }
    }

    private void Rows4Vector512(ReadOnlySpan<float> x, int row, ReadOnlySpan<float> panel, Span<float> y, int column)
    {
        int k0 = In;
        ref float x0 = ref Unsafe.AsRef(in x[row * k0]);
        ref float x1 = ref Unsafe.Add(ref x0, k0);
        ref float x2 = ref Unsafe.Add(ref x0, 2 * k0);
        ref float x3 = ref Unsafe.Add(ref x0, 3 * k0);
        ref float w = ref Unsafe.AsRef(in panel[0]);
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int k = 0; k < k0; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Panel);
            Vector512<float> w0 = Vector512.LoadUnsafe(ref wk);
            Vector512<float> w1 = Vector512.LoadUnsafe(ref wk, 16);
            Vector512<float> w2 = Vector512.LoadUnsafe(ref wk, 32);
            Vector512<float> w3 = Vector512.LoadUnsafe(ref wk, 48);
            Vector512<float> b = Vector512.Create(Unsafe.Add(ref x0, k));
            a00 = Vector512.FusedMultiplyAdd(w0, b, a00); a01 = Vector512.FusedMultiplyAdd(w1, b, a01);
            a02 = Vector512.FusedMultiplyAdd(w2, b, a02); a03 = Vector512.FusedMultiplyAdd(w3, b, a03);
            b = Vector512.Create(Unsafe.Add(ref x1, k));
            a10 = Vector512.FusedMultiplyAdd(w0, b, a10); a11 = Vector512.FusedMultiplyAdd(w1, b, a11);
            a12 = Vector512.FusedMultiplyAdd(w2, b, a12); a13 = Vector512.FusedMultiplyAdd(w3, b, a13);
            b = Vector512.Create(Unsafe.Add(ref x2, k));
            a20 = Vector512.FusedMultiplyAdd(w0, b, a20); a21 = Vector512.FusedMultiplyAdd(w1, b, a21);
            a22 = Vector512.FusedMultiplyAdd(w2, b, a22); a23 = Vector512.FusedMultiplyAdd(w3, b, a23);
            b = Vector512.Create(Unsafe.Add(ref x3, k));
            a30 = Vector512.FusedMultiplyAdd(w0, b, a30); a31 = Vector512.FusedMultiplyAdd(w1, b, a31);
            a32 = Vector512.FusedMultiplyAdd(w2, b, a32); a33 = Vector512.FusedMultiplyAdd(w3, b, a33);
        }
        Store512(y, row, column, a00, a01, a02, a03);
        Store512(y, row + 1, column, a10, a11, a12, a13);
        Store512(y, row + 2, column, a20, a21, a22, a23);
        Store512(y, row + 3, column, a30, a31, a32, a33);
    }

    private void Row1Vector512(ReadOnlySpan<float> x, int row, ReadOnlySpan<float> panel, Span<float> y, int column)
    {
        ref float x0 = ref Unsafe.AsRef(in x[row * In]);
        ref float w = ref Unsafe.AsRef(in panel[0]);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int k = 0; k < In; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Panel);
            Vector512<float> b = Vector512.Create(Unsafe.Add(ref x0, k));
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wk), b, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wk, 16), b, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wk, 32), b, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wk, 48), b, a3);
        }
        Store512(y, row, column, a0, a1, a2, a3);
    }

    private void Store512(Span<float> y, int row, int column,
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        ref float yr = ref y[row * Out + column];
        ref float br = ref Bias[column];
        (a0 + Vector512.LoadUnsafe(ref br)).StoreUnsafe(ref yr);
        (a1 + Vector512.LoadUnsafe(ref br, 16)).StoreUnsafe(ref yr, 16);
        (a2 + Vector512.LoadUnsafe(ref br, 32)).StoreUnsafe(ref yr, 32);
        (a3 + Vector512.LoadUnsafe(ref br, 48)).StoreUnsafe(ref yr, 48);
    }

    // The AVX2 path: one 64-column panel as two halves of 32 columns, 4 rows x 4 vectors of accumulators each.
    private void Rows4Vector256(ReadOnlySpan<float> x, int row, ReadOnlySpan<float> panel, int half, Span<float> y,
        int column)
    {
        int k0 = In;
        ref float x0 = ref Unsafe.AsRef(in x[row * k0]);
        ref float x1 = ref Unsafe.Add(ref x0, k0);
        ref float x2 = ref Unsafe.Add(ref x0, 2 * k0);
        ref float x3 = ref Unsafe.Add(ref x0, 3 * k0);
        ref float w = ref Unsafe.Add(ref Unsafe.AsRef(in panel[0]), half);
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int k = 0; k < k0; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Panel);
            Vector256<float> w0 = Vector256.LoadUnsafe(ref wk);
            Vector256<float> w1 = Vector256.LoadUnsafe(ref wk, 8);
            Vector256<float> w2 = Vector256.LoadUnsafe(ref wk, 16);
            Vector256<float> w3 = Vector256.LoadUnsafe(ref wk, 24);
            Vector256<float> b = Vector256.Create(Unsafe.Add(ref x0, k));
            a00 = Fma.MultiplyAdd(w0, b, a00); a01 = Fma.MultiplyAdd(w1, b, a01);
            a02 = Fma.MultiplyAdd(w2, b, a02); a03 = Fma.MultiplyAdd(w3, b, a03);
            b = Vector256.Create(Unsafe.Add(ref x1, k));
            a10 = Fma.MultiplyAdd(w0, b, a10); a11 = Fma.MultiplyAdd(w1, b, a11);
            a12 = Fma.MultiplyAdd(w2, b, a12); a13 = Fma.MultiplyAdd(w3, b, a13);
            b = Vector256.Create(Unsafe.Add(ref x2, k));
            a20 = Fma.MultiplyAdd(w0, b, a20); a21 = Fma.MultiplyAdd(w1, b, a21);
            a22 = Fma.MultiplyAdd(w2, b, a22); a23 = Fma.MultiplyAdd(w3, b, a23);
            b = Vector256.Create(Unsafe.Add(ref x3, k));
            a30 = Fma.MultiplyAdd(w0, b, a30); a31 = Fma.MultiplyAdd(w1, b, a31);
            a32 = Fma.MultiplyAdd(w2, b, a32); a33 = Fma.MultiplyAdd(w3, b, a33);
        }
        Store256(y, row, column + half, a00, a01, a02, a03);
        Store256(y, row + 1, column + half, a10, a11, a12, a13);
        Store256(y, row + 2, column + half, a20, a21, a22, a23);
        Store256(y, row + 3, column + half, a30, a31, a32, a33);
    }

    private void Row1Vector256(ReadOnlySpan<float> x, int row, ReadOnlySpan<float> panel, int half, Span<float> y,
        int column)
    {
        ref float x0 = ref Unsafe.AsRef(in x[row * In]);
        ref float w = ref Unsafe.Add(ref Unsafe.AsRef(in panel[0]), half);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int k = 0; k < In; k++)
        {
            ref float wk = ref Unsafe.Add(ref w, k * Panel);
            Vector256<float> b = Vector256.Create(Unsafe.Add(ref x0, k));
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref wk), b, a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref wk, 8), b, a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref wk, 16), b, a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref wk, 24), b, a3);
        }
        Store256(y, row, column + half, a0, a1, a2, a3);
    }

    private void Store256(Span<float> y, int row, int column,
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        ref float yr = ref y[row * Out + column];
        ref float br = ref Bias[column];
        (a0 + Vector256.LoadUnsafe(ref br)).StoreUnsafe(ref yr);
        (a1 + Vector256.LoadUnsafe(ref br, 8)).StoreUnsafe(ref yr, 8);
        (a2 + Vector256.LoadUnsafe(ref br, 16)).StoreUnsafe(ref yr, 16);
        (a3 + Vector256.LoadUnsafe(ref br, 24)).StoreUnsafe(ref yr, 24);
    }

    // Without AVX2 (the SSE and scalar configurations of CI): plain multiply and add, one row at a time.
    private void Row1Scalar(ReadOnlySpan<float> x, int row, ReadOnlySpan<float> panel, Span<float> y, int column)
    {
        Span<float> acc = stackalloc float[Panel];
        acc.Clear();
        ReadOnlySpan<float> xr = x.Slice(row * In, In);
        for (int k = 0; k < xr.Length; k++)
        {
            float xk = xr[k];
            ReadOnlySpan<float> wk = panel.Slice(k * Panel, Panel);
            for (int j = 0; j < Panel; j++) acc[j] += xk * wk[j];
        }
        Span<float> yr = y.Slice(row * Out + column, Panel);
        ReadOnlySpan<float> br = Bias.AsSpan(column, Panel);
        for (int j = 0; j < Panel; j++) yr[j] = acc[j] + br[j];
    }
}
