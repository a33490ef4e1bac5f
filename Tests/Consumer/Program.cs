// The NormGen consumer check: runs the generated kernels and compares them with LayerNormReference.
//
// Every line on stdout is a result that must be the same under the JIT and under NativeAOT: .ci/consumer.sh
// compares the two outputs line for line. Those runs may take different SIMD paths (a NativeAOT binary targets
// a baseline ISA unless told otherwise), so generated outputs can differ in their last bits between them;
// what is printed is therefore exact: the verdicts, and a hash of the reference outputs (scalar double code,
// bit-identical everywhere). Since both runs are within 1e-5 of those same reference values, they agree.
// Measured errors and the vector widths go to stderr as "info" lines, which are not compared.
using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NormGen;
using NormGen.Consumer;

internal delegate void ForwardFn(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y);
internal delegate void ForwardStatsFn(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
                                      Span<float> mean, Span<float> rstd);
internal delegate void BackwardFn(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
                                  ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
                                  Span<float> dx, Span<float> dgamma, Span<float> dbeta);

internal static class Program
{
    private const double Tolerance = 1e-5;

    private static int Main()
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"info: Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} Vector128={Vector128.IsHardwareAccelerated} Vector<float>.Count={Vector<float>.Count}"));

        bool ok = true;
        ok &= Check("NormGen.Consumer.Hidden512", Hidden512.HiddenSize, Hidden512.Epsilon, rows: 9, seed: 512,
                    Hidden512.Forward, Hidden512.Forward, Hidden512.Backward);
        ok &= Check("Outer.Inner", Outer.Inner.HiddenSize, Outer.Inner.Epsilon, rows: 13, seed: 24,
                    Outer.Inner.Forward, Outer.Inner.Forward, Outer.Inner.Backward);

        ok &= CheckRmsNorm(rows: 5, seed: 384);

        // Bad input is refused with an ArgumentException before anything is written.
        var y = new float[Hidden512.HiddenSize];
        y.AsSpan().Fill(42f);
        bool refused = false;
        try { Hidden512.Forward(new float[Hidden512.HiddenSize + 1], new float[Hidden512.HiddenSize], new float[Hidden512.HiddenSize], y); }
        catch (ArgumentException) { refused = true; }
        bool untouched = Array.TrueForAll(y, v => v == 42f);
        Console.WriteLine($"validation: bad length refused={Verdict(refused)} output untouched={Verdict(untouched)}");
        ok &= refused && untouched;

        // Constant-size calls of the generic path: intercepted (or, after dotnet format, rewritten) to generated kernels.
        ok &= GenericCalls.Check();

        Console.WriteLine(ok ? "consumer: PASS" : "consumer: FAIL");
        return ok ? 0 : 1;
    }

    private static bool Check(string name, int n, float epsilon, int rows, ulong seed,
                              ForwardFn forward, ForwardStatsFn forwardStats, BackwardFn backward)
    {
        var rng = new XorShift(seed);
        float[] x = new float[rows * n], dy = new float[rows * n];
        float[] gamma = new float[n], beta = new float[n];
        for (int i = 0; i < n; i++) { gamma[i] = 1f + 0.5f * rng.Next(); beta[i] = 0.25f * rng.Next(); }
        for (int i = 0; i < dy.Length; i++) dy[i] = rng.Next();
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.AsSpan(r * n, n);
            for (int i = 0; i < n; i++)
            {
                row[i] = (r % 4) switch
                {
                    0 => rng.Next(),                              // random, unit scale
                    1 => 1e4f + 1e-2f * rng.Next(),               // large offset, tiny spread: E[x^2]-E[x]^2 would cancel
                    2 => 1e6f + rng.Next(),                       // offset 1e6, spread 1
                    _ => 3f * rng.Next() * MathF.Pow(10f, (i % 7) - 3), // scales from 1e-3 to 1e3
                };
            }
        }
        x.AsSpan((rows - 1) * n, n).Fill(7.25f);                   // a constant row: y must equal beta exactly

        // Reference.
        float[] yRef = new float[x.Length], meanRef = new float[rows], rstdRef = new float[rows];
        float[] dxRef = new float[x.Length], dgammaRef = new float[n], dbetaRef = new float[n];
        LayerNormReference.Forward(x, gamma, beta, yRef, meanRef, rstdRef, n, epsilon);
        LayerNormReference.Backward(dy, x, gamma, meanRef, rstdRef, dxRef, dgammaRef, dbetaRef, n);

        // Generated. Backward gets the reference's saved statistics, so it is checked on its own.
        float[] y = new float[x.Length], y2 = new float[x.Length], mean = new float[rows], rstd = new float[rows];
        float[] dx = new float[x.Length], dgamma = new float[n], dbeta = new float[n];
        forward(x, gamma, beta, y);
        forwardStats(x, gamma, beta, y2, mean, rstd);
        backward(dy, x, gamma, meanRef, rstdRef, dx, dgamma, dbeta);

        double eY = MaxError(y, yRef), eY2 = MaxError(y2, yRef), eMean = MaxError(mean, meanRef), eRstd = MaxError(rstd, rstdRef);
        double eDx = MaxError(dx, dxRef), eDgamma = MaxError(dgamma, dgammaRef), eDbeta = MaxError(dbeta, dbetaRef);
        bool forwardOk = eY <= Tolerance && eY2 <= Tolerance && eMean <= Tolerance && eRstd <= Tolerance;
        bool backwardOk = eDx <= Tolerance && eDgamma <= Tolerance && eDbeta <= Tolerance;
        bool constantOk = BitEqual(y.AsSpan((rows - 1) * n, n), beta) && BitEqual(y2.AsSpan((rows - 1) * n, n), beta);

        ulong hash = Fnv.Hash(x, gamma, beta, dy, yRef, meanRef, rstdRef, dxRef, dgammaRef, dbetaRef);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: N={n} eps={epsilon:R} rows={rows} forward={Verdict(forwardOk)} backward={Verdict(backwardOk)} constant-row={Verdict(constantOk)} reference-fnv=0x{hash:x16}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"info: {name}: max |a-t|/(1+|t|): y={eY:0.00e+00} y(stats)={eY2:0.00e+00} mean={eMean:0.00e+00} rstd={eRstd:0.00e+00} dx={eDx:0.00e+00} dgamma={eDgamma:0.00e+00} dbeta={eDbeta:0.00e+00} (tolerance {Tolerance:0e+00})"));
        return forwardOk && backwardOk && constantOk;
    }

    /// <summary>The RMSNorm kernel's fused residual forward and backward against RmsNormReference.</summary>
    private static bool CheckRmsNorm(int rows, ulong seed)
    {
        const int n = Rms384.HiddenSize;
        var rng = new XorShift(seed);
        float[] x = new float[rows * n], residual = new float[rows * n], dy = new float[rows * n], gamma = new float[n];
        for (int i = 0; i < x.Length; i++) { x[i] = 3f * rng.Next(); residual[i] = rng.Next(); dy[i] = rng.Next(); }
        for (int i = 0; i < n; i++) gamma[i] = 1f + 0.5f * rng.Next();

        float[] sumRef = new float[x.Length], yRef = new float[x.Length], rstdRef = new float[rows], dxRef = new float[x.Length], dgammaRef = new float[n];
        RmsNormReference.ForwardResidual(x, residual, gamma, sumRef, yRef, rstdRef, n, Rms384.Epsilon);
        RmsNormReference.Backward(dy, sumRef, gamma, rstdRef, dxRef, dgammaRef, n);

        float[] sum = new float[x.Length], y = new float[x.Length], rstd = new float[rows], dx = new float[x.Length], dgamma = new float[n];
        Rms384.ForwardResidual(x, residual, gamma, sum, y, rstd);
        Rms384.Backward(dy, sumRef, gamma, rstdRef, dx, dgamma);

        bool sumOk = BitEqual(sum, sumRef);
        double eY = MaxError(y, yRef), eRstd = MaxError(rstd, rstdRef), eDx = MaxError(dx, dxRef), eDgamma = MaxError(dgamma, dgammaRef);
        bool forwardOk = sumOk && eY <= Tolerance && eRstd <= Tolerance;
        bool backwardOk = eDx <= Tolerance && eDgamma <= Tolerance;
        ulong hash = Fnv.Hash(x, residual, gamma, dy, sumRef, yRef, rstdRef, dxRef, dgammaRef);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"NormGen.Consumer.Rms384: N={n} rows={rows} residual-forward={Verdict(forwardOk)} backward={Verdict(backwardOk)} reference-fnv=0x{hash:x16}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"info: Rms384: max |a-t|/(1+|t|): y={eY:0.00e+00} rstd={eRstd:0.00e+00} dx={eDx:0.00e+00} dgamma={eDgamma:0.00e+00}, sum bit-exact={sumOk}"));
        return forwardOk && backwardOk;
    }

    private static bool BitEqual(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        MemoryMarshal.Cast<float, uint>(a).SequenceEqual(MemoryMarshal.Cast<float, uint>(b));

    private static string Verdict(bool ok) => ok ? "pass" : "FAIL";

    /// <summary>max |a − t| / (1 + |t|); NaN anywhere counts as an infinite error.</summary>
    private static double MaxError(float[] actual, float[] expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = Math.Abs((double)actual[i] - expected[i]) / (1 + Math.Abs((double)expected[i]));
            if (double.IsNaN(e)) return double.PositiveInfinity;
            max = Math.Max(max, e);
        }
        return max;
    }

    /// <summary>Deterministic uniform floats in [-1, 1), the same on every runtime.</summary>
    private struct XorShift(ulong seed)
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL + 1;

        public float Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            return (float)((_state >> 40) * (1.0 / (1UL << 24)) * 2.0 - 1.0);
        }
    }

    /// <summary>FNV-1a over the bits of float arrays.</summary>
    private static class Fnv
    {
        public static ulong Hash(params float[][] arrays)
        {
            ulong h = 0xcbf29ce484222325UL;
            foreach (float[] a in arrays)
            {
                foreach (float v in a)
                {
                    uint bits = BitConverter.SingleToUInt32Bits(v);
                    for (int b = 0; b < 4; b++)
                    {
                        h ^= (bits >> (8 * b)) & 0xff;
                        h *= 0x100000001b3UL;
                    }
                }
            }
            return h;
        }
    }
}
