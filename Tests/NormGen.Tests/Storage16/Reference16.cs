using System;

namespace NormGen.Tests;

// Every 16-bit overload of LayerNormReference and RmsNormReference, callable from tests written once over the element
// type. One member per overload, in the order of Runtime/Reference/*.Half.cs; keep the two in step.

/// <summary>The 16-bit reference overloads for one element type, over arrays, plus that type's conversions.</summary>
public abstract class Reference16<T> where T : unmanaged
{
    public abstract string Name { get; }
    public abstract float ToSingle(T value);
    public abstract T FromSingle(float value);
    public abstract T FromDouble(double value);
    public abstract ushort Bits(T value);
    public abstract T FromBits(ushort bits);

    // LayerNormReference
    public abstract void LayerNormForward(T[] x, T[] gamma, T[] beta, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForward(T[] x, float[] gamma, float[] beta, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForward(T[] x, T[] gamma, T[] beta, T[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForward(T[] x, float[] gamma, float[] beta, T[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoBias(T[] x, T[] gamma, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoBias(T[] x, float[] gamma, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoBias(T[] x, T[] gamma, T[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoBias(T[] x, float[] gamma, T[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoAffine(T[] x, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardNoAffine(T[] x, T[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidual(T[] x, T[] residual, T[] gamma, T[] beta, T[] sum, T[] y,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidual(T[] x, T[] residual, float[] gamma, float[] beta, T[] sum, T[] y,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidual(T[] x, T[] residual, T[] gamma, T[] beta, T[] sum, T[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidual(T[] x, T[] residual, float[] gamma, float[] beta, T[] sum, T[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoBias(T[] x, T[] residual, T[] gamma, T[] sum, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoBias(T[] x, T[] residual, float[] gamma, T[] sum, T[] y,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoBias(T[] x, T[] residual, T[] gamma, T[] sum, T[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoBias(T[] x, T[] residual, float[] gamma, T[] sum, T[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoAffine(T[] x, T[] residual, T[] sum, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormForwardResidualNoAffine(T[] x, T[] residual, T[] sum, T[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void LayerNormBackward(T[] dy, T[] x, T[] gamma, float[] mean, float[] rstd, T[] dx, float[] dgamma,
        float[] dbeta, int hiddenSize);
    public abstract void LayerNormBackward(T[] dy, T[] x, float[] gamma, float[] mean, float[] rstd, T[] dx,
        float[] dgamma, float[] dbeta, int hiddenSize);
    public abstract void LayerNormBackwardNoBias(T[] dy, T[] x, T[] gamma, float[] mean, float[] rstd, T[] dx,
        float[] dgamma, int hiddenSize);
    public abstract void LayerNormBackwardNoBias(T[] dy, T[] x, float[] gamma, float[] mean, float[] rstd, T[] dx,
        float[] dgamma, int hiddenSize);
    public abstract void LayerNormBackwardNoAffine(T[] dy, T[] x, float[] mean, float[] rstd, T[] dx, int hiddenSize);

    // RmsNormReference
    public abstract void RmsNormForward(T[] x, T[] gamma, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForward(T[] x, float[] gamma, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForward(T[] x, T[] gamma, T[] y, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForward(T[] x, float[] gamma, T[] y, float[] rstd, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForwardResidual(T[] x, T[] residual, T[] gamma, T[] sum, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForwardResidual(T[] x, T[] residual, float[] gamma, T[] sum, T[] y, int hiddenSize,
        float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForwardResidual(T[] x, T[] residual, T[] gamma, T[] sum, T[] y, float[] rstd,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormForwardResidual(T[] x, T[] residual, float[] gamma, T[] sum, T[] y, float[] rstd,
        int hiddenSize, float epsilon = TestData.DefaultEpsilon);
    public abstract void RmsNormBackward(T[] dy, T[] x, T[] gamma, float[] rstd, T[] dx, float[] dgamma,
        int hiddenSize);
    public abstract void RmsNormBackward(T[] dy, T[] x, float[] gamma, float[] rstd, T[] dx, float[] dgamma,
        int hiddenSize);
}

public sealed class HalfReference16 : Reference16<Half>
{
    public override string Name => "Half";
    public override float ToSingle(Half value) => Storage16.ToSingle(value);
    public override Half FromSingle(float value) => Storage16.FromSingle<Half>(value);
    public override Half FromDouble(double value) => Storage16.FromDouble<Half>(value);
    public override ushort Bits(Half value) => BitConverter.HalfToUInt16Bits(value);
    public override Half FromBits(ushort bits) => BitConverter.UInt16BitsToHalf(bits);

    // LayerNormReference
    public override void LayerNormForward(Half[] x, Half[] gamma, Half[] beta, Half[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, float[] gamma, float[] beta, Half[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, Half[] gamma, Half[] beta, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForward(Half[] x, float[] gamma, float[] beta, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, Half[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, float[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, Half[] gamma, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(Half[] x, float[] gamma, Half[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(Half[] x, Half[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoAffine(x, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(Half[] x, Half[] y, float[] mean, float[] rstd, int hiddenSize,
        float epsilon) =>
        LayerNormReference.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] beta, Half[] sum,
        Half[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, float[] gamma, float[] beta, Half[] sum,
        Half[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] beta, Half[] sum,
        Half[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(Half[] x, Half[] residual, float[] gamma, float[] beta, Half[] sum,
        Half[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(Half[] x, Half[] residual, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(Half[] x, Half[] residual, Half[] sum, Half[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormBackward(Half[] dy, Half[] x, Half[] gamma, float[] mean, float[] rstd, Half[] dx,
        float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackward(Half[] dy, Half[] x, float[] gamma, float[] mean, float[] rstd, Half[] dx,
        float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackwardNoBias(Half[] dy, Half[] x, Half[] gamma, float[] mean, float[] rstd,
        Half[] dx, float[] dgamma, int hiddenSize) =>
        LayerNormReference.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoBias(Half[] dy, Half[] x, float[] gamma, float[] mean, float[] rstd,
        Half[] dx, float[] dgamma, int hiddenSize) =>
        LayerNormReference.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoAffine(Half[] dy, Half[] x, float[] mean, float[] rstd, Half[] dx,
        int hiddenSize) =>
        LayerNormReference.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize);

    // RmsNormReference
    public override void RmsNormForward(Half[] x, Half[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, float[] gamma, Half[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, Half[] gamma, Half[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForward(Half[] x, float[] gamma, Half[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, Half[] gamma, Half[] sum, Half[] y,
        float[] rstd, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(Half[] x, Half[] residual, float[] gamma, Half[] sum, Half[] y,
        float[] rstd, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormBackward(Half[] dy, Half[] x, Half[] gamma, float[] rstd, Half[] dx, float[] dgamma,
        int hiddenSize) =>
        RmsNormReference.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
    public override void RmsNormBackward(Half[] dy, Half[] x, float[] gamma, float[] rstd, Half[] dx, float[] dgamma,
        int hiddenSize) =>
        RmsNormReference.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}

public sealed class BFloat16Reference16 : Reference16<BFloat16>
{
    public override string Name => "BFloat16";
    public override float ToSingle(BFloat16 value) => Storage16.ToSingle(value);
    public override BFloat16 FromSingle(float value) => Storage16.FromSingle<BFloat16>(value);
    public override BFloat16 FromDouble(double value) => Storage16.FromDouble<BFloat16>(value);
    public override ushort Bits(BFloat16 value) => value.RawValue;
    public override BFloat16 FromBits(ushort bits) => BFloat16.FromBits(bits);

    // LayerNormReference
    public override void LayerNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] beta, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, float[] gamma, float[] beta, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] beta, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForward(BFloat16[] x, float[] gamma, float[] beta, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, float[] gamma, BFloat16[] y, int hiddenSize,
        float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, float[] mean,
        float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoBias(BFloat16[] x, float[] gamma, BFloat16[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoBias(x, gamma, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(BFloat16[] x, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoAffine(x, y, hiddenSize, epsilon);
    public override void LayerNormForwardNoAffine(BFloat16[] x, BFloat16[] y, float[] mean, float[] rstd,
        int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardNoAffine(x, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] beta,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, float[] beta,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] beta,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, float[] beta,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidual(x, residual, gamma, beta, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, float[] gamma,
        BFloat16[] sum, BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoBias(BFloat16[] x, BFloat16[] residual, float[] gamma,
        BFloat16[] sum, BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoBias(x, residual, gamma, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(BFloat16[] x, BFloat16[] residual, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, hiddenSize, epsilon);
    public override void LayerNormForwardResidualNoAffine(BFloat16[] x, BFloat16[] residual, BFloat16[] sum,
        BFloat16[] y, float[] mean, float[] rstd, int hiddenSize, float epsilon) =>
        LayerNormReference.ForwardResidualNoAffine(x, residual, sum, y, mean, rstd, hiddenSize, epsilon);
    public override void LayerNormBackward(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackward(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, float[] dbeta, int hiddenSize) =>
        LayerNormReference.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize);
    public override void LayerNormBackwardNoBias(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] mean,
        float[] rstd, BFloat16[] dx, float[] dgamma, int hiddenSize) =>
        LayerNormReference.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoBias(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] mean, float[] rstd,
        BFloat16[] dx, float[] dgamma, int hiddenSize) =>
        LayerNormReference.BackwardNoBias(dy, x, gamma, mean, rstd, dx, dgamma, hiddenSize);
    public override void LayerNormBackwardNoAffine(BFloat16[] dy, BFloat16[] x, float[] mean, float[] rstd,
        BFloat16[] dx, int hiddenSize) =>
        LayerNormReference.BackwardNoAffine(dy, x, mean, rstd, dx, hiddenSize);

    // RmsNormReference
    public override void RmsNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, float[] gamma, BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, BFloat16[] gamma, BFloat16[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForward(BFloat16[] x, float[] gamma, BFloat16[] y, float[] rstd, int hiddenSize,
        float epsilon) =>
        RmsNormReference.Forward(x, gamma, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, BFloat16[] sum,
        BFloat16[] y, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, BFloat16[] gamma, BFloat16[] sum,
        BFloat16[] y, float[] rstd, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormForwardResidual(BFloat16[] x, BFloat16[] residual, float[] gamma, BFloat16[] sum,
        BFloat16[] y, float[] rstd, int hiddenSize, float epsilon) =>
        RmsNormReference.ForwardResidual(x, residual, gamma, sum, y, rstd, hiddenSize, epsilon);
    public override void RmsNormBackward(BFloat16[] dy, BFloat16[] x, BFloat16[] gamma, float[] rstd, BFloat16[] dx,
        float[] dgamma, int hiddenSize) =>
        RmsNormReference.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
    public override void RmsNormBackward(BFloat16[] dy, BFloat16[] x, float[] gamma, float[] rstd, BFloat16[] dx,
        float[] dgamma, int hiddenSize) =>
        RmsNormReference.Backward(dy, x, gamma, rstd, dx, dgamma, hiddenSize);
}
