using System;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The general checks of the kernel family (<see cref="Validation.Forward(NormParts, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, float)"/>
/// and its backward twin) and the row scheduler's reductions without dbeta or without either gradient.
/// Every refused call is checked to have written nothing.
/// </summary>
public class FamilyValidationTests
{
    private const int N = 8;
    private const int Rows = 3;
    private const int Length = Rows * N;
    private const float Sentinel = -777f;
    private const float Eps = TestData.DefaultEpsilon;

    private const NormParts LayerNormParts = NormParts.Gamma | NormParts.Beta | NormParts.Mean | NormParts.Rstd;
    private const NormParts ResidualParts = LayerNormParts | NormParts.Residual;

    private static float[] Input(int length, int seed) => TestRows.Uniform(length, -1, 1, seed);

    private static float[] Output(int length) => Enumerable.Repeat(Sentinel, length).ToArray();

    private static ArgumentException AssertRefused(Action call, string parameter, params float[][] buffers)
    {
        float[][] before = buffers.Select(b => (float[])b.Clone()).ToArray();
        ArgumentException exception = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, exception.ParamName);
        for (int i = 0; i < buffers.Length; i++)
            NumericAssert.BitIdentical(before[i], buffers[i], $"buffer {i} after a refused call");
        return exception;
    }

    [Theory]
    [InlineData("residual", -1)]
    [InlineData("residual", 1)]
    [InlineData("sum", -1)]
    [InlineData("sum", 1)]
    [InlineData("gamma", 1)]
    [InlineData("beta", -1)]
    [InlineData("y", 1)]
    [InlineData("mean", 1)]
    [InlineData("rstd", -1)]
    public void Forward_SpanOfWrongLength_NamesItAndTheExpectedLength(string parameter, int delta)
    {
        int Len(string name, int length) => name == parameter ? length + delta : length;
        float[] x = Input(Length, 1), residual = Input(Len("residual", Length), 2);
        float[] gamma = Input(Len("gamma", N), 3), beta = Input(Len("beta", N), 4);
        float[] sum = Output(Len("sum", Length)), y = Output(Len("y", Length));
        float[] mean = Output(Len("mean", Rows)), rstd = Output(Len("rstd", Rows));
        int expected = parameter switch { "gamma" or "beta" => N, "mean" or "rstd" => Rows, _ => Length };

        var e = AssertRefused(
            () => Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, y, mean, rstd, N, Eps),
            parameter, sum, y, mean, rstd);
        Assert.Contains(expected.ToString(), e.Message);
        Assert.Contains((expected + delta).ToString(), e.Message);
    }

    [Fact]
    public void Forward_AbsentPartsAreNotChecked()
    {
        float[] x = Input(Length, 1), y = Output(Length);
        float[] wrong = Input(5, 2);

        // Buffers of the wrong length (or overlapping y) are fine where their part is absent.
        Assert.Equal(Rows, Validation.Forward(NormParts.None, x, wrong, wrong, wrong, y.AsSpan(0, 3), y, y.AsSpan(1, 2), wrong, N, Eps));
        Assert.Equal(Rows, Validation.Forward(NormParts.Gamma | NormParts.Rstd, x, default, Input(N, 3), default, default, y, default, Output(Rows), N, Eps));
        Assert.Equal(Rows, Validation.Forward(NormParts.Gamma | NormParts.Beta, x, default, Input(N, 3), Input(N, 4), default, y, default, default, N, Eps));
    }

    [Fact]
    public void Forward_Residual_InPlaceOutputsAllowed()
    {
        float[] x = Input(Length, 1), residual = Input(Length, 2), gamma = Input(N, 3), beta = Input(N, 4);
        float[] sum = Output(Length), y = Output(Length), mean = Output(Rows), rstd = Output(Rows);

        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, residual, gamma, beta, x, y, mean, rstd, N, Eps));        // sum == x
        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, residual, gamma, beta, residual, y, mean, rstd, N, Eps)); // sum == residual
        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, x, mean, rstd, N, Eps));      // y == x
        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, residual, mean, rstd, N, Eps)); // y == residual
        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, residual, gamma, beta, x, residual, mean, rstd, N, Eps)); // both in place
        Assert.Equal(Rows, Validation.Forward(ResidualParts, x, x, gamma, beta, x, residual, mean, rstd, N, Eps));        // residual == x
    }

    [Fact]
    public void Forward_Residual_OverlapsRefused()
    {
        float[] x = Input(Length, 1), residual = Input(Length, 2), gamma = Input(N, 3), beta = Input(N, 4);
        float[] sum = Output(Length), y = Output(Length), mean = Output(Rows), rstd = Output(Rows);

        // y == sum, exactly or shifted.
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, sum, mean, rstd, N, Eps), "y", sum, mean, rstd);
        float[] both = Output(Length + 1);
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, both.AsSpan(0, Length), both.AsSpan(1, Length), mean, rstd, N, Eps), "y", both, mean, rstd);
        // y == sum == x: each is in place over x, but they may not share memory with each other.
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, x, x, mean, rstd, N, Eps), "y", x, mean, rstd);

        // sum partially over residual and over x.
        float[] buffer = Input(Length + 1, 5);
        AssertRefused(() => Validation.Forward(ResidualParts, x, buffer.AsSpan(0, Length), gamma, beta, buffer.AsSpan(1, Length), y, mean, rstd, N, Eps), "sum", buffer, y, mean, rstd);
        buffer = Input(Length + 1, 6);
        AssertRefused(() => Validation.Forward(ResidualParts, buffer.AsSpan(1, Length), residual, gamma, beta, buffer.AsSpan(0, Length), y, mean, rstd, N, Eps), "sum", buffer, y, mean, rstd);

        // y partially over residual.
        buffer = Input(Length + 1, 7);
        AssertRefused(() => Validation.Forward(ResidualParts, x, buffer.AsSpan(0, Length), gamma, beta, sum, buffer.AsSpan(1, Length), mean, rstd, N, Eps), "y", buffer, sum, mean, rstd);

        // sum over gamma and over beta.
        float[] gammaAndSum = Input(Length + N, 8);
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gammaAndSum.AsSpan(0, N), beta, gammaAndSum.AsSpan(N / 2, Length), y, mean, rstd, N, Eps), "sum", gammaAndSum, y, mean, rstd);
        float[] betaAndSum = Input(Length + N, 9);
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, betaAndSum.AsSpan(Length - N / 2, N), betaAndSum.AsSpan(0, Length), y, mean, rstd, N, Eps), "sum", betaAndSum, y, mean, rstd);

        // mean over residual, over sum; rstd over sum.
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, y, residual.AsSpan(0, Rows), rstd, N, Eps), "mean", residual, sum, y, rstd);
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, y, sum.AsSpan(2, Rows), rstd, N, Eps), "mean", sum, y, rstd);
        AssertRefused(() => Validation.Forward(ResidualParts, x, residual, gamma, beta, sum, y, mean, sum.AsSpan(Length - Rows, Rows), N, Eps), "rstd", sum, y, mean);
    }

    [Fact]
    public void Forward_RmsNormParts_RstdOverlapsRefused()
    {
        const NormParts rms = NormParts.Gamma | NormParts.Rstd | NormParts.Residual;
        float[] x = Input(Length, 1), residual = Input(Length, 2), gamma = Input(N, 3);
        float[] sum = Output(Length), y = Output(Length), rstd = Output(Rows);

        Assert.Equal(Rows, Validation.Forward(rms, x, residual, gamma, default, sum, y, default, rstd, N, Eps));
        AssertRefused(() => Validation.Forward(rms, x, residual, gamma, default, sum, y, default, gamma.AsSpan(0, Rows), N, Eps), "rstd", sum, y);
        AssertRefused(() => Validation.Forward(rms, x, residual, gamma, default, sum, y, default, y.AsSpan(1, Rows), N, Eps), "rstd", sum, y);
        AssertRefused(() => Validation.Forward(rms, x, residual, gamma, default, sum, y, default, Output(Rows + 1), N, Eps), "rstd", sum, y);
    }

    [Fact]
    public void Forward_OldOverloadsFollowTheSameRules()
    {
        float[] x = Input(Length, 1), gamma = Input(N, 3), beta = Input(N, 4), y = Output(Length), mean = Output(Rows), rstd = Output(Rows);
        Assert.Equal(Rows, Validation.Forward(x, gamma, beta, x, N, Eps));
        Assert.Equal(Rows, Validation.Forward(x, gamma, beta, y, mean, rstd, N, Eps));
        AssertRefused(() => Validation.Forward(x, gamma, beta, y, mean, mean, N, Eps), "rstd", y, mean);
        AssertRefused(() => Validation.Forward(x, gamma, Input(N + 1, 5), y, N, Eps), "beta", y);
    }

    [Theory]
    [InlineData(NormParts.Gamma | NormParts.Beta | NormParts.Mean, "dbeta", 1)]
    [InlineData(NormParts.Gamma | NormParts.Mean, "dgamma", -1)]
    [InlineData(NormParts.Gamma | NormParts.Mean, "gamma", 1)]
    [InlineData(NormParts.Gamma | NormParts.Mean, "mean", 1)]
    [InlineData(NormParts.Mean, "rstd", -1)]
    [InlineData(NormParts.None, "dx", 1)]
    [InlineData(NormParts.Gamma, "dy", -1)]
    public void Backward_SpanOfWrongLength_NamesItAndTheExpectedLength(NormParts parts, string parameter, int delta)
    {
        int Len(string name, int length) => name == parameter ? length + delta : length;
        float[] dy = Input(Len("dy", Length), 1), x = Input(Length, 2), gamma = Input(Len("gamma", N), 3);
        float[] mean = Input(Len("mean", Rows), 4), rstd = Input(Len("rstd", Rows), 5);
        float[] dx = Output(Len("dx", Length)), dgamma = Output(Len("dgamma", N)), dbeta = Output(Len("dbeta", N));
        int expected = parameter switch { "dy" or "dx" => Length, "mean" or "rstd" => Rows, _ => N };

        var e = AssertRefused(() => Validation.Backward(parts, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, N), parameter, dx, dgamma, dbeta);
        Assert.Contains(expected.ToString(), e.Message);
        Assert.Contains((expected + delta).ToString(), e.Message);
    }

    [Fact]
    public void Backward_AbsentPartsAreNotChecked()
    {
        float[] dy = Input(Length, 1), x = Input(Length, 2), rstd = Input(Rows, 5), dx = Output(Length);
        float[] wrong = Output(5);

        // No affine: gamma, dgamma, dbeta and mean are ignored, whatever they are.
        Assert.Equal(Rows, Validation.Backward(NormParts.None, dy, x, wrong, wrong, rstd, dx, wrong, dx, N));
        // No bias (RMSNorm): dbeta ignored.
        Assert.Equal(Rows, Validation.Backward(NormParts.Gamma, dy, x, Input(N, 3), default, rstd, dx, Output(N), wrong, N));
    }

    [Fact]
    public void Backward_OutputOverlaps_Refused()
    {
        float[] dy = Input(Length, 1), x = Input(Length, 2), gamma = Input(N, 3), mean = Input(Rows, 4), rstd = Input(Rows, 5);
        float[] dx = Output(Length), dgamma = Output(N);
        const NormParts noBias = NormParts.Gamma | NormParts.Mean;

        AssertRefused(() => Validation.Backward(NormParts.None, dy, x, default, default, rstd, x, default, default, N), "dx", x);
        AssertRefused(() => Validation.Backward(NormParts.None, dy, x, default, default, rstd, dy, default, default, N), "dx", dy);
        AssertRefused(() => Validation.Backward(noBias, dy, x, gamma, mean, rstd, dx, gamma, default, N), "dgamma", dx, gamma);
        AssertRefused(() => Validation.Backward(noBias, dy, x, gamma, mean, rstd, dx, dx.AsSpan(4, N), default, N), "dx", dx);
        AssertRefused(() => Validation.Backward(noBias, dy, x, gamma, mean, rstd, dx, dy.AsSpan(0, N), default, N), "dgamma", dx, dy);
        float[] grads = Output(N + 4);
        AssertRefused(() => Validation.Backward(noBias | NormParts.Beta, dy, x, gamma, mean, rstd, dx, grads.AsSpan(0, N), grads.AsSpan(4, N), N), "dgamma", dx, grads);
        AssertRefused(() => Validation.Backward(noBias, dy, x, gamma, mean, dgamma.AsSpan(2, Rows), dx, dgamma, default, N), "dgamma", dx, dgamma);
    }

    /// <summary>A row kernel whose backward terms are easy to predict: dx = dy · rstd, dgamma += dy · x, dbeta += dy.</summary>
    private readonly struct ProbeKernel : IRowKernel
    {
        public ProbeKernel(int hiddenSize) => HiddenSize = hiddenSize;

        private int HiddenSize { get; }

        public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
            Span<float> mean, Span<float> rstd, int rows) => x.CopyTo(y);

        public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
            ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < HiddenSize; i++)
                {
                    int k = r * HiddenSize + i;
                    dx[k] = dy[k] * rstd[r];
                    if (!dgamma.IsEmpty) dgamma[i] += dy[k] * x[k];
                    if (!dbeta.IsEmpty) dbeta[i] += dy[k];
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 8)]        // one block
    [InlineData(37, 8)]       // several blocks, one chunk
    [InlineData(700, 512)]    // several chunks, parallel
    public void RowScheduler_WithoutDbetaOrEither_ReducesWhatIsThere(int rows, int hiddenSize)
    {
        float[] dy = TestRows.Uniform(rows * hiddenSize, -1, 1, 11), x = TestRows.Uniform(rows * hiddenSize, -2, 2, 12);
        float[] rstd = TestRows.Uniform(rows, 0.5f, 2, 13);
        var kernel = new ProbeKernel(hiddenSize);

        float[] dxFull = Output(dy.Length), dgammaFull = Output(hiddenSize), dbetaFull = Output(hiddenSize);
        RowScheduler.Backward(kernel, dy, x, default, default, rstd, dxFull, dgammaFull, dbetaFull, rows, hiddenSize);

        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            // No bias: dgamma has the bits it has with a bias.
            float[] dx = Output(dy.Length), dgamma = Output(hiddenSize);
            if (threads == 1)
                RowScheduler.Backward(kernel, dy, x, default, default, rstd, dx, dgamma, default, rows, hiddenSize);
            else
                RowScheduler.Backward(kernel, dy, x, default, default, rstd, dx, dgamma, default, rows, hiddenSize, threads);
            NumericAssert.BitIdentical(dxFull, dx, $"dx without dbeta, {threads} threads");
            NumericAssert.BitIdentical(dgammaFull, dgamma, $"dgamma without dbeta, {threads} threads");

            // Neither: dx over every row, nothing else.
            dx = Output(dy.Length);
            if (threads == 1)
                RowScheduler.Backward(kernel, dy, x, default, default, rstd, dx, default, default, rows, hiddenSize);
            else
                RowScheduler.Backward(kernel, dy, x, default, default, rstd, dx, default, default, rows, hiddenSize, threads);
            NumericAssert.BitIdentical(dxFull, dx, $"dx without dgamma and dbeta, {threads} threads");
        }

        // The reduction is the sum it claims to be.
        for (int i = 0; i < hiddenSize; i++)
        {
            double expected = 0;
            for (int r = 0; r < rows; r++) expected += (double)dy[r * hiddenSize + i] * x[r * hiddenSize + i];
            Assert.True(Math.Abs(expected - dgammaFull[i]) <= 1e-5 * (1 + Math.Abs(expected)) * Math.Sqrt(rows), $"dgamma[{i}]");
        }
    }

    [Fact]
    public void RowScheduler_ParallelWithoutGradients_UsesThreads()
    {
        // Enough rows for several threads; the no-affine backward splits rows like the forward.
        Assert.True(RowScheduler.ForwardThreads(700, 512, 8) > 1);
    }
}
