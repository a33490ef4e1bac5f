using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace NormGen.Benchmarks;

/// <summary>One BenchmarkDotNet job of the suite and how the tables name it.</summary>
internal sealed record SuiteJob(Job Job, string Label, string ChartSuffix);

/// <summary>
/// The suite's jobs: the job as is, and with <c>--both-isas</c> a second one with AVX-512 off
/// (<see cref="InstructionSets.DotnetAvx512Variable"/>=0, <see cref="InstructionSets.OneDnnIsaVariable"/>=AVX2), so an
/// AVX-512 machine gives the AVX2 table from the same run. Every case runs in each job; ratios are taken within a job.
/// </summary>
internal static class SuiteJobs
{
    /// <summary>Tells child processes to use the quick shapes (a static set in the host does not reach them).</summary>
    public const string QuickVariable = "NORMGEN_BENCH_QUICK";

    /// <summary>The jobs to run, and notes for the console (why a job was left out, what changed).</summary>
    public static (List<SuiteJob> Jobs, List<string> Notes) Create(bool quick, bool bothIsas)
    {
        var notes = new List<string>();
        string first = quick ? "Quick" : "Suite";
        string asIs = $"as is: {InstructionSets.WidestPath()}";
        if (!bothIsas)
            return ([new SuiteJob(Configure(quick, inProcess: quick).WithId(first), asIs, "")], notes);

        bool cpuHasAvx512 = InstructionSets.CpuHasAvx512();
        if (!Vector512.IsHardwareAccelerated)
        {
            string why = cpuHasAvx512
                ? "this runtime already runs without Vector512 (is DOTNET_EnableAVX512=0 set?)"
                : "this machine has no AVX-512 (no avx512f in /proc/cpuinfo)";
            notes.Add($"--both-isas: {why}, so the job as is already runs the {InstructionSets.WidestPath()} paths "
                + "and the AVX-512-off job would repeat it: that job is skipped, the tables below are the AVX2 ones.");
            return ([new SuiteJob(Configure(quick, inProcess: quick).WithId(first), asIs, "")], notes);
        }
        if (quick)
            notes.Add("--both-isas with --quick: both jobs run out of process (an environment variable cannot switch "
                + "AVX-512 off inside this process), with the quick shapes and iteration counts.");
        Job withAvx512 = Configure(quick, inProcess: false).WithId(first);
        Job withoutAvx512 = Configure(quick, inProcess: false)
            .WithEnvironmentVariable(InstructionSets.DotnetAvx512Variable, "0")
            .WithEnvironmentVariable(InstructionSets.OneDnnIsaVariable, "AVX2")
            .WithId(first + "-NoAVX512");
        return ([
            new SuiteJob(withAvx512, asIs, ""),
            new SuiteJob(withoutAvx512,
                $"AVX-512 off: {InstructionSets.DotnetAvx512Variable}=0, {InstructionSets.OneDnnIsaVariable}=AVX2 "
                + "(Vector256 (AVX2))",
                "-avx2"),
        ], notes);
    }

    /// <summary>The job's iteration counts and toolchain. Out-of-process quick jobs carry <see cref="QuickVariable"/>
    /// so their child processes enumerate the same shapes as the host.</summary>
    private static Job Configure(bool quick, bool inProcess)
    {
        if (!quick)
        {
            // One fresh process per case (tiering and PGO see only that case), one launch,
            // 20 measured iterations of about 200 ms.
            return Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(6)
                .WithIterationCount(20)
                .WithIterationTime(TimeInterval.FromMilliseconds(200));
        }
        Job job = Job.Default
            .WithWarmupCount(4)
            .WithIterationCount(6)
            .WithIterationTime(TimeInterval.FromMilliseconds(100));
        return inProcess
            // In process: no child build, no process start per case. Enough for a first look.
            ? job.WithToolchain(InProcessEmitToolchain.Instance)
            : job.WithLaunchCount(1).WithEnvironmentVariable(QuickVariable, "1");
    }

    /// <summary>The label of the job a case ran in (its id), or the id itself for a job the suite did not
    /// make.</summary>
    public static string LabelOf(IEnumerable<SuiteJob> jobs, string jobId) =>
        jobs.FirstOrDefault(j => j.Job.Id == jobId)?.Label ?? jobId;
}
