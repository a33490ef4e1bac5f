using System;

namespace NormGen;

/// <summary>
/// Marks a <c>partial</c> class for which the NormGen source generator writes an RMSNorm forward and backward
/// kernel specialized to <see cref="HiddenSize"/> features: y = x · rstd · gamma with
/// rstd = 1 / sqrt(mean(x²) + <see cref="Epsilon"/>), as in LLaMA-style models.
/// </summary>
/// <example>
/// <code>
/// [RmsNorm(4096, Epsilon = 1e-6f)]
/// public static partial class LlamaNorm;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RmsNormAttribute : Attribute
{
    /// <summary>Creates the attribute for rows of <paramref name="hiddenSize"/> features.</summary>
    /// <param name="hiddenSize">Number of features per row (the normalized dimension).</param>
    public RmsNormAttribute(int hiddenSize) => HiddenSize = hiddenSize;

    /// <summary>Number of features per row that the generated kernel is specialized for.</summary>
    public int HiddenSize { get; }

    /// <summary>Added to the mean square before the square root. Must be positive and finite. Defaults to
    /// 1e-5.</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>
    /// The 16-bit row types the class also gets members for, besides float; defaults to <see cref="NormStorage.None"/>
    /// (float only). <c>Storage = NormStorage.BFloat16</c> adds overloads with x, y, residual, sum, dy and dx in
    /// <see cref="T:NormGen.BFloat16"/> and gamma in bfloat16 or in float; the statistics and parameter gradients stay
    /// float. See <see cref="NormStorage"/>.
    /// </summary>
    public NormStorage Storage { get; set; }
}
