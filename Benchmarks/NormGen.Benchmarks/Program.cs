using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace NormGen.Benchmarks;

/// <summary>
/// Entry point. Own switches, handled here and removed before BenchmarkDotNet sees the rest:
///   --quick          four shapes, a short in-process job: a first look in well under 3 minutes;
///   --chart DIR      also write the charts (benchmarks-forward.png, benchmarks-backward.png, and for the RMSNorm and
///                    residual classes benchmarks-rmsnorm-forward.png, -rmsnorm-backward.png, -residual.png,
///                    -rmsnorm-residual.png, when they ran) to DIR.
/// Every other argument goes to BenchmarkSwitcher (for example --filter '*Forward*'); without a --filter
/// everything runs. After the run the ratios are printed and saved (with "fused ÷ add-then-forward" for the residual
/// classes), and the charts are drawn.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var rest = new List<string>();
        string? chartDirectory = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
                Shapes.QuickMode = true;
            else if (args[i] == "--chart" && i + 1 < args.Length)
                chartDirectory = args[++i];
            else
                rest.Add(args[i]);
        }
        if (!rest.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)))
            rest.AddRange(["--filter", "*"]);

        Job job = Shapes.QuickMode
            // In process: no child build, no process start per case. Enough for a first look.
            ? Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(4)
                .WithIterationCount(6)
                .WithIterationTime(TimeInterval.FromMilliseconds(100))
                .WithId("Quick")
            // One fresh process per case (tiering and PGO see only that case), one launch,
            // 20 measured iterations of about 200 ms: the whole suite takes about 12 minutes on 2 cores.
            : Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(6)
                .WithIterationCount(20)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithId("Suite");

        IConfig config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, new NsPerRowColumn())
            .WithOptions(ConfigOptions.DisableLogFile);

        string baseline = GeneratedKernels.IsAvailable ? "Generated" : "Generic";
        if (!GeneratedKernels.IsAvailable)
            Console.WriteLine("NOTE: built without NormGen.Generator: the Generated contender is absent and Generic is the baseline.");

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config).ToArray();
        if (summaries.Length == 0)
            return 0;   // --list, --help, ...

        List<Measurement> measurements = Results.Collect(summaries);
        string ratios = Results.RatioTable(measurements, baseline);
        string artifacts = summaries[0].ResultsDirectoryPath;
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "normgen-ratios.md"), ratios);
        Console.WriteLine();
        Console.WriteLine("// * NormGen ratios *");
        Console.WriteLine(ratios);

        string title = string.Create(CultureInfo.InvariantCulture,
            $"{Machine.Cpu()}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(Shapes.QuickMode ? "quick mode" : "full suite")}, {DateTime.UtcNow:yyyy-MM-dd}");
        foreach (string path in Results.Charts(measurements, chartDirectory ?? artifacts, title))
            Console.WriteLine($"Chart: {path}");

        // A failed set-up check (a contender computing something else) leaves its case without a result: fail loudly.
        var failed = summaries.SelectMany(s => s.Reports.Where(r => r.ResultStatistics is null).Select(r => r.BenchmarkCase.DisplayInfo))
            .Concat(summaries.SelectMany(s => s.BenchmarksCases.Where(c => s[c] is null).Select(c => c.DisplayInfo)))
            .Distinct().ToArray();
        if (failed.Length > 0 || summaries.Any(s => s.HasCriticalValidationErrors))
        {
            Console.Error.WriteLine($"ERROR: {failed.Length} benchmark case(s) produced no result (set-up check or run failed):");
            foreach (string name in failed)
                Console.Error.WriteLine("  " + name);
            return 1;
        }
        return 0;
    }
}

internal static class Machine
{
    public static string Cpu()
    {
        try
        {
            string? line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            if (line is not null)
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
