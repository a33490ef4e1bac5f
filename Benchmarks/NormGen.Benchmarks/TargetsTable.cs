using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NormGen.Benchmarks;

/// <summary>
/// The performance issue's targets table for one job: per shape, generated ÷ generic and ÷ oneDNN (forward, forward
/// training, backward) and ÷ copy (forward and backward), each marked met (✓) or missed (✗) where the issue sets a
/// target at that shape. "Copy" is the forward's Roofline at the same shape (x copied to y, one tensor read and one
/// written), for backward too: that is what the issue's backward ÷ copy column and its ≤ 1.6 target are taken against.
/// </summary>
internal static class TargetsTable
{
    private const double VersusOneDnn = 0.80, VersusGeneric = 1.02, VersusGenericSmall = 0.70;
    private const double BackwardVersusCopy = 1.60;

    /// <summary>The shapes where the generated kernels must be ≤ 0.7× the generic path.</summary>
    private static readonly string[] SmallShapes = ["512x64", "256x128", "4096x128"];

    /// <summary>The large shapes: forward ÷ copy ≤ 1.1 (≤ 0.85 at 32768x768), backward ÷ copy ≤ 1.6.</summary>
    private static readonly string[] LargeShapes = ["4096x768", "4096x1024", "1024x4096", "32768x768"];

    private sealed record Column(string Header, string Pass, string Contender, Func<string, double?> Target);

    private static readonly Column[] Columns =
    [
        new("fwd ÷ Generic", "Forward", "Generic", GenericTarget),
        new("fwd ÷ oneDNN", "Forward", "OneDnn", _ => VersusOneDnn),
        new("fwd-train ÷ oneDNN", "ForwardTraining", "OneDnn", _ => VersusOneDnn),
        new("bwd ÷ Generic", "Backward", "Generic", GenericTarget),
        new("bwd ÷ oneDNN", "Backward", "OneDnn", _ => VersusOneDnn),
        new("fwd ÷ copy", "Forward", "Roofline", s => s == "32768x768" ? 0.85 : LargeShapes.Contains(s) ? 1.10 : null),
        new("bwd ÷ copy", "Backward", "Roofline", s => LargeShapes.Contains(s) ? BackwardVersusCopy : null),
    ];

    private static double? GenericTarget(string shape) =>
        SmallShapes.Contains(shape) ? VersusGenericSmall : VersusGeneric;

    /// <summary>Markdown for one job's measurements; empty unless the generated kernels are the baseline and the
    /// forward or backward benchmarks ran.</summary>
    public static string Of(List<Measurement> measurements, string baseline)
    {
        if (baseline != "Generated" || !measurements.Any(m => m.Pass is "Forward" or "Backward"))
            return "";
        // ns/row by (pass, contender, shape); the copy is always the forward's.
        var ns = measurements.GroupBy(m => (m.Pass, m.Contender, Shape: m.Shape.ToString()))
            .ToDictionary(g => g.Key, g => g.First().NsPerRow);
        double? Of(string pass, string contender, string shape) =>
            ns.TryGetValue((pass, contender, shape), out double v) && v > 0 ? v : null;

        Shape[] shapes = measurements.Where(m => m.Pass is "Forward" or "Backward" or "ForwardTraining")
            .Select(m => m.Shape).DistinctBy(s => s.ToString()).OrderBy(s => s).ToArray();
        int met = 0, missed = 0;
        var rows = new StringBuilder();
        foreach (Shape shape in shapes)
        {
            string key = shape.ToString();
            rows.Append(CultureInfo.InvariantCulture, $"| {key} |");
            foreach (Column column in Columns)
            {
                double? generated = Of(column.Pass, "Generated", key);
                double? other = Of(column.Contender == "Roofline" ? "Forward" : column.Pass, column.Contender, key);
                if (generated is null || other is null)
                {
                    rows.Append(" n/a |");
                    continue;
                }
                double ratio = generated.Value / other.Value;
                string cell = ratio.ToString("0.00", CultureInfo.InvariantCulture);
                if (column.Target(key) is double target)
                {
                    bool ok = Math.Round(ratio, 2) <= target;
                    cell += ok ? " ✓" : " ✗";
                    if (ok)
                        met++;
                    else
                        missed++;
                }
                rows.Append(CultureInfo.InvariantCulture, $" {cell} |");
            }
            rows.AppendLine();
        }

        var text = new StringBuilder();
        text.AppendLine("Targets (performance issue): median Generated time ÷ median time of the named contender "
            + "in this job (✓ met, ✗ missed, unmarked where the issue sets no target). Targets: ÷ oneDNN ≤ 0.80 at "
            + "every shape; ÷ Generic ≤ 1.02 at every shape and ≤ 0.70 at 512x64, 256x128, 4096x128; fwd ÷ copy "
            + "≤ 0.85 at 32768x768 and ≤ 1.10 at 4096x768, 4096x1024, 1024x4096; bwd ÷ copy ≤ 1.60 at those four. "
            + "Copy: the forward's Roofline (x → y) at the same shape, for backward too.");
        text.AppendLine();
        text.Append("| Shape |");
        foreach (Column column in Columns)
            text.Append(CultureInfo.InvariantCulture, $" {column.Header} |");
        text.AppendLine();
        text.Append("|---|");
        foreach (Column _ in Columns)
            text.Append("---:|");
        text.AppendLine();
        text.Append(rows);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{met} of {met + missed} measured targets met, {missed} missed.");
        text.AppendLine();
        return text.ToString();
    }

