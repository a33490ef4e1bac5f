using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NormGen.Samples.Transformer;

internal static class LossPlot
{
    /// <summary>Writes each run's training loss per step, on a log scale against epochs, as a PNG.</summary>
    public static void Save(string path, IReadOnlyList<TrainingRun> runs, int stepsPerEpoch, string title)
    {
        var plot = new ScottPlot.Plot();
        foreach (var run in runs)
        {
            double[] xs = Enumerable.Range(1, run.StepLosses.Count).Select(s => s / (double)stepsPerEpoch).ToArray();
            // A diverged run has ∞ or NaN losses; cap them so the curve still shows where it went.
            double[] ys = run.StepLosses.Select(l => double.IsFinite(l) && l > 0 ? Math.Log10(l) : 6).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = run.Variant.Name;
            line.LineWidth = 1.5f;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("log10(training cross-entropy)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, 900, 500);
    }
}
