using System;

namespace NormGen;

// The half overloads of the generic RMSNorm path: the same members as for float, with the rows in Half
// and gamma in Half or in float. Each is one call into the generic row code, written once
// for every element type: rows widened to float as they are loaded, rounded once as they are stored.
public static partial class RmsNorm
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is within 1 ulp of the exact result rounded to half: computed
    /// in float, rounded once (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, Half>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is within 1 ulp of the exact result rounded to half: computed in
    /// float, rounded once (what overflows is ±∞, NaN stays NaN).</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, float>(
            NormParts.Gamma, x, default, gamma, default, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is half here (as checkpoints store it), and an
    /// overload takes it in float. Each half output (y) is within 1 ulp of the exact result rounded to half: computed
    /// in float, rounded once (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, Span<Half> y, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Forward<Half, Half>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x and y are <see cref="Half"/>; gamma is float here (a trainer's master weights), and an
    /// overload takes it in half. Each half output (y) is within 1 ulp of the exact result rounded to half: computed in
    /// float, rounded once (what overflows is ±∞, NaN stays NaN); rstd is float.</remarks>
    public static void Forward(
        ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, Span<Half> y, Span<float> rstd, int hiddenSize,
        float epsilon = 1e-5f) =>
        Forward<Half, float>(
            NormParts.Gamma | NormParts.Rstd, x, default, gamma, default, y, rstd, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is within 1 ulp of the exact result rounded
    /// to half: computed in float, rounded once (what overflows is ±∞, NaN stays NaN). sum is <c>(Half)((float)x +
    /// (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, Half>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is within 1 ulp of the exact result
    /// rounded to half: computed in float, rounded once (what overflows is ±∞, NaN stays NaN). sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, float>(
            NormParts.Residual | NormParts.Gamma, x, residual, gamma, sum, y, default, hiddenSize, epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is half here (as checkpoints store
    /// it), and an overload takes it in float. Each half output (sum and y) is within 1 ulp of the exact result rounded
    /// to half: computed in float, rounded once (what overflows is ±∞, NaN stays NaN); rstd is float. sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<Half> gamma, Span<Half> sum,
        Span<Half> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, Half>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="ForwardResidual(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
    /// <remarks>The half form: x, residual, sum and y are <see cref="Half"/>; gamma is float here (a trainer's master
    /// weights), and an overload takes it in half. Each half output (sum and y) is within 1 ulp of the exact result
    /// rounded to half: computed in float, rounded once (what overflows is ±∞, NaN stays NaN); rstd is float. sum is
    /// <c>(Half)((float)x + (float)residual)</c>, and y normalizes that stored sum.</remarks>
    public static void ForwardResidual(
        ReadOnlySpan<Half> x, ReadOnlySpan<Half> residual, ReadOnlySpan<float> gamma, Span<Half> sum,
        Span<Half> y, Span<float> rstd, int hiddenSize, float epsilon = 1e-5f) =>
        Forward<Half, float>(
            NormParts.Residual | NormParts.Gamma | NormParts.Rstd, x, residual, gamma, sum, y, rstd, hiddenSize,
            epsilon);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is half here (as checkpoints store it), and
    /// an overload takes it in float. Each half output (dx) is within 1 ulp of the exact result rounded to half:
    /// computed in float, rounded once (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<Half> gamma, ReadOnlySpan<float> rstd,
        Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Backward<Half, Half>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>
    /// <remarks>The half form: dy, x and dx are <see cref="Half"/>; gamma is float here (a trainer's master weights),
    /// and an overload takes it in half. Each half output (dx) is within 1 ulp of the exact result rounded to half:
    /// computed in float, rounded once (what overflows is ±∞, NaN stays NaN); dgamma is float.</remarks>
    public static void Backward(
        ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        Span<Half> dx, Span<float> dgamma, int hiddenSize) =>
        Backward<Half, float>(
            dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}
