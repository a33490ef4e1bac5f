using System;
using System.Collections.Generic;

namespace NormGen.Samples.Transformer;

/// <summary>
/// y = x · W + b on the token rows of a batch (<see cref="MatMul"/>), W stored input-major. A token's output
/// depends on its own input and nothing else: not on the batch, the padding or where the row sits in memory.
/// Padding rows are written as zeros, and their gradients too.
/// </summary>
internal sealed class Dense
{
    private readonly Parameter _weight, _bias;
    private readonly float[] _transposed, _zeros;   // the backward's Wᵀ and zero bias

    public Dense(string name, int inputs, int outputs, double initStd, Random random)
    {
        Inputs = inputs;
        Outputs = outputs;
        _weight = new Parameter(name + ".weight", inputs * outputs).Gaussian(initStd, random);
        _bias = new Parameter(name + ".bias", outputs);
        Parameters = [_weight, _bias];
        _transposed = new float[inputs * outputs];
        _zeros = new float[inputs];
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch)
    {
        RequireRows(x, batch, Inputs, nameof(x));
        ClearPadding(y, batch, Outputs);
        MatMul.Forward(x, _weight.Value, _bias.Value, y, batch.TokenRowIndices, Inputs, Outputs);
    }

    /// <summary>dx = dy · Wᵀ (overwritten); dW += xᵀ · dy and db += Σ dy (accumulated).</summary>
    public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx, Batch batch)
    {
        RequireRows(dy, batch, Outputs, nameof(dy));
        RequireRows(x, batch, Inputs, nameof(x));
        ClearPadding(dx, batch, Inputs);
        MatMul.BackwardInput(dy, _weight.Value, dx, batch.TokenRowIndices, Inputs, Outputs, _transposed, _zeros);
        MatMul.BackwardWeight(x, dy, _weight.Gradient, _bias.Gradient, batch.TokenRowIndices, Inputs, Outputs);
    }

    // MatMul reads and writes with unchecked refs, so the shapes are checked here.
    private static void RequireRows(ReadOnlySpan<float> rows, Batch batch, int width, string name)
    {
        if (rows.Length < batch.Rows * width)
            throw new ArgumentException($"{name} holds {rows.Length} floats, not {batch.Rows} rows of {width}.", name);
    }

    private static void ClearPadding(Span<float> rows, Batch batch, int width)
    {
        RequireRows(rows, batch, width, nameof(rows));
        for (int row = 0; row < batch.Rows; row++)
            if (!batch.IsToken(row)) rows.Slice(row * width, width).Clear();
    }
}
