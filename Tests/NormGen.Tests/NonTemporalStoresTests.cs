using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Xunit;

namespace NormGen.Tests;

/// <summary>
/// The primitives behind the non-temporal residual kernels: each writes exactly the elements it is given, at any
/// alignment, with or without hardware support (run under the four ISA configurations), and the decision to use them
/// refuses in-place calls.
/// </summary>
[Collection(nameof(NonTemporalThreshold))]
public class NonTemporalStoresTests
{
    private const float Guard = -1.5f;

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(4)]
    public void Misalignment_CountsTheFloatsBeforeTheNextAlignedAddress(int lanes)
    {
        float[] buffer = GC.AllocateArray<float>(64, pinned: true);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            long start = handle.AddrOfPinnedObject().ToInt64();
            for (int i = 0; i < 32; i++)
            {
                nuint skipped = NonTemporalStores.Misalignment(ref buffer[i], lanes);
                Assert.InRange(skipped, 0u, (nuint)lanes - 1);
                Assert.Equal(0, (start + (i + (long)skipped) * sizeof(float)) % (lanes * sizeof(float)));
            }
        }
        finally
        {
            handle.Free();
        }
    }

    [Fact]
    public void Store_WritesTheWholeVector_AtEveryOffset()
    {
        for (int offset = 0; offset < 16; offset++)
        {
            AssertStore(16, offset, (v, buffer, at) => NonTemporalStores.Store(Vector512.Create(v), ref buffer[0], (nuint)at));
            AssertStore(8, offset, (v, buffer, at) => NonTemporalStores.Store(Vector256.Create(v), ref buffer[0], (nuint)at));
            AssertStore(4, offset, (v, buffer, at) => NonTemporalStores.Store(Vector128.Create(v), ref buffer[0], (nuint)at));
        }
        NonTemporalStores.Fence();
    }

    [Fact]
    public void StoreLanes_WritesExactlyTheLanesAsked_ForEveryRange()
    {
        for (int start = 0; start <= 16; start++)
        {
            for (int end = start; end <= 16; end++)
            {
                AssertLanes(16, start, end, (v, buffer, s, e) => NonTemporalStores.StoreLanes(Vector512.Create(v), ref buffer[3], (nuint)s, (nuint)e));
                if (end <= 8)
                    AssertLanes(8, start, end, (v, buffer, s, e) => NonTemporalStores.StoreLanes(Vector256.Create(v), ref buffer[3], (nuint)s, (nuint)e));
                if (end <= 4)
                    AssertLanes(4, start, end, (v, buffer, s, e) => NonTemporalStores.StoreLanes(Vector128.Create(v), ref buffer[3], (nuint)s, (nuint)e));
            }
        }
    }

    [Fact]
    public void Prefetch_PastTheEndOfABuffer_DoesNothing()
    {
        float[] buffer = new float[16];
        NonTemporalStores.Prefetch(ref buffer[15], 1u << 20);
        NonTemporalStores.Prefetch(ref buffer[0], 0);
        Assert.All(buffer, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Pays_OnlyForLargeCalls_WithSeparateOutputs()
    {
        float[] x = new float[64], residual = new float[64], sum = new float[64], y = new float[64];
        NonTemporalThreshold.With(64, () =>
        {
            // Non-temporal stores: MOVNTPS on x86, STNP on ARM64 (run under qemu by .ci/arm64.sh).
            bool hardware = System.Runtime.Intrinsics.X86.Sse.IsSupported
                || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;
            Assert.Equal(hardware, NonTemporalStores.Pays(x, residual, sum, y));
            Assert.False(NonTemporalStores.Pays(x.AsSpan(1), residual.AsSpan(1), sum.AsSpan(1), y.AsSpan(1)));   // 63 < 64
            Assert.False(NonTemporalStores.Pays(x, residual, x, y));          // sum over x
            Assert.False(NonTemporalStores.Pays(x, residual, residual, y));   // sum over residual
            Assert.False(NonTemporalStores.Pays(x, residual, sum, x));        // y over x
            Assert.False(NonTemporalStores.Pays(x, residual, sum, residual)); // y over residual
        });
        NonTemporalThreshold.With(int.MaxValue, () => Assert.False(NonTemporalStores.Pays(x, residual, sum, y)));
        Assert.Equal(1 << 21, NonTemporalStores.MinimumElements);
    }

    private static float[] Values(int count) => Enumerable.Range(1, count).Select(i => i * 1.25f).ToArray();

    private static void AssertStore(int lanes, int offset, Action<float[], float[], int> store)
    {
        float[] values = Values(lanes);
        float[] buffer = Enumerable.Repeat(Guard, 48).ToArray();
        store(values, buffer, offset);
        for (int i = 0; i < buffer.Length; i++)
        {
            float expected = i >= offset && i < offset + lanes ? values[i - offset] : Guard;
            Assert.True(expected == buffer[i], $"{lanes} lanes at +{offset}: element {i} is {buffer[i]}, not {expected}");
        }
    }

    private static void AssertLanes(int lanes, int start, int end, Action<float[], float[], int, int> store)
    {
        float[] values = Values(lanes);
        float[] buffer = Enumerable.Repeat(Guard, 24).ToArray();
        store(values, buffer, start, end);
        for (int i = 0; i < buffer.Length; i++)
        {
            int lane = i - 3;
            float expected = lane >= start && lane < end ? values[lane] : Guard;
            Assert.True(expected == buffer[i], $"{lanes} lanes [{start}, {end}): element {i} is {buffer[i]}, not {expected}");
        }
    }
}
