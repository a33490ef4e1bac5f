using System;

namespace NormGen.Samples.Transformer;

/// <summary>The shape of a decoder-only transformer.</summary>
/// <param name="Vocabulary">Token ids in use.</param>
/// <param name="Width">The residual stream's width (d_model); the hidden size of every norm.</param>
/// <param name="Heads">Attention heads; Width must be a multiple of it.</param>
/// <param name="MlpWidth">The MLP's hidden width (usually 4 · Width).</param>
/// <param name="Blocks">Transformer blocks.</param>
/// <param name="MaxLength">Longest sequence, the size of the position table.</param>
internal sealed record ModelConfig(int Vocabulary, int Width, int Heads, int MlpWidth, int Blocks, int MaxLength)
{
    /// <summary>Width of one head.</summary>
    public int HeadWidth => Width / Heads;

    /// <summary>Throws unless every size is positive and the heads divide the width.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MlpWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1);
        if (Width % Heads != 0)
            throw new ArgumentException($"Width {Width} is not a multiple of the {Heads} heads.");
    }
}
