using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NormGen.Benchmarks;

/// <summary>
/// Finds and loads the benchmark-only oneDNN shim (libnormgen_onednn.so, built from OneDnn/shim.cpp by
/// Benchmarks/build-onednn-shim.sh) and declares its entry points. The suite asks <see cref="Availability"/> once and,
/// where the shim or oneDNN is missing, leaves the oneDNN cases out with the reason printed.
/// </summary>
internal static class OneDnnShim
{
    private const string Library = "normgen_onednn";

    /// <summary>Overrides where the shim is looked for: the full path of libnormgen_onednn.so.</summary>
    public const string PathVariable = "NORMGEN_ONEDNN_SHIM";

    /// <summary>How to get the shim, for the messages.</summary>
    public const string HowToBuild =
        "install oneDNN and g++ (apt-get install libdnnl-dev g++), then run bash Benchmarks/build-onednn-shim.sh";

    private static readonly Lazy<(bool Available, string Text)> State = new(Load);

    /// <summary>Whether the oneDNN cases can run, and either what runs (version, path, threads) or why not.</summary>
    public static (bool Available, string Text) Availability => State.Value;

    /// <summary>Throws with the reason unless the shim loaded and runs one thread.</summary>
    public static void EnsureAvailable()
    {
        var (available, text) = Availability;
        if (!available)
            throw new InvalidOperationException("oneDNN contender unavailable: " + text);
    }

    private static (bool, string) Load()
    {
        string[] candidates = Candidates();
        string? path = Array.Find(candidates, File.Exists);
        if (path is null)
            return (false, $"the shim libnormgen_onednn.so was not found (looked in {string.Join(", ", candidates)}); "
                + HowToBuild);
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The usual cause: libdnnl.so.2 (or libgomp) is not installed. dlerror's text, which says which, is the
            // message's last line; the lines before it are generic advice.
            var options = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
            string reason = e.Message.Split('\n', options)[^1];
            return (false, $"{path} did not load: {reason}; {HowToBuild}");
        }
        NativeLibrary.SetDllImportResolver(typeof(OneDnnShim).Assembly,
            (name, _, _) => name == Library ? handle : IntPtr.Zero);
        normgen_onednn_version(out int major, out int minor, out int patch);
        int threads = normgen_onednn_threads();
        int isa = normgen_onednn_isa();
        string version = $"oneDNN {major}.{minor}.{patch} through {path}, effective ISA {IsaName(isa)}";
        if (threads != 1)
            return (false, $"{version} would run {threads} threads, not 1, so it is not timed");
        // A job that caps oneDNN at AVX2 (DNNL_MAX_CPU_ISA) must get it: else its AVX2 label would be wrong.
        string? cap = Environment.GetEnvironmentVariable(InstructionSets.OneDnnIsaVariable);
        if (cap is not null && cap.Equals("AVX2", StringComparison.OrdinalIgnoreCase) && (isa & ~Avx2Bits) != 0)
            return (false, $"{version}: {InstructionSets.OneDnnIsaVariable}={cap} is set but oneDNN may still use "
                + IsaName(isa));
        return (true, $"{version}, 1 OpenMP thread");
    }

    // dnnl_cpu_isa_t is a bit set: each ISA includes the bits of those below it.
    private const int Avx2Bits = 0x7;

    private static string IsaName(int isa) => isa switch
    {
        0x1 => "sse41",
        0x3 => "avx",
        0x7 => "avx2",
        0x407 => "avx2_vnni",
        0x27 => "avx512_core",
        0x67 => "avx512_core_vnni",
        0xe7 => "avx512_core_bf16",
        0x3e7 => "avx512_core_amx",
        _ => $"0x{isa:x}",
    };

    /// <summary>The path variable, next to the benchmark binary, and where the build script writes it (recorded at
    /// build time, so BenchmarkDotNet's per-case child builds find it too).</summary>
    private static string[] Candidates()
    {
        string? fromVariable = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromVariable))
            return [fromVariable];
        string nextToBinary = Path.Combine(AppContext.BaseDirectory, "libnormgen_onednn.so");
        string? fromBuild = null;
        foreach (var metadata in typeof(OneDnnShim).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (metadata.Key == "NormGen.OneDnnShim")
                fromBuild = metadata.Value;
        }
        return fromBuild is null ? [nextToBinary] : [nextToBinary, fromBuild];
    }

    // The shim's C ABI (OneDnn/shim.cpp). Every parameter is blittable, so the calls marshal nothing.
    [DllImport(Library)]
    public static extern void normgen_onednn_version(out int major, out int minor, out int patch);

    [DllImport(Library)]
    public static extern int normgen_onednn_threads();

    [DllImport(Library)]
    public static extern int normgen_onednn_isa();

    [DllImport(Library)]
    public static extern int normgen_onednn_create(int pass, long rows, long hidden, float epsilon,
        IntPtr x, IntPtr gamma, IntPtr beta, IntPtr y, IntPtr mean, IntPtr variance,
        IntPtr dy, IntPtr dx, IntPtr dgamma, IntPtr dbeta, out IntPtr handle, byte[] error, int errorLength);

    [DllImport(Library)]
    public static extern IntPtr normgen_onednn_implementation(IntPtr handle);

    [DllImport(Library)]
    public static extern int normgen_onednn_execute(IntPtr handle);

    [DllImport(Library)]
    public static extern void normgen_onednn_destroy(IntPtr handle);
}
