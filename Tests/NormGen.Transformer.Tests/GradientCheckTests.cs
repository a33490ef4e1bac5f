using System;
using System.Linq;
using NormGen.Samples.Transformer;
using Xunit;
using Xunit.Abstractions;

namespace NormGen.Transformer.Tests;

/// <summary>
/// The whole model's backward, one block of it (attention, MLP, their norms, the residual adds, the fused
/// residual norms) plus embeddings, final norm, head and loss, against central finite differences of its forward.
/// </summary>
/// <remarks>
/// The model computes in float, so the check is directional: for each parameter tensor θ and a random direction v,
/// ⟨∇θ, v⟩ from backward against (L(θ + hv) − L(θ − hv)) / 2h, Richardson-extrapolated from h and h/2 so that
/// the truncation error is O(h⁴). Every element of the gradient enters the dot product with its own random weight, so a
/// wrong element, a wrong sign or a missing term anywhere shows as an error of order the gradient itself; float
/// rounding of the loss, about 1e-7 relative, divided by the step, stays below the tolerance.
/// </remarks>
public class GradientCheckTests(ITestOutputHelper output)
{
    private const double Step = 5e-2;
    private const double Tolerance = 2e-3;

    [Theory]
    [InlineData("Pre", "Generated", 64)]
    [InlineData("Post", "Generated", 64)]
    [InlineData("Pre", "Generic", 8)]
    [InlineData("Post", "Generic", 8)]
    [InlineData("Pre", "TensorPrimitives", 8)]
    [InlineData("Pre", "BatchNorm", 8)]
    [InlineData("Pre", "None", 8)]
    public void Backward_MatchesFiniteDifferences(string placement, string norm, int width)
    {
        // The sample's types are internal, so the cases name them.
        var model = TinyModels.OneBlock(Enum.Parse<NormPlacement>(placement), Enum.Parse<NormKind>(norm), width);
        var (_, batch) = TinyModels.MixedLengths();
        model.TrainStep(batch);
        var random = new Random(17);
        double worst = 0;
        foreach (var parameter in model.Parameters)
        {
            float[] value = parameter.Value, saved = (float[])value.Clone();
            // The step follows the tensor's own scale (its RMS; 1 for a tensor still all zeros, like a bias at
            // initialization), so that a wide weight matrix is not moved further from linearity than a bias.
            double rms = Math.Sqrt(value.Sum(v => (double)v * v) / value.Length);
            double scale = rms > 0 ? rms : 1;
            var direction = new float[value.Length];
            for (int i = 0; i < direction.Length; i++) direction[i] = (float)(scale * (2 * random.NextDouble() - 1));
            double analytic = 0;
            for (int i = 0; i < value.Length; i++) analytic += (double)parameter.Gradient[i] * direction[i];

            double Central(double h)
            {
                for (int i = 0; i < value.Length; i++) value[i] = saved[i] + (float)(h * direction[i]);
                double plus = model.Loss(batch, out _);
                for (int i = 0; i < value.Length; i++) value[i] = saved[i] - (float)(h * direction[i]);
                double minus = model.Loss(batch, out _);
                saved.CopyTo(value, 0);
                return (plus - minus) / (2 * h);
            }
            double numeric = (4 * Central(Step / 2) - Central(Step)) / 3;

            double error = Math.Abs(numeric - analytic), size = Math.Max(Math.Abs(numeric), 1e-2);
            worst = Math.Max(worst, error / size);
            output.WriteLine($"{parameter.Name,-30} backward {analytic,12:G6} finite differences {numeric,12:G6} " +
                             $"relative error {error / size:E2}");
            Assert.True(error <= Tolerance * size,
                $"{parameter.Name}: backward gives {analytic:G6} along a random direction, " +
                $"finite differences {numeric:G6}");
        }
        output.WriteLine($"worst relative error {worst:E2}");
    }
}
