using System;

namespace NormGen;

// The half overloads of the RMSNorm reference: the same members as for float, with the rows in Half
// and gamma in Half or in float. Each is one call into Storage16Reference, which holds
// the code once for every element type.
public static partial class RmsNormReference
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, Half>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, float>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, Half>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, float>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is the double-precision result rounded
    /// once to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is float. sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is the double-precision result rounded
    /// once to half, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is float. sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is half here (as checkpoints store it), and
    /// an overload takes it in float. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<float> rstd,
        Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.RmsNormBackward<Half, Half>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is float here (a trainer's master weights),
    /// and an overload takes it in half. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.RmsNormBackward<Half, float>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}
