using System;
using Xunit;

namespace NormGen.Tests;

/// <summary>Tests that change <see cref="NonTemporalStores.MinimumElements"/>, a process-wide setting, run alone.</summary>
[CollectionDefinition(nameof(NonTemporalThreshold), DisableParallelization = true)]
public sealed class NonTemporalThreshold
{
    /// <summary>Runs <paramref name="action"/> with the threshold at <paramref name="minimumElements"/>, then restores it.</summary>
    public static void With(int minimumElements, Action action)
    {
        int saved = NonTemporalStores.MinimumElements;
        NonTemporalStores.MinimumElements = minimumElements;
        try
        {
            action();
        }
        finally
        {
            NonTemporalStores.MinimumElements = saved;
        }
    }
}
