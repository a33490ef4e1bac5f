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
///
/// [LayerNorm(768, Bias = false)]            // y = xhat · gamma
/// public static partial class NoBiasNorm;
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

    /// <summary>
    /// Whether the kernel adds a learned shift beta (PyTorch's <c>bias</c>). Defaults to true. With <c>false</c> the
    /// generated members take gamma only: y = xhat · gamma, and Backward writes dgamma but no dbeta.
    /// </summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// Whether the kernel has learned parameters at all (PyTorch's <c>elementwise_affine</c>). Defaults to true.
    /// With <c>false</c> there is neither gamma nor beta, whatever <see cref="Bias"/> says: y = xhat.
    /// </summary>
    public bool ElementwiseAffine { get; set; } = true;

    /// <summary>
    /// The 16-bit row types the class also gets members for, besides float; defaults to <see cref="NormStorage.None"/>
    /// (float only). <c>Storage = NormStorage.BFloat16</c> adds overloads with x, y, residual, sum, dy and dx in
    /// <see cref="T:NormGen.BFloat16"/> and gamma and beta in bfloat16 or in float; the statistics and parameter
    /// gradients stay float. See <see cref="NormStorage"/>.
    /// </summary>
    public NormStorage Storage { get; set; }
}
