using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace NormGen.Samples.Transformer;

/// <summary>Adds up the time spent in the norms it wraps; one clock is shared by every norm of a model.</summary>
internal sealed class NormClock
{
    public long Ticks { get; set; }
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Ticks);
}

/// <summary>A norm that times every call of the norm it wraps on a <see cref="NormClock"/>.</summary>
internal sealed class TimedNormalization(Normalization inner, NormClock clock) : Normalization
{
    public override IReadOnlyList<Parameter> Parameters => inner.Parameters;

    public override bool Training
    {
        get => inner.Training;
        set => inner.Training = value;
    }

    public override bool UpdatesRunningStatistics
    {
        get => inner.UpdatesRunningStatistics;
        set => inner.UpdatesRunningStatistics = value;
    }

    public override void Forward(ReadOnlySpan<float> x, Span<float> y, Batch batch)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Forward(x, y, batch);
        clock.Ticks += Stopwatch.GetTimestamp() - start;
    }

    public override void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Batch batch)
    {
        long start = Stopwatch.GetTimestamp();
        inner.ForwardResidual(x, residual, sum, y, batch);
        clock.Ticks += Stopwatch.GetTimestamp() - start;
    }

    public override void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> input, Span<float> dx, Batch batch)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Backward(dy, input, dx, batch);
        clock.Ticks += Stopwatch.GetTimestamp() - start;
    }
}
