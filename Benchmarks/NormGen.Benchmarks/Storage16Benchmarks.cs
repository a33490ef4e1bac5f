using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace NormGen.Benchmarks;

/// <summary>
/// The 16-bit conversions the kernels do in registers (Storage16: widen on load, round on store), one vector at a
/// time over a cache-resident buffer, against TensorPrimitives.ConvertToSingle / ConvertToHalf on the same buffer.
/// Every result is nanoseconds per element (OperationsPerInvoke = Elements), for each width; a width that is not
/// hardware accelerated runs the Vector API's software fallback and is slow on purpose.
/// Run: <c>dotnet run -c Release --project Benchmarks/NormGen.Benchmarks -- --quick --filter '*Storage16*'</c>.
/// </summary>
public class Storage16Benchmarks
{
    /// <summary>4096 elements: 8 KiB of 16-bit values and 16 KiB of floats, both in L1.</summary>
    private const int Elements = 4096;

    private readonly Half[] _half = new Half[Elements];
    private readonly Half[] _subnormalHalf = new Half[Elements];
    private readonly BFloat16[] _bfloat16 = new BFloat16[Elements];
    private readonly float[] _float = new float[Elements];
    private readonly float[] _copy = new float[Elements];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(16);
        for (int i = 0; i < Elements; i++)
        {
            _float[i] = (float)(random.NextDouble() * 4 - 2);
            _half[i] = (Half)_float[i];
            _bfloat16[i] = (BFloat16)_float[i];
            _subnormalHalf[i] = BitConverter.UInt16BitsToHalf((ushort)random.Next(1, 0x400));
        }
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void TensorPrimitivesConvertToSingle() => TensorPrimitives.ConvertToSingle(_half, _float);

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfLoadVector512()
    {
        for (nuint i = 0; i < Elements; i += 16)
            Storage16.LoadVector512(ref _half[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfLoadVector256()
    {
        for (nuint i = 0; i < Elements; i += 8)
            Storage16.LoadVector256(ref _half[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfLoadVector128()
    {
        for (nuint i = 0; i < Elements; i += 4)
            Storage16.LoadVector128(ref _half[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfLoadScalar()
    {
        for (nuint i = 0; i < Elements; i++)
            _float[i] = Storage16.Load(ref _half[0], i);
    }

    /// <summary>Half subnormals only: the widening must not slow down on them (no float subnormal operands).</summary>
    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfLoadVector512Subnormals()
    {
        for (nuint i = 0; i < Elements; i += 16)
            Storage16.LoadVector512(ref _subnormalHalf[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void TensorPrimitivesConvertToHalf() => TensorPrimitives.ConvertToHalf(_float, _half);

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfStoreVector512()
    {
        for (nuint i = 0; i < Elements; i += 16)
            Storage16.Store(Vector512.LoadUnsafe(ref _float[0], i), ref _half[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfStoreVector256()
    {
        for (nuint i = 0; i < Elements; i += 8)
            Storage16.Store(Vector256.LoadUnsafe(ref _float[0], i), ref _half[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfStoreVector128()
    {
        for (nuint i = 0; i < Elements; i += 4)
            Storage16.Store(Vector128.LoadUnsafe(ref _float[0], i), ref _half[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void HalfStoreScalar()
    {
        for (nuint i = 0; i < Elements; i++)
            Storage16.Store(_float[i], ref _half[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16LoadVector512()
    {
        for (nuint i = 0; i < Elements; i += 16)
            Storage16.LoadVector512(ref _bfloat16[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16LoadVector256()
    {
        for (nuint i = 0; i < Elements; i += 8)
            Storage16.LoadVector256(ref _bfloat16[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16LoadVector128()
    {
        for (nuint i = 0; i < Elements; i += 4)
            Storage16.LoadVector128(ref _bfloat16[0], i).StoreUnsafe(ref _float[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16LoadScalar()
    {
        for (nuint i = 0; i < Elements; i++)
            _float[i] = Storage16.Load(ref _bfloat16[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16StoreVector512()
    {
        for (nuint i = 0; i < Elements; i += 16)
            Storage16.Store(Vector512.LoadUnsafe(ref _float[0], i), ref _bfloat16[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16StoreVector256()
    {
        for (nuint i = 0; i < Elements; i += 8)
            Storage16.Store(Vector256.LoadUnsafe(ref _float[0], i), ref _bfloat16[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16StoreVector128()
    {
        for (nuint i = 0; i < Elements; i += 4)
            Storage16.Store(Vector128.LoadUnsafe(ref _float[0], i), ref _bfloat16[0], i);
    }

    [Benchmark(OperationsPerInvoke = Elements)]
    public void BFloat16StoreScalar()
    {
        for (nuint i = 0; i < Elements; i++)
            Storage16.Store(_float[i], ref _bfloat16[0], i);
    }

    /// <summary>A float copy of the same buffer, the floor: no conversion at all (ns per element).</summary>
    [Benchmark(OperationsPerInvoke = Elements)]
    public void CopyFloat() => _float.AsSpan().CopyTo(_copy);
}
