namespace NormGen;

/// <summary>
/// How a kernel writes its row outputs (y, sum, dx): with ordinary stores, or non-temporally around the cache for calls
/// too large for it (<see cref="NonTemporalStores"/>). A type whose flag the JIT folds into a constant, as
/// <see cref="IAffine"/>'s are.
/// </summary>
internal interface IRowStores
{
    /// <summary>Whether the outputs are written as whole vectors at each output row's aligned partition, non-temporally,
    /// with the lanes before and after it stored apart; the values are the same bits either way.</summary>
    static abstract bool NonTemporal { get; }
}

/// <summary>Ordinary stores, at the partition of the row's start (the last vector overlapping at N − width).</summary>
internal readonly struct CachedStores : IRowStores
{
    public static bool NonTemporal => false;
}

/// <summary>Non-temporal stores at each output row's aligned partition (only for calls that are not in place).</summary>
internal readonly struct StreamingStores : IRowStores
{
    public static bool NonTemporal => true;
}
