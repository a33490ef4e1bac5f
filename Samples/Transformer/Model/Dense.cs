using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>
/// y = x · W + b on the token rows of a batch. W is stored input-major (row k holds the weights from input k to
/// every output), so the forward is a sum of scaled weight rows: y = b + Σₖ xₖ · W[k, :].
/// </summary>
/// <remarks>
/// That form has no reduction across a row, only elementwise multiply-adds in a fixed order over k, so a token's
/// output depends on its own input and nothing else: not on the batch, the padding or where the row sits in
/// memory. Padding rows are written as zeros and skipped by the backward.
/// </remarks>
internal sealed class Dense
{
    private readonly Parameter _weight, _bias;

    public Dense(string name, int inputs, int outputs, double initStd, Random random)
    {
        Inputs = inputs;
        Outputs = outputs;
        _weight = new Parameter(name + ".weight", inputs * outputs).Gaussian(initStd, random);
        _bias = new Parameter(name + ".bias", outputs);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public IReadOnlyList<Parameter> Parameters => [_weight, _bias];

    public void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch)
    {
        ReadOnlySpan<float> weight = _weight.Value, bias = _bias.Value;
        for (int row = 0; row < batch.Rows; row++)
        {
            Span<float> yRow = y.Slice(row * Outputs, Outputs);
            if (!batch.IsToken(row))
            {
                yRow.Clear();
                continue;
            }
            ReadOnlySpan<float> xRow = x.Slice(row * Inputs, Inputs);
            bias.CopyTo(yRow);
            for (int k = 0; k < Inputs; k++)
                TensorPrimitives.MultiplyAdd(weight.Slice(k * Outputs, Outputs), xRow[k], yRow, yRow);
        }
    }

    /// <summary>dx = dy · Wᵀ (overwritten); dW += xᵀ · dy and db += Σ dy (accumulated).</summary>
    public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx, Batch batch)
    {
        ReadOnlySpan<float> weight = _weight.Value;
        Span<float> weightGrad = _weight.Gradient, biasGrad = _bias.Gradient;
        for (int row = 0; row < batch.Rows; row++)
        {
            Span<float> dxRow = dx.Slice(row * Inputs, Inputs);
            if (!batch.IsToken(row))
            {
                dxRow.Clear();
                continue;
            }
            ReadOnlySpan<float> xRow = x.Slice(row * Inputs, Inputs);
            ReadOnlySpan<float> dyRow = dy.Slice(row * Outputs, Outputs);
            TensorPrimitives.Add(biasGrad, dyRow, biasGrad);
            for (int k = 0; k < Inputs; k++)
            {
                dxRow[k] = TensorPrimitives.Dot(dyRow, weight.Slice(k * Outputs, Outputs));
                Span<float> gradRow = weightGrad.Slice(k * Outputs, Outputs);
                TensorPrimitives.MultiplyAdd(dyRow, xRow[k], gradRow, gradRow);
            }
        }
    }
}
