using System;
using NormGen.Samples.SentenceEmbeddings.Model;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

public sealed class ErfTests
{
    // erf to 16+ digits (Abramowitz and Stegun table 7.1; Wolfram|Alpha).
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1e-10, 1.1283791670955126e-10)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(1.5, 0.9661051464753108)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(4.0, 0.9999999845827421)]
    [InlineData(5.0, 0.9999999999984626)]
    public void Matches_tabulated_values(double x, double expected)
    {
        Assert.True(Math.Abs(Erf.Evaluate(x) - expected) <= 1e-15, $"erf({x}) = {Erf.Evaluate(x):R}");
        Assert.True(Math.Abs(Erf.Reference(x) - expected) <= 1e-15, $"reference erf({x}) = {Erf.Reference(x):R}");
        Assert.Equal(-Erf.Evaluate(x), Erf.Evaluate(-x));
    }

    [Fact]
    public void Taylor_table_matches_the_series_and_continued_fraction()
    {
        double worst = 0, at = 0;
        for (double x = -7; x <= 7; x += 1.0 / 997)
        {
            double difference = Math.Abs(Erf.Evaluate(x) - Erf.Reference(x));
            if (difference > worst) (worst, at) = (difference, x);
        }
        Assert.True(worst <= 1e-15, $"worst {worst:R} at {at:R}: {Erf.Evaluate(at):R} {Erf.Reference(at):R}");
    }

    [Fact]
    public void Gelu_is_the_exact_form()
    {
        Assert.Equal(0f, Erf.Gelu(0f));
        Assert.Equal((float)0.8413447460685429, Erf.Gelu(1f));               // x·Φ(x), Φ(1) = 0.841344746
        Assert.Equal((float)-0.04550026389635842, Erf.Gelu(-2f));           // −2·Φ(−2)
        Assert.Equal(10f, Erf.Gelu(10f));
        Assert.True(float.IsNaN(Erf.Gelu(float.NaN)));
    }
}
