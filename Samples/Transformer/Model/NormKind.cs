using System;

namespace NormGen.Samples.Transformer;

/// <summary>Which norm a model's blocks use.</summary>
internal enum NormKind
{
    /// <summary>LayerNorm on the kernels NormGen generated for width 64.</summary>
    Generated,

    /// <summary>LayerNorm on NormGen's generic path, any width.</summary>
    Generic,

    /// <summary>LayerNorm composed from TensorPrimitives calls.</summary>
    TensorPrimitives,

    /// <summary>BatchNorm over the batch's token rows.</summary>
    BatchNorm,

    /// <summary>The identity.</summary>
    None,
}

internal static class NormFactory
{
    /// <summary>Maps a norm's name to a new norm of <paramref name="kind"/>, for <see cref="DecoderModel"/>.</summary>
    public static Func<string, Normalization> For(NormKind kind, int width, int maxRows) => kind switch
    {
        NormKind.Generated when width != TransformerNorm.HiddenSize =>
            throw new ArgumentException(
                $"The generated kernel is for width {TransformerNorm.HiddenSize}, not {width}.", nameof(width)),
        NormKind.Generated => name => new GeneratedLayerNorm(name, maxRows),
        NormKind.Generic => name => new GenericLayerNorm(name, width, maxRows),
        NormKind.TensorPrimitives => name => new TensorPrimitivesLayerNorm(name, width, maxRows),
        NormKind.BatchNorm => name => new MaskedBatchNorm(name, width),
        NormKind.None => _ => new NoNormalization(width),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
