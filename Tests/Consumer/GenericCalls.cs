// Calls of the generic path with constant hidden sizes, as most users first write them.
//
// .ci/consumer.sh uses this file twice:
//   - built with <NormGenInterceptCalls>true</NormGenInterceptCalls> (the consumer project sets it), the generator
//     redirects these calls to kernels generated for 512, 384 and 64 features; the script checks the generated
//     interceptor files name this file's calls, and the lines below check the bits against the attributed kernels;
//   - in a copy without the property, `dotnet format analyzers --diagnostics NG1001 --severity info` rewrites
//     these calls to the generated classes (reusing Hidden512 and Rms384, declaring one for 64 features), and that
//     copy must build and print the same lines.
using System;
using NormGen;
using NormGen.Consumer;

internal static class GenericCalls
{
    public static bool Check()
    {
        var random = new Random(2024);
        float[] Data(int length, float scale, float offset = 0f)
        {
            var data = new float[length];
            for (int i = 0; i < length; i++)
                data[i] = offset + scale * (float)(random.NextDouble() * 2 - 1);
            return data;
        }

        bool ok = true;

        // LayerNorm, 512 features: forward with statistics and backward, against the [LayerNorm(512)] class.
        const int rows = 6;
        float[] x = Data(rows * 512, 2f, 10f), gamma = Data(512, 0.5f, 1f), beta = Data(512, 0.25f), dy = Data(rows * 512, 1f);
        float[] y = new float[x.Length], mean = new float[rows], rstd = new float[rows];
        float[] dx = new float[x.Length], dgamma = new float[512], dbeta = new float[512];
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, 512);
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, 512);
        float[] yK = new float[x.Length], meanK = new float[rows], rstdK = new float[rows];
        float[] dxK = new float[x.Length], dgammaK = new float[512], dbetaK = new float[512];
        Hidden512.Forward(x, gamma, beta, yK, meanK, rstdK);
        Hidden512.Backward(dy, x, gamma, meanK, rstdK, dxK, dgammaK, dbetaK);
        bool same = Same(y, yK) && Same(mean, meanK) && Same(rstd, rstdK) && Same(dx, dxK) && Same(dgamma, dgammaK) && Same(dbeta, dbetaK);
        Console.WriteLine($"generic LayerNorm.Forward/Backward(..., 512): same bits as Hidden512={Verdict(same)}");
        ok &= same;

        // RMSNorm, 384 features, epsilon 1e-6: against the [RmsNorm(384, Epsilon = 1e-6f)] class.
        float[] xr = Data(rows * 384, 1f), gr = Data(384, 0.5f, 1f);
        float[] yr = new float[xr.Length], rstdr = new float[rows], yrK = new float[xr.Length], rstdrK = new float[rows];
        RmsNorm.Forward(xr, gr, yr, rstdr, hiddenSize: 384, epsilon: 1e-6f);
        Rms384.Forward(xr, gr, yrK, rstdrK);
        same = Same(yr, yrK) && Same(rstdr, rstdrK);
        Console.WriteLine($"generic RmsNorm.Forward(..., 384, 1e-6f): same bits as Rms384={Verdict(same)}");
        ok &= same;

        // LayerNorm without bias, 64 features: no class declares it, so the fix adds one; against the reference.
        float[] xb = Data(rows * 64, 3f, -5f), gb = Data(64, 0.5f, 1f);
        float[] yb = new float[xb.Length], yRef = new float[xb.Length];
        LayerNorm.ForwardNoBias(xb, gb, yb, 64);
        LayerNormReference.ForwardNoBias(xb, gb, yRef, 64);
        bool close = true;
        for (int i = 0; i < yb.Length; i++)
            close &= MathF.Abs(yb[i] - yRef[i]) <= 1e-5f * (1 + MathF.Abs(yRef[i]));
        Console.WriteLine($"generic LayerNorm.ForwardNoBias(..., 64): within 1e-5 of LayerNormReference={Verdict(close)}");
        ok &= close;

        // Validation as the attributed class does it: a short x is refused before anything is written.
        y.AsSpan().Fill(42f);
        bool refused = false;
        try { LayerNorm.Forward(x.AsSpan(1), gamma, beta, y, 512); }
        catch (ArgumentException) { refused = true; }
        bool untouched = Array.TrueForAll(y, v => v == 42f);
        Console.WriteLine($"generic LayerNorm.Forward(..., 512): bad length refused={Verdict(refused)} output untouched={Verdict(untouched)}");
        ok &= refused && untouched;
        return ok;
    }

    private static bool Same(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                return false;
        }
        return a.Length == b.Length;
    }

    private static string Verdict(bool ok) => ok ? "pass" : "FAIL";
}
