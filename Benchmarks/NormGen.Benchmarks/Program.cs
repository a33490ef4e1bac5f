using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NormGen.Benchmarks;

/// <summary>
/// Entry point. Own switches, handled here and removed before BenchmarkDotNet sees the rest:
///   --quick          four shapes, a short in-process job: a first look in well under 3 minutes;
///   --both-isas      every case twice: as is, and as a second job with AVX-512 off (DOTNET_EnableAVX512=0 for .NET,
///                    DNNL_MAX_CPU_ISA=AVX2 for oneDNN), so an AVX-512 machine gives the AVX2 tables from the same run;
///                    on a machine without AVX-512 the second job would repeat the first, so it is skipped with a note;
///   --chart DIR      also write the charts (benchmarks-forward.png, benchmarks-backward.png, and for the RMSNorm and
///                    residual classes benchmarks-rmsnorm-forward.png, -rmsnorm-backward.png, -residual.png,
///                    -rmsnorm-residual.png, when they ran) to DIR.
/// Every other argument goes to BenchmarkSwitcher (for example --filter '*Forward*'); without a --filter
/// everything runs. Where the oneDNN shim or oneDNN itself is missing, the oneDNN cases are left out and a NOTE says
/// why and how to get them (Benchmarks/build-onednn-shim.sh). After the run the ratios are printed and saved, one
/// section per job (with "fused ÷ add-then-forward" for the residual classes and the issue's targets table), and the
/// charts are drawn.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var rest = new List<string>();
        string? chartDirectory = null;
        bool bothIsas = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
                Shapes.QuickMode = true;
            else if (args[i] == "--both-isas")
                bothIsas = true;
            else if (args[i] == "--chart" && i + 1 < args.Length)
                chartDirectory = args[++i];
            else
                rest.Add(args[i]);
        }
        if (!rest.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)))
            rest.AddRange(["--filter", "*"]);

        var (jobs, notes) = SuiteJobs.Create(Shapes.QuickMode, bothIsas);
        foreach (string note in notes)
            Console.WriteLine("NOTE: " + note);
        foreach (SuiteJob job in jobs)
            Console.WriteLine($"Job {job.Job.Id}: {job.Label}");

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, new NsPerRowColumn())
            .WithOptions(ConfigOptions.DisableLogFile)
            // The default 2 minutes ran out building the job on a busy 2-core machine.
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        // One job: the default job, which BenchmarkDotNet's own job switches (--iterationCount, ...) then modify.
        // BenchmarkDotNet allows only one default job, so two jobs are added as they are, and both run every case.
        foreach (SuiteJob job in jobs)
            config = config.AddJob(jobs.Count == 1 ? job.Job.AsDefault() : job.Job);

        var (oneDnnAvailable, oneDnnText) = OneDnnShim.Availability;
        if (oneDnnAvailable)
        {
            Console.WriteLine("oneDNN contender: " + oneDnnText);
        }
        else
        {
            // Left out, not failed: the rest of the suite runs and the tables show n/a for oneDNN.
            Console.WriteLine("NOTE: oneDNN contender skipped (its cases are left out of this run): " + oneDnnText);
            config = config.AddFilter(
                new SimpleFilter(c => c.Descriptor.WorkloadMethod.Name != nameof(ForwardBenchmarks.OneDnn)));
        }

        string baseline = GeneratedKernels.IsAvailable ? "Generated" : "Generic";
        if (!GeneratedKernels.IsAvailable)
            Console.WriteLine("NOTE: built without NormGen.Generator: the Generated contender is absent and Generic is the baseline.");

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config).ToArray();
        if (summaries.Length == 0)
            return 0;   // --list, --help, ...

        List<Measurement> measurements = Results.Collect(summaries);
        var header = new System.Text.StringBuilder();
        foreach (string note in notes)
            header.AppendLine("NOTE: " + note);
        header.AppendLine((oneDnnAvailable ? "oneDNN contender: " : "NOTE: oneDNN contender skipped: ") + oneDnnText);
        header.AppendLine();
        string ratios = header + Results.RatioTable(measurements, baseline, jobs);
        string artifacts = summaries[0].ResultsDirectoryPath;
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "normgen-ratios.md"), ratios);
        Console.WriteLine();
        Console.WriteLine("// * NormGen ratios *");
        Console.WriteLine(ratios);

        string title = string.Create(CultureInfo.InvariantCulture,
            $"{Machine.Cpu()}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(Shapes.QuickMode ? "quick mode" : "full suite")}, {DateTime.UtcNow:yyyy-MM-dd}");
        foreach (string path in Results.Charts(measurements, chartDirectory ?? artifacts, title, jobs))
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
