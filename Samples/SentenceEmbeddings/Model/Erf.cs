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
/// <item>|x| &lt; 1.5: erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)) (Abramowitz and Stegun 7.1.6).
/// Every term is positive, so the sum has no cancellation. Error up to about 6e-16 (5 ulp).</item>
/// <item>|x| ≥ 1.5: erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (A&amp;S 7.1.14), evaluated with
/// the modified Lentz algorithm (at most about 120 steps at 1.5); erfc(1.5) ≈ 0.034, so erf = 1 − erfc is good to
/// about 1e-16.</item>
/// </list>
/// <para>That costs up to a hundred dependent divides, too slow for 9216 GELUs a token. <see cref="Evaluate"/> instead
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
        if (a < 1.5) result = Series(a);
        else if (a < 6.0) result = 1.0 - ComplementContinuedFraction(a);
        else result = 1.0;
        return x < 0 ? -result : result;
    }

    /// <summary>The exact GELU of one float, computed in double and rounded once.</summary>
    public static float Gelu(float x) => (float)(0.5 * x * (1.0 + Evaluate(x * 0.70710678118654752)));

    // Σₙ 2ⁿ x^(2n+1) / (1·3···(2n+1)) = x·(1 + c₁(1 + c₂(1 + ...))) with cₙ = 2x²/(2n+1), evaluated from the inside
    // out; 2x² + 60 levels leave a tail below 1e-30 for |x| < 1.5.
    private static double Series(double x)
    {
        double x2 = x * x;
        double p = 1.0;
        for (int n = (int)(2 * x2) + 60; n >= 1; n--) p = 1.0 + 2.0 * x2 / (2 * n + 1) * p;
        return TwoOverSqrtPi * ExpMinusSquare(x) * x * p;
    }

    /// <summary>
    /// e^(−x²) without the rounding of x² amplified: exp turns an absolute error δ in its argument into a relative
    /// error δ, and x² ≈ 9 rounds by up to 9·2⁻⁵³. So x² = hi + lo exactly (a fused multiply-add gives lo), and
    /// e^(−x²) = e^(−hi) · e^(−lo) ≈ e^(−hi) · (1 − lo).
    /// </summary>
    private static double ExpMinusSquare(double x)
    {
        double hi = x * x;
        double lo = Math.FusedMultiplyAdd(x, x, -hi);
        return Math.Exp(-hi) * (1.0 - lo);
    }

    // erfc(x) = e^(−x²)/√π · 1/(x + a₁/(x + a₂/(x + ...))) with aₖ = k/2; Lentz's method.
    private static double ComplementContinuedFraction(double x)
    {
        const double Tiny = 1e-300;
        double f = x, c = x, d = 0.0;
        for (int k = 1; k < 1000; k++)
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
        return OneOverSqrtPi * ExpMinusSquare(x) / f;
    }
}
