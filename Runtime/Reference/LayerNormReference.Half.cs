using System;

namespace NormGen;

// The half overloads of the LayerNorm reference: the same members as for float, with the rows in Half
// and gamma and beta in Half or in float. Each is one call into Storage16Reference, which holds
// the code once for every element type.
public static partial class LayerNormReference
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma and beta are half here (as checkpoints store
    /// them), and an overload takes them in float. Each half output (y) is the double-precision result rounded once to
    /// half, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, Span<Half> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Gamma | NormParts.Beta, x, default, gamma, beta, default, y, default, default, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma and beta are float here (a trainer's master
    /// weights), and an overload takes them in half. Each half output (y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<Half> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Gamma | NormParts.Beta, x, default, gamma, beta, default, y, default, default, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma and beta are half here (as checkpoints store
    /// them), and an overload takes them in float. Each half output (y) is the double-precision result rounded once to
    /// half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta, Span<Half> y, Span<float> mean,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, default, gamma, beta, default,
            y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma and beta are float here (a trainer's master
    /// weights), and an overload takes them in half. Each half output (y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<Half> y,
        Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, default, gamma, beta, default,
            y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Gamma, x, default, gamma, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, Span<float> mean, Span<float> rstd,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, default, gamma, default, default, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is the double-precision result rounded once to half, to nearest
    /// even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void ForwardNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, Span<float> mean, Span<float> rstd,
        int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, default, gamma, default, default, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoAffine(ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>. Each half output (y) is the double-precision result
    /// rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void ForwardNoAffine(
        ReadOnlySpan<Half> x, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.None, x, default, default, default, default, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardNoAffine(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>. Each half output (y) is the double-precision result
    /// rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float.</remarks>
    public static void ForwardNoAffine(
        ReadOnlySpan<Half> x, Span<Half> y, Span<float> mean, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Mean | NormParts.Rstd, x, default, default, default, default, y, mean, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma and beta are half here (as
    /// checkpoints store them), and an overload takes them in float. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta,
        Span<Half> sum, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta, x, residual, gamma, beta, sum, y, default,
            default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma and beta are float here (a
    /// trainer's master weights), and an overload takes them in half. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<Half> sum, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta, x, residual, gamma, beta, sum, y, default,
            default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma and beta are half here (as
    /// checkpoints store them), and an overload takes them in float. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and
    /// rstd are float. sum is <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, ReadOnlySpan<Half> beta,
        Span<Half> sum, Span<Half> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, residual,
            gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma and beta are float here (a
    /// trainer's master weights), and an overload takes them in half. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and
    /// rstd are float. sum is <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<Half> sum, Span<Half> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd, x, residual,
            gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, default, sum, y, default, default,
            hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is the double-precision result rounded
    /// once to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, default, sum, y, default, default,
            hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is the double-precision result rounded once
    /// to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float. sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, residual, gamma, default,
            sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is the double-precision result rounded
    /// once to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and rstd are float. sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoBias(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Mean | NormParts.Rstd, x, residual, gamma, default,
            sum, y, mean, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoAffine(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, Span<Half> sum, Span<Half> y, int hiddenSize,
        float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual, x, residual, default, default, sum, y, default, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidualNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>. Each half output (sum and y) is the
    /// double-precision result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN); mean and
    /// rstd are float. sum is <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidualNoAffine(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, Span<Half> sum, Span<Half> y, Span<float> mean,
        Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Storage16Reference.LayerNormForward<Half, Half>(
            NormParts.Residual | NormParts.Mean | NormParts.Rstd, x, residual, default, default, sum, y, mean,
            rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is half here (as checkpoints store it), and
    /// an overload takes it in float. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma and dbeta are float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<Half> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<Half, Half>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, dbeta,
            hiddenSize);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is float here (a trainer's master weights),
    /// and an overload takes it in half. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma and dbeta are float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<Half> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<Half, float>(
            NormParts.Gamma | NormParts.Beta | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, dbeta,
            hiddenSize);

    /// <inheritdoc cref="BackwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is half here (as checkpoints store it), and
    /// an overload takes it in float. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void BackwardNoBias(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<Half, Half>(
            NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);

    /// <inheritdoc cref="BackwardNoBias(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is float here (a trainer's master weights),
    /// and an overload takes it in half. Each half output (dx) is the double-precision result rounded once to half, to
    /// nearest even (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void BackwardNoBias(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<Half, float>(
            NormParts.Gamma | NormParts.Mean, dy, x, gamma, mean, rstd, dx, dgamma, default, hiddenSize);

    /// <inheritdoc cref="BackwardNoAffine(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>. Each half output (dx) is the double-precision
    /// result rounded once to half, to nearest even (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void BackwardNoAffine(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<Half> dx, int hiddenSize) =>
        Storage16Reference.LayerNormBackward<Half, Half>(
            NormParts.Mean, dy, x, default, mean, rstd, dx, default, default, hiddenSize);
}
