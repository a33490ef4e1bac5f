using System;

namespace NormGen;

// The bfloat16 overloads of the RMSNorm reference: the same members as for float, with the rows in BFloat16
// and gamma in BFloat16 or in float. Each is one call into Storage16Reference, which holds
// the code once for every element type.
public static partial class RmsNormReference
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints store
    /// it), and an overload takes it in float. Each bfloat16 output (y) is the double-precision result rounded once to
    /// bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, Span<BFloat16> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, BFloat16>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (y) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, Span<BFloat16> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, float>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints store
    /// it), and an overload takes it in float. Each bfloat16 output (y) is the double-precision result rounded once to
    /// bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, Span<BFloat16> y, Span<float> rstd,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (y) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, Span<BFloat16> y, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, float>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as
    /// checkpoints store it), and an overload takes it in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        Span<BFloat16> sum, Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is float here (a trainer's
    /// master weights), and an overload takes it in bfloat16. Each bfloat16 output (sum and y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma, Span<BFloat16> sum,
        Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as
    /// checkpoints store it), and an overload takes it in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is
    /// float. sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        Span<BFloat16> sum, Span<BFloat16> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is float here (a trainer's
    /// master weights), and an overload takes it in bfloat16. Each bfloat16 output (sum and y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); rstd is float. sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma, Span<BFloat16> sum,
        Span<BFloat16> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.RmsNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints
    /// store it), and an overload takes it in float. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma,
        ReadOnlySpan<float> rstd, Span<BFloat16> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.RmsNormBackward<BFloat16, BFloat16>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<BFloat16> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.RmsNormBackward<BFloat16, float>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}
