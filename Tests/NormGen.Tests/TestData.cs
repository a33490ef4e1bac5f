using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NormGen.Tests;

/// <summary>Hidden sizes and engine cases for the numerics tests; the rows and the contract's assertions are in
/// Tests/Shared (linked into both test projects).</summary>
public static class TestData
{
    public static readonly int[] HiddenSizes = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 127, 768, 769, 1024, 4095, 4096, 8191];

    public const float DefaultEpsilon = 1e-5f;

    /// <summary>Rows per case: enough to exercise the row loop and the dgamma/dbeta sums, small enough for the reference.</summary>
    public static int RowsFor(int hiddenSize) => hiddenSize <= 1024 ? 5 : 2;

    /// <summary>Every engine under test × every hidden size × every row kind.</summary>
    public static IEnumerable<object[]> EngineSizeKind() =>
        from engine in Engines.UnderTest
        from n in HiddenSizes
        from kind in Enum.GetValues<RowKind>()
        select new object[] { engine.Name, n, kind };

    public static IEnumerable<object[]> EngineSize() =>
        from engine in Engines.All
        from n in HiddenSizes
        select new object[] { engine.Name, n };

    public static IEnumerable<object[]> AllEngines() => Engines.All.Select(e => new object[] { e.Name });
}
