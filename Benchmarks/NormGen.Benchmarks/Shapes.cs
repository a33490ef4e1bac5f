using System;
using System.Collections.Generic;
using System.Globalization;

namespace NormGen.Benchmarks;

/// <summary>One benchmark shape: <see cref="Rows"/> rows of <see cref="Hidden"/> features. Ordered by hidden size,
/// then rows, so the summary reads from small to large.</summary>
public sealed class Shape(int rows, int hidden) : IComparable<Shape>, IComparable
{
    /// <summary>Rows in the batch.</summary>
    public int Rows { get; } = rows;

    /// <summary>Features per row.</summary>
    public int Hidden { get; } = hidden;

    /// <summary>Elements in the batch.</summary>
    public int Length => Rows * Hidden;

    /// <inheritdoc/>
    public int CompareTo(Shape? other) =>
        other is null ? 1 : Hidden != other.Hidden ? Hidden.CompareTo(other.Hidden) : Rows.CompareTo(other.Rows);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => CompareTo(obj as Shape);

    /// <summary>"rows x hidden", as the summary shows it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rows}x{Hidden}");
}

/// <summary>The shapes the suite measures.</summary>
public static class Shapes
{
    /// <summary>Every shape of the full suite, rows x hidden.</summary>
    public static readonly string[] All =
    [
        "1x768", "1x4096", "64x768", "512x64", "256x128",
        "4096x128", "4096x768", "4096x1024", "1024x4096", "32768x768",
    ];

    /// <summary>The quick mode's first look: one single row, a small hidden size, cache-resident and out-of-cache.</summary>
    public static readonly string[] Quick = ["1x768", "512x64", "4096x768", "1024x4096"];

    /// <summary>The shapes of the residual benchmarks: the target 4096×768, a large hidden size, and a
    /// cache-resident batch. Quick mode: the target only.</summary>
    public static readonly string[] ResidualAll = ["64x768", "4096x768", "1024x4096"];

    /// <summary>Quick mode's residual shapes.</summary>
    public static readonly string[] ResidualQuick = ["4096x768"];

    /// <summary>The shapes of the RMSNorm benchmarks (hidden 768 and 4096, the generated RMSNorm kernels), reduced
    /// from <see cref="All"/> to keep the full suite short.</summary>
    public static readonly string[] RmsNormAll = ["1x4096", "64x768", "4096x768", "1024x4096"];

    /// <summary>Quick mode's RMSNorm shapes.</summary>
    public static readonly string[] RmsNormQuick = ["64x768", "4096x768", "1024x4096"];

    /// <summary>The shapes of the 16-bit benchmarks: the targets 4096×768 and 32768×768, a single row, a small and a
    /// large hidden size.</summary>
    public static readonly string[] Storage16All = ["1x768", "512x64", "4096x768", "1024x4096", "32768x768"];

    /// <summary>Quick mode's 16-bit shapes.</summary>
    public static readonly string[] Storage16Quick = ["4096x768", "32768x768"];

    /// <summary>Set by <c>--quick</c> in the host (an in-process job sees it), and by
    /// <see cref="SuiteJobs.QuickVariable"/> in the child processes of an out-of-process quick job
    /// (<c>--quick --both-isas</c>), so they enumerate the same shapes.</summary>
    public static bool QuickMode { get; set; } = Environment.GetEnvironmentVariable(SuiteJobs.QuickVariable) == "1";

    /// <summary>The shapes this run measures.</summary>
    public static IEnumerable<Shape> Current => Of(All, Quick);

    /// <summary>The shapes of <paramref name="full"/>, or of <paramref name="quick"/> in quick mode.</summary>
    public static IEnumerable<Shape> Of(string[] full, string[] quick)
    {
        foreach (string shape in QuickMode ? quick : full)
        {
            var (rows, hidden) = Parse(shape);
            yield return new Shape(rows, hidden);
        }
    }

    /// <summary>Parses "rows x hidden".</summary>
    public static (int Rows, int Hidden) Parse(string shape)
    {
        int x = shape.IndexOf('x', StringComparison.Ordinal);
        if (x <= 0)
            throw new FormatException($"Shape '{shape}' is not 'rows x hidden'.");
        return (int.Parse(shape.AsSpan(0, x), CultureInfo.InvariantCulture),
                int.Parse(shape.AsSpan(x + 1), CultureInfo.InvariantCulture));
    }
}
