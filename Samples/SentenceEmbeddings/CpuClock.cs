using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>
/// The process's CPU time in nanoseconds (clock_gettime(CLOCK_PROCESS_CPUTIME_ID) on Linux), so an encoder's time
/// on a machine shared with other work counts the time it ran, not the time it waited to run. Elsewhere it falls
/// back to the wall clock (<see cref="IsCpuTime"/> says which).
/// </summary>
internal static class CpuClock
{
    private const int ClockProcessCpuTime = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess && Probe();

    public static long NowNanoseconds()
    {
        if (IsCpuTime && ClockGetTime(ClockProcessCpuTime, out Timespec t) == 0)
            return t.Seconds * 1_000_000_000 + t.Nanoseconds;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockProcessCpuTime, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
