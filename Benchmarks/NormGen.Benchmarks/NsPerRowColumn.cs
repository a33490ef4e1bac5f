using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NormGen.Benchmarks;

/// <summary>Median time per call divided by the shape's rows: the cost of one row, comparable across batch sizes.
/// The median, not the mean: on a small shared machine a few slow iterations would otherwise move the ratios.</summary>
public sealed class NsPerRowColumn : IColumn
{
    public string Id => nameof(NsPerRowColumn);
    public string ColumnName => "ns/row";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median time per call divided by the number of rows, in nanoseconds";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? value = Of(summary, benchmarkCase);
        return value is null ? "NA" : value.Value.ToString(value.Value < 100 ? "N2" : "N1", style.CultureInfo);
    }

    /// <summary>ns per row of one case, or null when it has no result (for example a failed set-up check).</summary>
    public static double? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || benchmarkCase.Parameters["Shape"] is not Shape shape)
            return null;
        return statistics.Median / shape.Rows;
    }
}
