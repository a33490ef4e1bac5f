using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace NormGen.Benchmarks;

/// <summary>One measured case: which job (its id), which pass, which contender, which shape, and ns per row.</summary>
internal sealed record Measurement(
    string Job, string Pass, string Contender, Shape Shape, double NsPerRow, double AllocatedBytes);

/// <summary>Turns BenchmarkDotNet summaries into the ratio table and the chart.</summary>
internal static class Results
{
    public static readonly string[] ContenderOrder =
        ["Generated", "AddThenForward", "Generic", "OneDnn", "TensorPrimitives", "OnnxRuntime", "Roofline"];

    /// <summary>The residual passes (fused ForwardResidual against an add followed by Forward), with the norm each measures.</summary>
    private static readonly (string Pass, string Norm)[] ResidualPasses = [("Residual", "LayerNorm"), ("RmsNormResidual", "RMSNorm")];

    /// <summary>The issue's target for the fused residual forward: at least this much faster than add-then-forward at 4096×768.</summary>
    private const double ResidualTargetSpeedUp = 1.3;

    /// <summary>How a pass (benchmark class name without "Benchmarks") is named in the tables and charts.</summary>
    public static string Label(string pass) => pass switch
    {
        "Residual" => "LayerNorm residual forward (sum = x + residual, y = LayerNorm(sum))",
        "ForwardTraining" => "Forward training (y, mean and rstd out; oneDNN: y, mean and variance)",
        "RmsNormForward" => "RMSNorm forward",
        "RmsNormBackward" => "RMSNorm backward",
        "RmsNormResidual" => "RMSNorm residual forward (sum = x + residual, y = RMSNorm(sum))",
        "LayerNorm16Forward" => "LayerNorm forward on 16-bit rows (generic path)",
        "LayerNorm16Backward" => "LayerNorm backward on 16-bit rows (generic path)",
        "DecodeForward" => "Decode step, LayerNorm forward (one row a call)",
        "DecodeResidual" => "Decode step, LayerNorm residual forward (one row a call)",
        "DecodeBackward" => "Decode step, LayerNorm backward (one row a call)",
        _ => pass,
    };

    /// <summary>The chart's file name part: benchmarks-{slug}.png.</summary>
    private static string Slug(string pass) => pass switch
    {
        "RmsNormForward" => "rmsnorm-forward",
        "RmsNormBackward" => "rmsnorm-backward",
        "RmsNormResidual" => "rmsnorm-residual",
        "ForwardTraining" => "forward-training",
        "DecodeForward" => "decode-forward",
        "DecodeResidual" => "decode-residual",
        "DecodeBackward" => "decode-backward",
        _ => pass.ToLowerInvariant(),
    };

    /// <summary>The chart's title: the LayerNorm passes keep their old titles.</summary>
    private static string ChartLabel(string pass) => pass switch
    {
        "Forward" or "Backward" => $"LayerNorm {pass.ToLowerInvariant()}",
        "ForwardTraining" => "LayerNorm forward training",
        _ => Label(pass),
    };

