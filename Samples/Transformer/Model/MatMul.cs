using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NormGen.Samples.Transformer;

/// <summary>
/// The matrix products of a dense layer, y = x · W + b and its two gradients, over a list of rows (the batch's
/// token rows). W is input-major: W[k, o] at k · outputs + o. The loops are blocked four rows (or four inputs) at a
/// time over <see cref="Vector{T}"/>s of outputs, so that each load feeds four multiply-adds.
/// </summary>
/// <remarks>
/// In the forward, every output is b + x₀W₀ + x₁W₁ + … accumulated in the order of k with a separate multiply and
/// add, the same operations in a vector lane, in the scalar tail and in the one-row remainder. An output therefore
/// depends on its own row only, never on which rows share its block, how many rows there are or where they sit.
/// The callers check the shapes; the loops read with unchecked refs.
/// </remarks>
internal static class MatMul
{
    // Floats per vector; without hardware vectors, Vector<T> is a slow software loop, so the scalar tails then
    // do all the work (the width is too large for any whole vector to fit).
    private static readonly int VectorWidth =
        Vector.IsHardwareAccelerated ? Vector<float>.Count : int.MaxValue / 4;

    /// <summary>y[r, :] = x[r, :] · W + b for each r in <paramref name="rows"/>; other rows are left alone.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, ReadOnlySpan<int> rows, int inputs, int outputs)
    {
        int block = 0;
        for (; block + 4 <= rows.Length; block += 4)
            ForwardFour(x, weight, bias, y, rows.Slice(block, 4), inputs, outputs);
        for (; block < rows.Length; block++)
            ForwardOne(x, weight, bias, y, rows[block], inputs, outputs);
    }

