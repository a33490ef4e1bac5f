using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// This runner exists to test the AdvSimd paths (.ci/arm64.sh runs it under qemu-aarch64-static): if it ever ran on
/// another architecture, or on an Arm64 runtime without AdvSimd, the suite would pass without testing them, so this
/// fails instead. Only in NormGen.Tests.Arm64; it fails, as it should, when this project is run on x64.
/// </summary>
public class Arm64PlatformTests(ITestOutputHelper output)
{
    [Fact]
    public void RunsOnArm64_WithAdvSimd_AndVector128AsTheWidestAcceleratedVector()
    {
        output.WriteLine($"{RuntimeInformation.ProcessArchitecture}: AdvSimd={AdvSimd.IsSupported} " +
            $"AdvSimd.Arm64={AdvSimd.Arm64.IsSupported} V128={Vector128.IsHardwareAccelerated} " +
            $"V256={Vector256.IsHardwareAccelerated} V512={Vector512.IsHardwareAccelerated}");
        Assert.Equal(Architecture.Arm64, RuntimeInformation.ProcessArchitecture);
        Assert.True(AdvSimd.Arm64.IsSupported);
        Assert.True(Vector128.IsHardwareAccelerated);
        Assert.False(Vector256.IsHardwareAccelerated);
        Assert.False(Vector512.IsHardwareAccelerated);
    }
}