    public static List<Measurement> Collect(IEnumerable<Summary> summaries)
    {
        var measurements = new List<Measurement>();
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                var benchmarkCase = report.BenchmarkCase;
                double? nsPerRow = NsPerRowColumn.Of(summary, benchmarkCase);
                if (nsPerRow is null || benchmarkCase.Parameters["Shape"] is not Shape shape)
                    continue;
                string pass = benchmarkCase.Descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal);
                // The 16-bit class is grouped by category: its forward and backward are a pass each.
                if (pass == "LayerNorm16" && benchmarkCase.Descriptor.Categories.FirstOrDefault() is string category)
                    pass += category;
                measurements.Add(new Measurement(
                    benchmarkCase.Job.Id, pass, benchmarkCase.Descriptor.WorkloadMethod.Name, shape, nsPerRow.Value,
                    report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase) ?? double.NaN));
            }
        }
        return measurements;
    }

    /// <summary>
    /// Markdown, one section per job (in the order of <paramref name="jobs"/>; ratios are taken within a job, never
    /// across): per pass and shape, the baseline's ns/row and baseline time ÷ each other contender's time (medians),
    /// the fused-residual table, and the issue's targets.
    /// </summary>
    public static string RatioTable(List<Measurement> measurements, string baseline, IReadOnlyList<SuiteJob> jobs)
    {
        var text = new StringBuilder();
        foreach (var job in ByJob(measurements, jobs))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### Job {job.Key}: {SuiteJobs.LabelOf(jobs, job.Key)}");
            text.AppendLine();
            text.Append(JobRatioTables(job.ToList(), baseline));
            text.Append(FusedTable(job.ToList(), baseline));
            text.Append(TargetsTable.Of(job.ToList(), baseline));
            text.Append(Storage16Table(job.ToList()));
            text.Append(TargetsTable.DecodeOf(job.ToList(), baseline));
        }
        return text.ToString();
    }

    /// <summary>The measurements grouped by job, the suite's jobs first in their order.</summary>
    private static IEnumerable<IGrouping<string, Measurement>> ByJob(
        List<Measurement> measurements, IReadOnlyList<SuiteJob> jobs) =>
        measurements.GroupBy(m => m.Job).OrderBy(g => IndexOf(jobs, g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);

    private static int IndexOf(IReadOnlyList<SuiteJob> jobs, string id)
    {
        for (int i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Job.Id == id)
                return i;
        }
        return jobs.Count;
    }

    /// <summary>Markdown for one job: per pass and shape, the baseline's ns/row and baseline time ÷ each contender's
    /// time.</summary>
    private static string JobRatioTables(List<Measurement> measurements, string baseline)
    {
        var text = new StringBuilder();
        // The 16-bit passes have a table of their own (Storage16Table).
        foreach (var pass in measurements.Where(m => !m.Pass.StartsWith("LayerNorm16", StringComparison.Ordinal)).GroupBy(m => m.Pass))
        {
            string[] others = ContenderOrder.Where(c => c != baseline && pass.Any(m => m.Contender == c)).ToArray();
            text.AppendLine(CultureInfo.InvariantCulture, $"{Label(pass.Key)}: median {baseline} time ÷ median contender time (below 1: {baseline} is faster)");
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"| Shape | {baseline} ns/row |");
            foreach (string other in others)
                text.Append(CultureInfo.InvariantCulture, $" {baseline}/{other} |");
            text.AppendLine();
            text.Append("|---|---:|");
            foreach (string _ in others)
                text.Append("---:|");
            text.AppendLine();
            foreach (var shape in pass.GroupBy(m => m.Shape.ToString()).OrderBy(g => g.First().Shape))
            {
                var byContender = shape.ToDictionary(m => m.Contender, m => m.NsPerRow);
                byContender.TryGetValue(baseline, out double baseNs);
                text.Append(CultureInfo.InvariantCulture, $"| {shape.Key} | {Format(baseNs)} |");
                foreach (string other in others)
                {
                    string cell = baseNs > 0 && byContender.TryGetValue(other, out double ns) && ns > 0
                        ? (baseNs / ns).ToString("0.00", CultureInfo.InvariantCulture)
                        : "n/a";
                    text.Append(CultureInfo.InvariantCulture, $" {cell} |");
                }
                text.AppendLine();
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>
    /// Markdown, one row per norm and shape of the residual passes: the fused form's (the baseline's) ns/row,
    /// add-then-forward's ns/row, fused ÷ add-then-forward (medians), and the speed-up (its inverse). Empty when no
    /// residual pass ran.
    /// </summary>
    public static string FusedTable(List<Measurement> measurements, string baseline)
    {
        var rows = new StringBuilder();
        foreach (var (pass, norm) in ResidualPasses)
        {
            foreach (var shape in measurements.Where(m => m.Pass == pass).GroupBy(m => m.Shape.ToString()).OrderBy(g => g.First().Shape))
            {
                var byContender = shape.ToDictionary(m => m.Contender, m => m.NsPerRow);
                byContender.TryGetValue(baseline, out double fused);
                byContender.TryGetValue("AddThenForward", out double unfused);
                bool both = fused > 0 && unfused > 0;
                string ratio = both ? (fused / unfused).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
                string speedUp = both ? (unfused / fused).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";
                string target = shape.Key != "4096x768" ? ""
                    : !both ? " (target ≥ 1.3×: n/a)"
                    : unfused / fused >= ResidualTargetSpeedUp ? " (target ≥ 1.3×: met)" : " (target ≥ 1.3×: not met)";
                rows.AppendLine(CultureInfo.InvariantCulture,
                    $"| {norm} | {shape.Key} | {Format(fused)} | {Format(unfused)} | {ratio} | {speedUp}{target} |");
            }
        }
        if (rows.Length == 0)
            return "";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Residual: fused ÷ add-then-forward, median {baseline} ForwardResidual time ÷ median time of TensorPrimitives.Add then Forward (below 1: fused is faster; the issue's target at 4096x768 is a speed-up ≥ 1.3×, a ratio ≤ 0.77)");
        text.AppendLine();
        text.AppendLine("| Norm | Shape | fused ns/row | add-then-forward ns/row | fused ÷ add-then-forward | speed-up |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        text.Append(rows);
        text.AppendLine();
        return text.ToString();
    }

    /// <summary>The 16-bit targets (issue 21), one table per direction: each 16-bit call's time ÷ the float generic
    /// call's on the same shape, and the convert-normalize-convert time ÷ the 16-bit call's (the speed-up over what a
    /// user writes otherwise).</summary>
    public static string Storage16Table(List<Measurement> measurements)
    {
        var text = new StringBuilder();
        foreach (string direction in new[] { "Forward", "Backward" })
        {
            var pass = measurements.Where(m => m.Pass == "LayerNorm16" + direction).ToList();
            if (pass.Count == 0)
                continue;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"16-bit {direction.ToLowerInvariant()}, generic path: ns/row, 16-bit ÷ float (targets at 4096x768 and 32768x768: BFloat16 forward ≤ 0.6, Half forward ≤ 0.7, backward ≤ 0.7), and convert-normalize-convert ÷ 16-bit (target ≥ 1.5 at every shape)");
            text.AppendLine();
            text.AppendLine("| Shape | float ns/row | Half ns/row | BFloat16 ns/row | Half ÷ float | BFloat16 ÷ float | Half convert ÷ Half | BFloat16 convert ÷ BFloat16 | ONNX Runtime float16 ÷ Half |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var shape in pass.GroupBy(m => m.Shape.ToString()).OrderBy(g => g.First().Shape))
            {
                var ns = shape.ToDictionary(m => m.Contender, m => m.NsPerRow);
                double Get(string name) => ns.TryGetValue(direction == "Forward" ? name + "Forward" : name + "Backward", out double v) ? v : 0;
                double single = Get("Float"), half = Get("Half"), bfloat16 = Get("BFloat16");
                double ort = ns.TryGetValue("OnnxRuntimeHalf", out double o) ? o : 0;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {shape.Key} | {Format(single)} | {Format(half)} | {Format(bfloat16)} | {Ratio(half, single)} | {Ratio(bfloat16, single)} | {Ratio(Get("HalfConvert"), half)} | {Ratio(Get("BFloat16Convert"), bfloat16)} | {(direction == "Forward" ? Ratio(ort, half) : "")} |");
            }
            text.AppendLine();
        }
        return text.ToString();

        static string Ratio(double a, double b) =>
            a > 0 && b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
    }

    internal static string Format(double ns) =>
        ns <= 0 ? "n/a" : ns.ToString(ns < 100 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>One PNG per job and pass: ns per row (log scale) against shape, one line per contender. The first job's
    /// charts keep the plain names (benchmarks-forward.png); a second job's carry its suffix
    /// (benchmarks-forward-avx2.png).</summary>
    public static List<string> Charts(
        List<Measurement> measurements, string directory, string title, IReadOnlyList<SuiteJob> jobs)
    {
        var written = new List<string>();
        foreach (var job in ByJob(measurements, jobs))
        {
            SuiteJob? suiteJob = jobs.FirstOrDefault(j => j.Job.Id == job.Key);
            string suffix = suiteJob?.ChartSuffix ?? "-" + job.Key.ToLowerInvariant();
            written.AddRange(Charts(job.ToList(), directory, $"{title}\n{SuiteJobs.LabelOf(jobs, job.Key)}", suffix));
        }
        return written;
    }

    private static List<string> Charts(List<Measurement> measurements, string directory, string title, string suffix)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var pass in measurements.GroupBy(m => m.Pass))
        {
            Shape[] shapes = pass.Select(m => m.Shape).DistinctBy(s => s.ToString()).OrderBy(s => s).ToArray();
            var plot = new ScottPlot.Plot();
            // The suite's contenders in their order, then any others (the 16-bit passes' methods) by name.
            IEnumerable<string> contenders = ContenderOrder.Concat(
                pass.Select(m => m.Contender).Distinct().Except(ContenderOrder).Order(StringComparer.Ordinal));
            foreach (string contender in contenders)
            {
                var points = pass.Where(m => m.Contender == contender).ToDictionary(m => m.Shape.ToString(), m => m.NsPerRow);
                if (points.Count == 0)
                    continue;
                var xs = new List<double>();
                var ys = new List<double>();
                for (int i = 0; i < shapes.Length; i++)
                {
                    if (points.TryGetValue(shapes[i].ToString(), out double ns) && ns > 0)
                    {
                        xs.Add(i);
                        ys.Add(Math.Log10(ns));
                    }
                }
                var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
                scatter.LegendText = contender;
                scatter.LineWidth = 2;
                scatter.MarkerSize = 7;
            }

            var ticks = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("N0", CultureInfo.InvariantCulture),
            };
            plot.Axes.Left.TickGenerator = ticks;
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, shapes.Length).Select(i => (double)i).ToArray(),
                shapes.Select(s => s.ToString()).ToArray());
            plot.Grid.MajorLineColor = ScottPlot.Colors.Black.WithOpacity(0.12);
            plot.Grid.MinorLineColor = ScottPlot.Colors.Black.WithOpacity(0.05);
            plot.Grid.MinorLineWidth = 1;
            plot.Title($"{ChartLabel(pass.Key)}: ns per row (log scale, lower is better)\n{title}");
            plot.XLabel("rows x hidden (ordered by hidden size, then rows)");
            plot.YLabel("ns per row");
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
            string path = Path.Combine(directory, $"benchmarks-{Slug(pass.Key)}{suffix}.png");
            plot.SavePng(path, 1100, 650);
            written.Add(path);
        }
        return written;
    }
}
