using System;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// Bad input to the 16-bit references: refused with the same exception, parameter name and message as the float
/// overload, before anything is written. Overlap is checked across element types too (a float statistic over a
/// 16-bit row).
/// </summary>
public class Validation16Tests
{
    private const int N = 8;
    private const int Rows = 3;
    private static readonly Half Sentinel = (Half)(-777f);

    private static Half[] Halves(int length, int seed) =>
        TestRows.Uniform(length, -1, 1, seed).Select(v => (Half)v).ToArray();

    private static Half[] Output(int length) => Enumerable.Repeat(Sentinel, length).ToArray();

    /// <summary>Runs a call that must be refused and checks that no byte of the buffers changed.</summary>
    private static TException Refused<TException>(Action call, params byte[][] buffers) where TException : Exception
    {
        byte[][] before = buffers.Select(b => (byte[])b.Clone()).ToArray();
        TException exception = Assert.ThrowsAny<TException>(call);
        for (int i = 0; i < buffers.Length; i++)
            Assert.True(before[i].AsSpan().SequenceEqual(buffers[i]), $"buffer {i} changed in a refused call");
        return exception;
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void WrongLengths_AreRefusedAsForFloat_WithNothingWritten()
    {
        Half[] x = Halves(Rows * N, 1), gamma = Halves(N - 1, 2), beta = Halves(N, 3), y = Output(Rows * N);
        float[] xF = new float[Rows * N], gammaF = new float[N - 1], betaF = new float[N], yF = new float[Rows * N];
        float[] mean = new float[Rows], rstd = new float[Rows];

        var half = Assert.Throws<ArgumentException>(() => LayerNormReference.Forward(x, gamma, beta, y, N));
        var single = Assert.Throws<ArgumentException>(() => LayerNormReference.Forward(xF, gammaF, betaF, yF, N));
        Assert.Equal("gamma", half.ParamName);
        Assert.Equal(single.Message, half.Message);
        Assert.All(y, v => Assert.Equal(Sentinel, v));

        // Float parameters of the wrong length, on a half row.
        var mixed = Assert.Throws<ArgumentException>(
            () => LayerNormReference.Forward(x, gammaF, betaF, y, mean, rstd, N));
        Assert.Equal(single.Message, mixed.Message);
        Assert.All(y, v => Assert.Equal(Sentinel, v));
        Assert.All(mean, v => Assert.Equal(0f, v));

        // x not a whole number of rows; rstd one short; the RMSNorm and bfloat16 forms.
        Half[] ragged = Halves(Rows * N + 1, 4), raggedY = Output(Rows * N + 1);
        Assert.Equal("x", Assert.Throws<ArgumentException>(
            () => LayerNormReference.ForwardNoAffine(ragged, raggedY, N)).ParamName);
        Assert.Equal("rstd", Assert.Throws<ArgumentException>(
            () => RmsNormReference.Forward(x, beta, y, new float[Rows - 1], N)).ParamName);
        BFloat16[] xB = x.Select(v => (BFloat16)(float)v).ToArray(), yB = new BFloat16[x.Length];
        Assert.Equal("gamma", Assert.Throws<ArgumentException>(
            () => RmsNormReference.Forward(xB, new BFloat16[N + 1], yB, N)).ParamName);
        BFloat16[] shortResidual = new BFloat16[1], sumB = new BFloat16[xB.Length];
        Assert.Equal("residual", Assert.Throws<ArgumentException>(
            () => LayerNormReference.ForwardResidual(xB, shortResidual, gammaF, betaF, yB, sumB, N)).ParamName);
        Assert.All(yB, v => Assert.Equal(0, v.RawValue));
        Assert.All(y, v => Assert.Equal(Sentinel, v));
    }

    [Fact]
    public void OutOfRangeArguments_AreRefused()
    {
        Half[] x = Halves(Rows * N, 1), gamma = Halves(N, 2), y = Output(Rows * N);
        Assert.Equal("hiddenSize", Assert.Throws<ArgumentOutOfRangeException>(
            () => RmsNormReference.Forward(x, gamma, y, 0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(
            () => LayerNormReference.ForwardNoBias(x, gamma, y, N, float.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(
            () => LayerNormReference.ForwardNoBias(x, gamma, y, N, 0f)).ParamName);
        Assert.All(y, v => Assert.Equal(Sentinel, v));
    }

    [Fact]
    public void AFloatStatisticOverAHalfRow_IsRefused_WithNothingWritten()
    {
        // One buffer holds x (the first Rows·N halves) and, reinterpreted as floats, its second half.
        var buffer = Halves(2 * Rows * N, 5);
        byte[] before = Bytes(buffer);
        Half[] gamma = Halves(N, 6), beta = Halves(N, 7), y = Output(Rows * N);
        var exception = Refused<ArgumentException>(() =>
        {
            Span<Half> all = buffer;
            Span<float> overX = MemoryMarshal.Cast<Half, float>(all)[..Rows];           // inside x
            LayerNormReference.Forward(all[..(Rows * N)], gamma, beta, y, overX, new float[Rows], N);
        }, Bytes(y));
        Assert.Equal("mean", exception.ParamName);
        Assert.Equal(before, Bytes(buffer));

        // Beside x, not over it: accepted.
        Span<Half> whole = buffer;
        Span<float> besideX = MemoryMarshal.Cast<Half, float>(whole[(Rows * N)..])[..Rows];
        LayerNormReference.Forward(whole[..(Rows * N)], gamma, beta, y, besideX, new float[Rows], N);
        Assert.DoesNotContain(Sentinel, y);
    }

    [Fact]
    public void PartialOverlaps_AreRefused_AndExactInPlaceIsAllowed()
    {
        Half[] buffer = Halves(Rows * N + 4, 8), gamma = Halves(N, 9), beta = Halves(N, 10);
        byte[] before = Bytes(buffer);

        // y shifted by one element over x.
        var shifted = Assert.Throws<ArgumentException>(() =>
            LayerNormReference.Forward(buffer.AsSpan(0, Rows * N), gamma, beta, buffer.AsSpan(1, Rows * N), N));
        Assert.Equal("y", shifted.ParamName);
        Assert.Contains("in-place", shifted.Message);
        Assert.Equal(before, Bytes(buffer));

        // y over gamma.
        Half[] x = Halves(N, 11);
        Assert.Equal("y", Assert.Throws<ArgumentException>(
            () => LayerNormReference.Forward(x, gamma, beta, gamma, N)).ParamName);

        // sum and y over each other.
        Half[] residual = Halves(Rows * N, 12), xr = Halves(Rows * N, 13), shared = Output(Rows * N);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() =>
            RmsNormReference.ForwardResidual(xr, residual, gamma, shared, shared, N)).ParamName);
        Assert.All(shared, v => Assert.Equal(Sentinel, v));

        // Backward: dx over dy; dgamma (float) over x (half).
        Half[] dy = Halves(Rows * N, 14);
        float[] mean = new float[Rows], rstd = Enumerable.Repeat(1f, Rows).ToArray();
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() =>
            LayerNormReference.Backward(dy, xr, gamma, mean, rstd, dy, new float[N], new float[N], N)).ParamName);
        Half[] xBig = Halves(Rows * N, 15);
        byte[] xBefore = Bytes(xBig);
        Assert.Equal("dgamma", Assert.Throws<ArgumentException>(() =>
        {
            Span<float> overX = MemoryMarshal.Cast<Half, float>(xBig.AsSpan())[..N];
            LayerNormReference.BackwardNoBias(dy, xBig, gamma, mean, rstd, new Half[Rows * N], overX, N);
        }).ParamName);
        Assert.Equal(xBefore, Bytes(xBig));

        // Exactly in place is allowed.
        Half[] inPlace = Halves(Rows * N, 16);
        LayerNormReference.Forward(inPlace, gamma, beta, inPlace, N);
    }
}
