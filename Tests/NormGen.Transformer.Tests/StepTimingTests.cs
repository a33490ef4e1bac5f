using System.Linq;
using NormGen.Samples.Transformer;
using Xunit;

namespace NormGen.Transformer.Tests;

/// <summary>The step timing's tooling: it times the three LayerNorms on one step, and they compute the same.</summary>
public class StepTimingTests
{
    [Fact]
    public void StepTiming_TimesTheSameStepWithEachLayerNorm()
    {
        var experiment = TinyModels.Experiment(blocks: 1, trainSequences: 16, batchSize: 4, epochs: 1);
        var times = StepTiming.Run(experiment, rounds: 3, warmup: 1);

        Assert.Equal(StepTiming.Implementations, times.Select(t => t.Norm));
        foreach (var time in times)
        {
            Assert.True(time.StepMilliseconds > 0);
            Assert.InRange(time.NormMilliseconds, 1e-9, time.StepMilliseconds);
            Assert.InRange(time.Loss, times[0].Loss - 1e-4, times[0].Loss + 1e-4);
        }
    }
}
