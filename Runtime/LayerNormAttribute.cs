using System;

namespace NormGen;

/// <summary>
/// Marks a <c>partial</c> class for which the NormGen source generator writes a LayerNorm
/// forward and backward kernel specialized to <see cref="HiddenSize"/> features.
/// </summary>
/// <example>
/// <code>
/// [LayerNorm(768)]
/// public static partial class BertNorm;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Creates the attribute for rows of <paramref name="hiddenSize"/> features.</summary>
    /// <param name="hiddenSize">Number of features per row (the normalized dimension).</param>
    public LayerNormAttribute(int hiddenSize) => HiddenSize = hiddenSize;

    /// <summary>Number of features per row that the generated kernel is specialized for.</summary>
    public int HiddenSize { get; }

    /// <summary>Added to the variance before the square root. Must be positive and finite. Defaults to 1e-5.</summary>
    public float Epsilon { get; set; } = 1e-5f;
}
