using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NormGen.Samples.Training;

internal static class LossPlot
{
    /// <summary>Writes both loss curves, per step on a log scale, as a PNG.</summary>
    public static void Save(string path, IReadOnlyList<double> withNorm, IReadOnlyList<double> without, int stepsPerEpoch)
    {
        var plot = new ScottPlot.Plot();
        Add(plot, withNorm, stepsPerEpoch, "pre-LayerNorm (generated kernel)");
        Add(plot, without, stepsPerEpoch, "no normalization");
        plot.Title("24-block residual GELU stack, width 64: training loss");
        plot.XLabel("epoch");
        plot.YLabel("log10(training MSE)");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, 900, 500);
    }

    private static void Add(ScottPlot.Plot plot, IReadOnlyList<double> losses, int stepsPerEpoch, string label)
    {
        double[] xs = Enumerable.Range(1, losses.Count).Select(s => s / (double)stepsPerEpoch).ToArray();
        // A diverged run has ∞ or NaN losses; cap them so the curve still shows where it went.
        double[] ys = losses.Select(l => double.IsFinite(l) && l > 0 ? Math.Log10(l) : 10).ToArray();
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.LineWidth = 1.5f;
    }
}
