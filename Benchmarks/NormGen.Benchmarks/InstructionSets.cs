using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen.Benchmarks;

/// <summary>
/// Which vector paths a process runs, and the guards that make a job's instruction set what its label says. The
/// second job of <c>--both-isas</c> sets <see cref="DotnetAvx512Variable"/>=0 (the .NET kernels take their Vector256
/// paths) and <see cref="OneDnnIsaVariable"/>=AVX2 (oneDNN's JIT may use nothing wider; <see cref="OneDnnShim"/> checks
/// that it took), so every contender in it is on AVX2.
/// </summary>
internal static class InstructionSets
{
    /// <summary>The runtime's switch for AVX-512; "0" turns Vector512 acceleration off.</summary>
    public const string DotnetAvx512Variable = "DOTNET_EnableAVX512";

    /// <summary>oneDNN's cap on the instruction set its JIT may use.</summary>
    public const string OneDnnIsaVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>Whether the CPU reports AVX-512 Foundation (/proc/cpuinfo), whatever the runtime was told.</summary>
    public static bool CpuHasAvx512()
    {
        try
        {
            return File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo")
                .Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains("avx512f"));
        }
        catch (IOException)
        {
            return Avx512F.IsSupported;
        }
    }

    /// <summary>The widest vector path NormGen's kernels take in this process, e.g. "Vector512 (AVX-512)".</summary>
    public static string WidestPath() =>
        Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
        : Vector128.IsHardwareAccelerated ? "Vector128"
        : "scalar";

    /// <summary>
    /// Runs when the benchmark assembly loads, in the host and in every BenchmarkDotNet child process: a process told
    /// DOTNET_EnableAVX512=0 that still accelerates Vector512 would time the AVX-512 paths under the AVX2 label, so
    /// it stops with the reason instead (the case is then reported without a result).
    /// </summary>
#pragma warning disable CA2255 // a benchmark executable, not a library: the guard must run before any case does
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void EnsureDotnetAsRequested()
    {
        bool told = Environment.GetEnvironmentVariable(DotnetAvx512Variable) == "0";
        if (told && (Vector512.IsHardwareAccelerated || Avx512F.IsSupported))
            throw new InvalidOperationException(
                $"{DotnetAvx512Variable}=0 is set but this runtime still uses AVX-512 " +
                $"(Vector512.IsHardwareAccelerated = {Vector512.IsHardwareAccelerated}, " +
                $"Avx512F.IsSupported = {Avx512F.IsSupported}): the AVX2 job would not measure AVX2.");
    }
}
