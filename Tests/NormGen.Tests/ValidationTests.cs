using System;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// Every bad-input rule, on every engine that has a kernel for the case. Each test also
/// checks that a refused call wrote nothing: outputs hold a sentinel before and after.
/// </summary>
public class ValidationTests
{
    private const int N = 8;
    private const int Rows = 3;
    private const float Sentinel = -777f;

    private static bool Skip(Engine engine, int hiddenSize = N, float epsilon = TestData.DefaultEpsilon) =>
        !engine.Supports(hiddenSize, epsilon);

    private static float[] Input(int length, int seed) => TestRows.Uniform(length, -1, 1, seed);

    private static float[] Output(int length) => Enumerable.Repeat(Sentinel, length).ToArray();

    /// <summary>Runs a call that must be refused and checks that no buffer changed.</summary>
    private static TException AssertRefusedWithoutWriting<TException>(Action call, params float[][] buffers)
        where TException : Exception
    {
        float[][] before = buffers.Select(b => (float[])b.Clone()).ToArray();
        TException exception = Assert.ThrowsAny<TException>(call);
        for (int i = 0; i < buffers.Length; i++)
            NumericAssert.BitIdentical(before[i], buffers[i], $"buffer {i} after a refused call");
        return exception;
    }

    private static void AssertLengthMessage(ArgumentException exception, string parameter, int expected, int actual)
    {
        Assert.IsNotType<ArgumentOutOfRangeException>(exception);
        Assert.Equal(parameter, exception.ParamName);
        Assert.Contains(expected.ToString(), exception.Message);
        Assert.Contains(actual.ToString(), exception.Message);
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void XLengthNotAMultipleOfHiddenSize_Throws(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        float[] x = Input(Rows * N + 1, 1), gamma = Input(N, 2), beta = Input(N, 3), y = Output(Rows * N + 1);
        float[] mean = Output(Rows), rstd = Output(Rows), dy = Input(Rows * N + 1, 4), dx = Output(Rows * N + 1), dgamma = Output(N), dbeta = Output(N);

        var e1 = AssertRefusedWithoutWriting<ArgumentException>(() => engine.Forward(x, gamma, beta, y, N, TestData.DefaultEpsilon), y);
        var e2 = AssertRefusedWithoutWriting<ArgumentException>(() => engine.Forward(x, gamma, beta, y, mean, rstd, N, TestData.DefaultEpsilon), y, mean, rstd);
        var e3 = AssertRefusedWithoutWriting<ArgumentException>(() => engine.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, N), dx, dgamma, dbeta);
        foreach (var e in new[] { e1, e2, e3 })
        {
            Assert.Equal("x", e.ParamName);
            Assert.Contains((Rows * N + 1).ToString(), e.Message);
            Assert.Contains(N.ToString(), e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(ForwardSpans))]
    public void Forward_SpanOfWrongLength_Throws(string engineName, string parameter, int delta)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        int Len(string name, int length) => name == parameter ? length + delta : length;
        float[] x = Input(Rows * N, 1);
        float[] gamma = Input(Len("gamma", N), 2), beta = Input(Len("beta", N), 3);
        float[] y = Output(Len("y", Rows * N)), mean = Output(Len("mean", Rows)), rstd = Output(Len("rstd", Rows));
        int expected = parameter switch { "gamma" or "beta" => N, "y" => Rows * N, _ => Rows };

        var e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Forward(x, gamma, beta, y, mean, rstd, N, TestData.DefaultEpsilon), y, mean, rstd);
        AssertLengthMessage(e, parameter, expected, expected + delta);