    /// <summary>The decode step's target: one row a call, generated ≤ this fraction of the generic path's time, for
    /// forward, the fused residual forward and backward at every decode shape.</summary>
    private const double DecodeVersusGeneric = 0.80;

    private static readonly (string Header, string Pass)[] DecodeColumns =
    [
        ("fwd ÷ Generic", "DecodeForward"), ("residual ÷ Generic", "DecodeResidual"), ("bwd ÷ Generic", "DecodeBackward"),
    ];

    /// <summary>Markdown for one job's decode-step measurements (<see cref="DecodeForwardBenchmarks"/> and its
    /// siblings): generated ÷ generic per pass and shape, target ≤ 0.80; empty unless they ran with the generated
    /// kernels as the baseline.</summary>
    public static string DecodeOf(List<Measurement> measurements, string baseline)
    {
        var decode = measurements.Where(m => m.Pass.StartsWith("Decode", StringComparison.Ordinal)).ToList();
        if (baseline != "Generated" || decode.Count == 0)
            return "";
        var ns = decode.GroupBy(m => (m.Pass, m.Contender, Shape: m.Shape.ToString()))
            .ToDictionary(g => g.Key, g => g.First().NsPerRow);
        int met = 0, missed = 0;
        var text = new StringBuilder();
        text.AppendLine("Decode-step targets (performance issue III): median Generated time ÷ median Generic time, one "
            + $"row a call (✓ met, ✗ missed); target ≤ {DecodeVersusGeneric.ToString("0.00", CultureInfo.InvariantCulture)}.");
        text.AppendLine();
        text.Append("| Shape |");
        foreach (var (header, _) in DecodeColumns)
            text.Append(CultureInfo.InvariantCulture, $" {header} |");
        text.AppendLine();
        text.Append("|---|");
        foreach (var _ in DecodeColumns)
            text.Append("---:|");
        text.AppendLine();
        foreach (Shape shape in decode.Select(m => m.Shape).DistinctBy(s => s.ToString()).OrderBy(s => s))
        {
            string key = shape.ToString();
            text.Append(CultureInfo.InvariantCulture, $"| {key} |");
            foreach (var (_, pass) in DecodeColumns)
            {
                if (!ns.TryGetValue((pass, "Generated", key), out double generated) || generated <= 0
                    || !ns.TryGetValue((pass, "Generic", key), out double generic) || generic <= 0)
                {
                    text.Append(" n/a |");
                    continue;
                }
                double ratio = generated / generic;
                bool ok = Math.Round(ratio, 2) <= DecodeVersusGeneric;
                if (ok)
                    met++;
                else
                    missed++;
                text.Append(CultureInfo.InvariantCulture, $" {ratio.ToString("0.00", CultureInfo.InvariantCulture)} {(ok ? "✓" : "✗")} |");
            }
            text.AppendLine();
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{met} of {met + missed} decode-step targets met, {missed} missed.");
        text.AppendLine();
        return text.ToString();
    }
}
