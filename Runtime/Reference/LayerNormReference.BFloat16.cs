using System;

namespace NormGen;

// The bfloat16 overloads of the LayerNorm reference: the same members as for float, with the rows in BFloat16
// and gamma and beta in BFloat16 or in float. Each is one call into Storage16Reference, which holds
// the code once for every element type.
public static partial class LayerNormReference
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma and beta are bfloat16 here (as checkpoints
    /// store them), and an overload takes them in float. Each bfloat16 output (y) is the double-precision result
    /// rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, ReadOnlySpan<BFloat16> beta, Span<BFloat16> y,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Beta, x, default, gamma, beta, default, y, default, default, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma and beta are float here (a trainer's
    /// master weights), and an overload takes them in bfloat16. Each bfloat16 output (y) is the double-precision result
    /// rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<BFloat16> y,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Gamma | NormParts.Beta, x, default, gamma, beta, default, y, default, default, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma and beta are bfloat16 here (as checkpoints
    /// store them), and an overload takes them in float. Each bfloat16 output (y) is the double-precision result
    /// rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are
    /// float.</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, ReadOnlySpan<BFloat16> beta, Span<BFloat16> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, default, gamma, beta, default,
            y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma and beta are float here (a trainer's
    /// master weights), and an overload takes them in bfloat16. Each bfloat16 output (y) is the double-precision result
    /// rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are
    /// float.</remarks>
    public static void Forward(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<BFloat16> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, default, gamma, beta, default,
            y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints store
    /// it), and an overload takes it in float. Each bfloat16 output (y) is the double-precision result rounded once to
    /// bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, Span<BFloat16> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (y) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, Span<BFloat16> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints store
    /// it), and an overload takes it in float. Each bfloat16 output (y) is the double-precision result rounded once to
    /// bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma, Span<BFloat16> y, Span<float> mean,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, default, gamma, default, default, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (y) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, Span<BFloat16> y, Span<float> mean,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, default, gamma, default, default, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoAffine(ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>. Each bfloat16 output (y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoAffine(
        ReadOnlySpan<BFloat16> x, Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.None, x, default, default, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoAffine(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x and y are <see cref="BFloat16"/>. Each bfloat16 output (y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are
    /// float.</remarks>
    public static void ForwardNoAffine(
        ReadOnlySpan<BFloat16> x, Span<BFloat16> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Mean | NormParts.Rstd, x, default, default, default, default, y, mean, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma and beta are bfloat16 here
    /// (as checkpoints store them), and an overload takes them in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        ReadOnlySpan<BFloat16> beta, Span<BFloat16> sum, Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta, x, residual, gamma, beta, sum, y, default,
            default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma and beta are float here (a
    /// trainer's master weights), and an overload takes them in bfloat16. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<BFloat16> sum, Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta, x, residual, gamma, beta, sum, y, default,
            default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma and beta are bfloat16 here
    /// (as checkpoints store them), and an overload takes them in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean
    /// and rstd are float. sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored
    /// sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        ReadOnlySpan<BFloat16> beta, Span<BFloat16> sum, Span<BFloat16> y, Span<float> mean, Span<float> rstd,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, residual,
            gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma and beta are float here (a
    /// trainer's master weights), and an overload takes them in bfloat16. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean
    /// and rstd are float. sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored
    /// sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<BFloat16> sum, Span<BFloat16> y, Span<float> mean, Span<float> rstd,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, residual,
            gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as
    /// checkpoints store it), and an overload takes it in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        Span<BFloat16> sum, Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, default, sum, y, default, default,
            hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is float here (a trainer's
    /// master weights), and an overload takes it in bfloat16. Each bfloat16 output (sum and y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma, Span<BFloat16> sum,
        Span<BFloat16> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, default, sum, y, default, default,
            hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is bfloat16 here (as
    /// checkpoints store it), and an overload takes it in float. Each bfloat16 output (sum and y) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean
    /// and rstd are float. sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored
    /// sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<BFloat16> gamma,
        Span<BFloat16> sum, Span<BFloat16> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, residual, gamma, default,
            sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>; gamma is float here (a trainer's
    /// master weights), and an overload takes it in bfloat16. Each bfloat16 output (sum and y) is the double-precision
    /// result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.
    /// sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, ReadOnlySpan<float> gamma, Span<BFloat16> sum,
        Span<BFloat16> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, residual, gamma, default,
            sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>. Each bfloat16 output (sum and y)
    /// is the double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN).
    /// sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoAffine(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, Span<BFloat16> sum, Span<BFloat16> y,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual, x, residual, default, default, sum, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The bfloat16 form: x, residual, sum and y are <see cref="BFloat16"/>. Each bfloat16 output (sum and y)
    /// is the double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN);
    /// mean and rstd are float. sum is <c>(BFloat16)((float)x + (float)residual)</c>, and y normalizes that stored
    /// sum.</remarks>
    public static void ForwardResidualNoAffine(
        ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> residual, Span<BFloat16> sum, Span<BFloat16> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<BFloat16, BFloat16>(
            NormParts.Residual | NormParts.Mean | NormParts.Rstd, x, residual, default, default, sum, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints
    /// store it), and an overload takes it in float. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma and dbeta are float.</remarks>
    public static void Backward(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<BFloat16> dx, Span<float> dgamma,
        Span<float> dbeta, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, dbeta,
            hiddenSize);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma and dbeta are float.</remarks>
    public static void Backward(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<BFloat16> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<BFloat16, float>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, dbeta,
            hiddenSize);

    /// <inheritdoc cref="BackwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is bfloat16 here (as checkpoints
    /// store it), and an overload takes it in float. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void BackwardNoBias(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<BFloat16> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<BFloat16> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<BFloat16, BFloat16>(
            NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);

    /// <inheritdoc cref="BackwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in bfloat16. Each bfloat16 output (dx) is the double-precision result rounded
    /// once to bfloat16, to nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void BackwardNoBias(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<BFloat16> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<BFloat16, float>(
            NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);

    /// <inheritdoc cref="BackwardNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
    /// <remarks>The bfloat16 form: dy, x and dx are <see cref="BFloat16"/>. Each bfloat16 output (dx) is the
    /// double-precision result rounded once to bfloat16, to nearest even (what overflows is ±∞, NaN stays
    /// NaN).</remarks>
    public static void BackwardNoAffine(
        ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<BFloat16> dx, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<BFloat16, BFloat16>(
            NormParts.Mean, dy, x, default, mean, rstd, dx, default, default, hiddenSize);
}
