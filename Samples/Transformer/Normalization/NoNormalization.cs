using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Transformer;

/// <summary>The identity, for the model without normalization: y = x, and the residual form is the plain add.</summary>
internal sealed class NoNormalization(int width) : Normalization
{
    public override IReadOnlyList<Parameter> Parameters { get; } = [];

    public override void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch) =>
        x[..(batch.Rows * width)].CopyTo(y);

    public override void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Batch batch)
    {
        int n = batch.Rows * width;
        TensorPrimitives.Add(x[..n], residual[..n], sum[..n]);
        sum[..n].CopyTo(y);
    }

    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> input, Span<float> dx, Batch batch) =>
        dy[..(batch.Rows * width)].CopyTo(dx);
}
