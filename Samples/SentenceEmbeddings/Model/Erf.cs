using System;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// The error function in double precision (.NET has no Math.Erf), for the exact GELU that BERT uses:
/// GELU(x) = x · (1 + erf(x / √2)) / 2.
/// </summary>
/// <remarks>
/// <para>The reference, <see cref="Reference"/>, sums two classical expansions, each where it converges without
/// cancellation:</para>
/// <list type="bullet">
/// <item>|x| &lt; 3: erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)) (Abramowitz and Stegun 7.1.6).
/// Every term is positive, so the sum has no cancellation; it stops when a term no longer changes it (about 60
/// terms at |x| = 3). Relative error a few ulp.</item>
/// <item>|x| ≥ 3: erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (A&amp;S 7.1.14), evaluated with
/// the modified Lentz algorithm; erfc(3) ≈ 2.2e-5, so erf = 1 − erfc is good to about 1e-16 absolute.</item>
/// </list>
/// <para>That costs up to 60 dependent divides, too slow for 9216 GELUs a token. <see cref="Evaluate"/> instead
/// expands erf in a Taylor series around the nearest point x₀ = i/32 of a grid on [0, 6]:
/// erf(x₀ + h) = erf(x₀) + Σₖ cₖ hᵏ with cₖ = erf⁽ᵏ⁾(x₀)/k! = 2/√π · e^(−x₀²) · (−1)^(k−1) H_(k−1)(x₀) / k!
/// (Hₙ the Hermite polynomials), |h| ≤ 1/64. The table holds erf(x₀) from the reference and the first 12 cₖ; the
/// 13th term is below 1e-20, so the truncation is far under the rounding. Past |x| = 6, erf rounds to ±1 in
/// double. ErfTests checks tabulated values to 1e-15 and the fast form against the reference on a dense grid.</para>
/// </remarks>
internal static class Erf
{
    private const double TwoOverSqrtPi = 1.1283791670955126;   // 2/√π
    private const double OneOverSqrtPi = 0.56418958354775628;  // 1/√π

    private const int PointsPerUnit = 32;
    private const int Terms = 12;
    private const int GridPoints = 6 * PointsPerUnit + 1;
    private static readonly double[] Table = BuildTable(); // per grid point: erf(x₀), c₁ … c₁₂

    /// <summary>erf(x) to about 1e-16 absolute, from the Taylor table.</summary>
    public static double Evaluate(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 6.0) return x < 0 ? -1.0 : 1.0;
        int i = (int)(a * PointsPerUnit + 0.5);
        double h = a - (double)i / PointsPerUnit;
        ReadOnlySpan<double> c = Table.AsSpan(i * (Terms + 1), Terms + 1);
        double p = c[Terms];
        for (int k = Terms - 1; k >= 1; k--) p = p * h + c[k];
        double result = c[0] + h * p;
        return x < 0 ? -result : result;
    }

    private static double[] BuildTable()
    {
        var table = new double[GridPoints * (Terms + 1)];
        Span<double> hermite = stackalloc double[Terms];
        for (int i = 0; i < GridPoints; i++)
        {
            double x0 = (double)i / PointsPerUnit;
            hermite[0] = 1;                                   // H₀
            hermite[1] = 2 * x0;                              // H₁
            for (int n = 1; n + 1 < Terms; n++) hermite[n + 1] = 2 * x0 * hermite[n] - 2 * n * hermite[n - 1];
            Span<double> c = table.AsSpan(i * (Terms + 1), Terms + 1);
            c[0] = Reference(x0);
            double scale = TwoOverSqrtPi * Math.Exp(-x0 * x0); // erf'(x₀)
            double factorial = 1;
            for (int k = 1; k <= Terms; k++)
            {
                factorial *= k;
                double sign = (k - 1) % 2 == 0 ? 1 : -1;
                c[k] = scale * sign * hermite[k - 1] / factorial;
            }
        }
        return table;
    }

    /// <summary>erf(x) from the series and the continued fraction: slow, a few ulp; builds the table and checks it.</summary>
    public static double Reference(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        double result;
        if (a < 3.0) result = Series(a);
        else if (a < 6.0) result = 1.0 - ComplementContinuedFraction(a);
        else result = 1.0;
        return x < 0 ? -result : result;
    }

    /// <summary>The exact GELU of one float, computed in double and rounded once.</summary>
    public static float Gelu(float x) => (float)(0.5 * x * (1.0 + Evaluate(x * 0.70710678118654752)));

    private static double Series(double x)
    {
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= 2.0 * x2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    // erfc(x) = e^(−x²)/√π · 1/(x + a₁/(x + a₂/(x + ...))) with aₖ = k/2; Lentz's method.
    private static double ComplementContinuedFraction(double x)
    {
        const double Tiny = 1e-300;
        double f = x, c = x, d = 0.0;
        for (int k = 1; k < 500; k++)
        {
            double ak = 0.5 * k;
            d = x + ak * d;
            if (d == 0) d = Tiny;
            c = x + ak / c;
            if (c == 0) c = Tiny;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-17) break;
        }
        return OneOverSqrtPi * Math.Exp(-x * x) / f;
    }
}
