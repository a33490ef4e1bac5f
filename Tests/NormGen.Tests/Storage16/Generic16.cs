using System;

namespace NormGen.Tests;

// The generic path's 16-bit overloads behind the same face as the references (Reference16), so that a test written
// once runs either engine: each member calls LayerNorm or RmsNorm where the reference class calls
// LayerNormReference or RmsNormReference, with the same arguments.

public sealed class HalfGeneric16 : Reference16<Half>
{
    public override string Name => "Half generic";
    public override float ToSingle(Half value) => Storage16.ToSingle(value);
    public override Half FromSingle(float value) => Storage16.FromSingle<Half>(value);
    public override Half FromDouble(double value) => Storage16.FromDouble<Half>(value);
    public override ushort Bits(Half value) => BitConverter.HalfToUInt16Bits(value);
    public override Half FromBits(ushort bits) => BitConverter.UInt16BitsToHalf(bits);

    // LayerNorm
    public override void LayerNormForward(Half[] x, Half[] gamma, Half[] beta, Half[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, float[] gamma, float[] beta, Half[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, Half[] gamma, Half[] beta, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, float[] gamma, float[] beta, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, Half[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, float[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, Half[] gamma, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, float[] gamma, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(Half[] x, Half[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoAffine(x, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(Half[] x, Half[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon) =>
        LayerNorm.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] beta, Half[] sum,
        Half[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, float[] gamma, float[] beta, Half[] sum,
        Half[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] beta, Half[] sum,
        Half[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, float[] gamma, float[] beta, Half[] sum,
        Half[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(Half[] x, Half[] residual, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(Half[] x, Half[] residual, Half[] sum, Half[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormBackward(Half[] dy, Half[] x, Half[] gamma, float[] mean, float[] rstd, Half[] dx,
        float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackward(Half[] dy, Half[] x, float[] gamma, float[] mean, float[] rstd, Half[] dx,
        float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackwardNoBias(Half[] dy, Half[] x, Half[] gamma, float[] mean, float[] rstd,
        Half[] dx, float[] dgamma, int hiddenSize) =>
        LayerNorm.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoBias(Half[] dy, Half[] x, float[] gamma, float[] mean, float[] rstd,
        Half[] dx, float[] dgamma, int hiddenSize) =>
        LayerNorm.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoAffine(Half[] dy, Half[] x, float[] mean, float[] rstd, Half[] dx,
        int hiddenSize) =>
        LayerNorm.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize);

    // RmsNorm
    public override void RmsNormForward(Half[] x, Half[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        RmsNorm.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, float[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        RmsNorm.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, Half[] gamma, Half[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNorm.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, float[] gamma, Half[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNorm.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        float[] rstd, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        float[] rstd, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormBackward(Half[] dy, Half[] x, Half[] gamma, float[] rstd, Half[] dx, float[] dgamma,
        int hiddenSize) =>
        RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
    public override void RmsNormBackward(Half[] dy, Half[] x, float[] gamma, float[] rstd, Half[] dx, float[] dgamma,
        int hiddenSize) =>
        RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}

public sealed class BFloat16Generic16 : Reference16<BFloat16>
{
    public override string Name => "BFloat16 generic";
    public override float ToSingle(BFloat16 value) => Storage16.ToSingle(value);
    public override BFloat16 FromSingle(float value) => Storage16.FromSingle<BFloat16>(value);
    public override BFloat16 FromDouble(double value) => Storage16.FromDouble<BFloat16>(value);
    public override ushort Bits(BFloat16 value) => value.RawValue;
    public override BFloat16 FromBits(ushort bits) => BFloat16.FromBits(bits);

    // LayerNorm
    public override void LayerNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] beta, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, float[] gamma, float[] beta, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] beta, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, float[] gamma, float[] beta, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, float[] gamma, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, float[] gamma, BFloat16[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(BFloat16[] x, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoAffine(x, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(BFloat16[] x, BFloat16[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNorm.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] beta,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, float[] beta,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] beta,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, float[] beta,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, float[] gamma,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, float[] gamma,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(BFloat16[] x, BFloat16[] residual, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(BFloat16[] x, BFloat16[] residual, BFloat16[] sum,
        BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNorm.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormBackward(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackward(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackwardNoBias(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] mean,
        float[] rstd, BFloat16[] dx, float[] dgamma, int hiddenSize) =>
        LayerNorm.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoBias(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, int hiddenSize) =>
        LayerNorm.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoAffine(BFloat16[] dy, BFloat16[] x, float[] mean, float[] rstd,
        BFloat16[] dx, int hiddenSize) =>
        LayerNorm.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize);

    // RmsNorm
    public override void RmsNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNorm.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, float[] gamma, BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNorm.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNorm.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, float[] gamma, BFloat16[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNorm.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] sum,
        BFloat16[] y, float[] rstd, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, BFloat16[] sum,
        BFloat16[] y, float[] rstd, int hiddenSize, float epsilon) =>
        RmsNorm.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormBackward(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] rstd, BFloat16[] dx,
        float[] dgamma, int hiddenSize) =>
        RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
    public override void RmsNormBackward(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] rstd, BFloat16[] dx,
        float[] dgamma, int hiddenSize) =>
        RmsNorm.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}