    /// <summary>
    /// dx[r, k] = Σ_o dy[r, o] · W[k, o] for each r in <paramref name="rows"/> (overwritten). This is the forward
    /// product with Wᵀ, so W is first transposed into <paramref name="transposed"/> (outputs × inputs) and the
    /// forward's blocked loops do the rest with a zero bias.
    /// </summary>
    public static void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx,
        ReadOnlySpan<int> rows, int inputs, int outputs, Span<float> transposed, ReadOnlySpan<float> zeros)
    {
        for (int k = 0; k < inputs; k++)
            for (int o = 0; o < outputs; o++)
                transposed[o * inputs + k] = weight[k * outputs + o];
        Forward(dy, transposed, zeros[..inputs], dx, rows, outputs, inputs);
    }

    /// <summary>dW[k, o] += Σ_r x[r, k] · dy[r, o] and db[o] += Σ_r dy[r, o], over <paramref name="rows"/>.</summary>
    public static void BackwardWeight(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> weightGrad,
        Span<float> biasGrad, ReadOnlySpan<int> rows, int inputs, int outputs)
    {
        ref float g = ref MemoryMarshal.GetReference(dy);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float dw = ref MemoryMarshal.GetReference(weightGrad);
        int width = VectorWidth;
        int k = 0;
        for (; k + 4 <= inputs; k += 4)
        {
            int o = 0;
            for (; o + 2 * width <= outputs; o += 2 * width)
                AddFourInputsTwoVectors(ref g, ref xs, ref dw, rows, inputs, outputs, k, o);
            for (; o + width <= outputs; o += width)
            {
                var a0 = Load(ref dw, k * outputs + o);
                var a1 = Load(ref dw, (k + 1) * outputs + o);
                var a2 = Load(ref dw, (k + 2) * outputs + o);
                var a3 = Load(ref dw, (k + 3) * outputs + o);
                foreach (int r in rows)
                {
                    var d = Load(ref g, r * outputs + o);
                    ref float xRow = ref Unsafe.Add(ref xs, r * inputs + k);
                    a0 += d * Unsafe.Add(ref xRow, 0);
                    a1 += d * Unsafe.Add(ref xRow, 1);
                    a2 += d * Unsafe.Add(ref xRow, 2);
                    a3 += d * Unsafe.Add(ref xRow, 3);
                }
                Store(a0, ref dw, k * outputs + o);
                Store(a1, ref dw, (k + 1) * outputs + o);
                Store(a2, ref dw, (k + 2) * outputs + o);
                Store(a3, ref dw, (k + 3) * outputs + o);
            }
            for (; o < outputs; o++)
                for (int j = k; j < k + 4; j++) AddColumnTail(ref g, ref xs, ref dw, rows, inputs, outputs, j, o);
        }
        for (; k < inputs; k++)
            for (int o = 0; o < outputs; o++) AddColumnTail(ref g, ref xs, ref dw, rows, inputs, outputs, k, o);

        for (int o = 0; o < outputs; o++)
        {
            float sum = 0;
            foreach (int r in rows) sum += Unsafe.Add(ref g, r * outputs + o);
            biasGrad[o] += sum;
        }
    }

    // dW[k .. k+3, o .. o + 2·width) += Σ_r x[r, k ..] ⊗ dy[r, o ..]: eight accumulators, each dy load used four times.
    private static void AddFourInputsTwoVectors(ref float g, ref float xs, ref float dw, ReadOnlySpan<int> rows,
        int inputs, int outputs, int k, int o)
    {
        int width = VectorWidth;
        int p0 = k * outputs + o, p1 = p0 + outputs, p2 = p1 + outputs, p3 = p2 + outputs;
        Vector<float> a0 = Load(ref dw, p0), b0 = Load(ref dw, p0 + width);
        Vector<float> a1 = Load(ref dw, p1), b1 = Load(ref dw, p1 + width);
        Vector<float> a2 = Load(ref dw, p2), b2 = Load(ref dw, p2 + width);
        Vector<float> a3 = Load(ref dw, p3), b3 = Load(ref dw, p3 + width);
        foreach (int r in rows)
        {
            Vector<float> d = Load(ref g, r * outputs + o), e = Load(ref g, r * outputs + o + width);
            ref float xRow = ref Unsafe.Add(ref xs, r * inputs + k);
            float x0 = xRow, x1 = Unsafe.Add(ref xRow, 1), x2 = Unsafe.Add(ref xRow, 2), x3 = Unsafe.Add(ref xRow, 3);
            a0 += d * x0;
            b0 += e * x0;
            a1 += d * x1;
            b1 += e * x1;
            a2 += d * x2;
            b2 += e * x2;
            a3 += d * x3;
            b3 += e * x3;
        }
        Store(a0, ref dw, p0);
        Store(b0, ref dw, p0 + width);
        Store(a1, ref dw, p1);
        Store(b1, ref dw, p1 + width);
        Store(a2, ref dw, p2);
        Store(b2, ref dw, p2 + width);
        Store(a3, ref dw, p3);
        Store(b3, ref dw, p3 + width);
    }

    private static void AddColumnTail(ref float g, ref float xs, ref float dw, ReadOnlySpan<int> rows, int inputs,
        int outputs, int k, int o)
    {
        float sum = Unsafe.Add(ref dw, k * outputs + o);
        foreach (int r in rows) sum += Unsafe.Add(ref g, r * outputs + o) * Unsafe.Add(ref xs, r * inputs + k);
        Unsafe.Add(ref dw, k * outputs + o) = sum;
    }

    private static void ForwardFour(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, ReadOnlySpan<int> rows, int inputs, int outputs)
    {
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), rows[0] * inputs);
        ref float x1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), rows[1] * inputs);
        ref float x2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), rows[2] * inputs);
        ref float x3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), rows[3] * inputs);
        ref float y0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), rows[0] * outputs);
        ref float y1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), rows[1] * outputs);
        ref float y2 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), rows[2] * outputs);
        ref float y3 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), rows[3] * outputs);
        int width = VectorWidth;
        int o = 0;
        for (; o + width <= outputs; o += width)
        {
            // Scalar math: y[r, o] = b[o] + Σ_k x[r, k] · W[k, o], in the order of k.
            var a0 = Load(ref b, o);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int k = 0; k < inputs; k++)
            {
                var wk = Load(ref w, k * outputs + o);
                a0 += wk * Unsafe.Add(ref x0, k);
                a1 += wk * Unsafe.Add(ref x1, k);
                a2 += wk * Unsafe.Add(ref x2, k);
                a3 += wk * Unsafe.Add(ref x3, k);
            }
            Store(a0, ref y0, o);
            Store(a1, ref y1, o);
            Store(a2, ref y2, o);
            Store(a3, ref y3, o);
        }
        for (; o < outputs; o++)
        {
            Unsafe.Add(ref y0, o) = OutputTail(ref x0, ref w, ref b, inputs, outputs, o);
            Unsafe.Add(ref y1, o) = OutputTail(ref x1, ref w, ref b, inputs, outputs, o);
            Unsafe.Add(ref y2, o) = OutputTail(ref x2, ref w, ref b, inputs, outputs, o);
            Unsafe.Add(ref y3, o) = OutputTail(ref x3, ref w, ref b, inputs, outputs, o);
        }
    }

    private static void ForwardOne(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, int row, int inputs, int outputs)
    {
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), row * inputs);
        ref float y0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), row * outputs);
        int width = VectorWidth;
        int o = 0;
        for (; o + width <= outputs; o += width)
        {
            var a0 = Load(ref b, o);
            for (int k = 0; k < inputs; k++) a0 += Load(ref w, k * outputs + o) * Unsafe.Add(ref x0, k);
            Store(a0, ref y0, o);
        }
        for (; o < outputs; o++) Unsafe.Add(ref y0, o) = OutputTail(ref x0, ref w, ref b, inputs, outputs, o);
    }

    // One output past the last whole vector: the same multiply and add, in the same order, as a vector lane.
    private static float OutputTail(ref float xRow, ref float w, ref float b, int inputs, int outputs, int o)
    {
        float sum = Unsafe.Add(ref b, o);
        for (int k = 0; k < inputs; k++) sum += Unsafe.Add(ref w, k * outputs + o) * Unsafe.Add(ref xRow, k);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int offset) => Vector.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, ref float destination, int offset) =>
        value.StoreUnsafe(ref destination, (nuint)offset);
}