        if (parameter is "mean" or "rstd") return;
        e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Forward(x, gamma, beta, y, N, TestData.DefaultEpsilon), y);
        AssertLengthMessage(e, parameter, expected, expected + delta);
    }

    public static TheoryData<string, string, int> ForwardSpans()
    {
        var data = new TheoryData<string, string, int>();
        foreach (Engine engine in Engines.All)
            foreach (string parameter in new[] { "gamma", "beta", "y", "mean", "rstd" })
                foreach (int delta in new[] { -1, 1 })
                    data.Add(engine.Name, parameter, delta);
        return data;
    }

    [Theory]
    [MemberData(nameof(BackwardSpans))]
    public void Backward_SpanOfWrongLength_Throws(string engineName, string parameter, int delta)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        int Len(string name, int length) => name == parameter ? length + delta : length;
        float[] x = Input(Rows * N, 1), dy = Input(Len("dy", Rows * N), 2), gamma = Input(Len("gamma", N), 3);
        float[] mean = Input(Len("mean", Rows), 4), rstd = Input(Len("rstd", Rows), 5);
        float[] dx = Output(Len("dx", Rows * N)), dgamma = Output(Len("dgamma", N)), dbeta = Output(Len("dbeta", N));
        int expected = parameter switch { "dy" or "dx" => Rows * N, "mean" or "rstd" => Rows, _ => N };

        var e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, N), dx, dgamma, dbeta);
        AssertLengthMessage(e, parameter, expected, expected + delta);
    }

    public static TheoryData<string, string, int> BackwardSpans()
    {
        var data = new TheoryData<string, string, int>();
        foreach (Engine engine in Engines.All)
            foreach (string parameter in new[] { "dy", "gamma", "mean", "rstd", "dx", "dgamma", "dbeta" })
                foreach (int delta in new[] { -1, 1 })
                    data.Add(engine.Name, parameter, delta);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadHiddenSizes))]
    public void HiddenSizeNotPositive_ThrowsOutOfRange(string engineName, int hiddenSize)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine, hiddenSize)) return;
        float[] x = Input(8, 1), gamma = Input(8, 2), beta = Input(8, 3), y = Output(8), mean = Output(1), rstd = Output(1);
        float[] dx = Output(8), dgamma = Output(8), dbeta = Output(8);

        var e1 = AssertRefusedWithoutWriting<ArgumentOutOfRangeException>(() => engine.Forward(x, gamma, beta, y, hiddenSize, TestData.DefaultEpsilon), y);
        var e2 = AssertRefusedWithoutWriting<ArgumentOutOfRangeException>(() => engine.Forward(x, gamma, beta, y, mean, rstd, hiddenSize, TestData.DefaultEpsilon), y, mean, rstd);
        var e3 = AssertRefusedWithoutWriting<ArgumentOutOfRangeException>(() => engine.Backward(x, x, gamma, mean, rstd, dx, dgamma, dbeta, hiddenSize), dx, dgamma, dbeta);
        Assert.All(new[] { e1, e2, e3 }, e => Assert.Equal("hiddenSize", e.ParamName));
    }

    public static TheoryData<string, int> BadHiddenSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (Engine engine in Engines.All)
            foreach (int n in new[] { 0, -1, int.MinValue })
                data.Add(engine.Name, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadEpsilons))]
    public void EpsilonNotPositiveAndFinite_ThrowsOutOfRange(string engineName, float epsilon)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine, N, epsilon)) return;
        float[] x = Input(Rows * N, 1), gamma = Input(N, 2), beta = Input(N, 3), y = Output(Rows * N), mean = Output(Rows), rstd = Output(Rows);

        var e1 = AssertRefusedWithoutWriting<ArgumentOutOfRangeException>(() => engine.Forward(x, gamma, beta, y, N, epsilon), y);
        var e2 = AssertRefusedWithoutWriting<ArgumentOutOfRangeException>(() => engine.Forward(x, gamma, beta, y, mean, rstd, N, epsilon), y, mean, rstd);
        Assert.All(new[] { e1, e2 }, e => Assert.Equal("epsilon", e.ParamName));
    }

    public static TheoryData<string, float> BadEpsilons()
    {
        var data = new TheoryData<string, float>();
        foreach (Engine engine in Engines.All)
            foreach (float epsilon in new[] { 0f, -0f, -1e-5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                data.Add(engine.Name, epsilon);
        return data;
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void Forward_OutputPartiallyOverlappingAnInput_Throws(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        int length = Rows * N;
        float[] gamma = Input(N, 2), beta = Input(N, 3);

        // y shifted one element against x, in either direction.
        foreach (int shift in new[] { 1, -1 })
        {
            float[] buffer = Input(length + 1, 1);
            int xStart = shift > 0 ? 0 : 1, yStart = xStart + shift;
            var e = AssertRefusedWithoutWriting<ArgumentException>(
                () => engine.Forward(buffer.AsSpan(xStart, length), gamma, beta, buffer.AsSpan(yStart, length), N, TestData.DefaultEpsilon), buffer);
            Assert.Equal("y", e.ParamName);
        }

        // y over gamma.
        {
            float[] x = Input(length, 1);
            float[] buffer = Input(length + N, 4);
            var e = AssertRefusedWithoutWriting<ArgumentException>(
                () => engine.Forward(x, buffer.AsSpan(0, N), beta, buffer.AsSpan(N / 2, length), N, TestData.DefaultEpsilon), buffer);
            Assert.Equal("y", e.ParamName);
        }

        // mean over x, rstd over mean, rstd over y.
        {
            float[] x = Input(length, 1), y = Output(length), mean = Output(Rows), rstd = Output(Rows);
            var e = AssertRefusedWithoutWriting<ArgumentException>(
                () => engine.Forward(x, gamma, beta, y, x.AsSpan(0, Rows), rstd, N, TestData.DefaultEpsilon), x, y, rstd);
            Assert.Equal("mean", e.ParamName);

            float[] stats = Output(Rows + 1);
            e = AssertRefusedWithoutWriting<ArgumentException>(
                () => engine.Forward(x, gamma, beta, y, stats.AsSpan(0, Rows), stats.AsSpan(1, Rows), N, TestData.DefaultEpsilon), y, stats);
            Assert.Equal("rstd", e.ParamName);

            e = AssertRefusedWithoutWriting<ArgumentException>(
                () => engine.Forward(x, gamma, beta, y, mean, y.AsSpan(0, Rows), N, TestData.DefaultEpsilon), y, mean);
            Assert.Equal("rstd", e.ParamName);
        }
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void Backward_OutputOverlappingAnInput_Throws(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        int length = Rows * N;
        float[] x = Input(length, 1), gamma = Input(N, 3), mean = Input(Rows, 4), rstd = Input(Rows, 5);

        // dx exactly over dy: backward reads dy twice per row, so even exact aliasing is refused.
        float[] dy = Input(length, 2), dgamma = Output(N), dbeta = Output(N);
        var e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Backward(dy, x, gamma, mean, rstd, dy, dgamma, dbeta, N), dy, dgamma, dbeta);
        Assert.Equal("dx", e.ParamName);

        // dgamma over gamma.
        float[] dx = Output(length), gammaCopy = (float[])gamma.Clone();
        e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Backward(dy, x, gammaCopy, mean, rstd, dx, gammaCopy, dbeta, N), dx, gammaCopy, dbeta);
        Assert.Equal("dgamma", e.ParamName);

        // dbeta partially over dgamma.
        float[] grads = Output(N + 1);
        e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Backward(dy, x, gamma, mean, rstd, dx, grads.AsSpan(0, N), grads.AsSpan(1, N), N), dx, grads);
        Assert.Equal("dgamma", e.ParamName);

        // dx partially over x.
        float[] buffer = Input(length + 1, 6);
        e = AssertRefusedWithoutWriting<ArgumentException>(
            () => engine.Backward(dy, buffer.AsSpan(0, length), gamma, mean, rstd, buffer.AsSpan(1, length), dgamma, dbeta, N), buffer, dgamma, dbeta);
        Assert.Equal("dx", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(TestData.AllEngines), MemberType = typeof(TestData))]
    public void EmptyInput_IsANoOp(string engineName)
    {
        Engine engine = Engines.ByName(engineName);
        if (Skip(engine)) return;
        float[] gamma = Input(N, 2), beta = Input(N, 3);
        engine.Forward([], gamma, beta, [], N, TestData.DefaultEpsilon);
        engine.Forward([], gamma, beta, [], [], [], N, TestData.DefaultEpsilon);

        // No rows: the sums over rows are empty, so Backward overwrites dgamma and dbeta with zeros.
        float[] dgamma = Output(N), dbeta = Output(N);
        engine.Backward([], [], gamma, [], [], [], dgamma, dbeta, N);
        Assert.All(dgamma, v => Assert.Equal(0f, v));
        Assert.All(dbeta, v => Assert.Equal(0f, v));
    }
}
