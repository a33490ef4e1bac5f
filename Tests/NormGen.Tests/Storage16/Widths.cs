using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;

namespace NormGen.Tests;

/// <summary>The four forms of each Storage16 load and store.</summary>
public enum Width { Vector512, Vector256, Vector128, Scalar }

/// <summary>
/// Runs a whole buffer through one width of the Storage16 loads or stores, one vector at a time, as a kernel does.
/// Every width runs in every ISA configuration: where it is not accelerated, the Vector API's software fallback runs,
/// which must give the same bits; where it is, the accelerated code does (see <see cref="IsAccelerated"/>).
/// </summary>
public static class Widths
{
    public static IEnumerable<object[]> All() => Enum.GetValues<Width>().Select(w => new object[] { w });

    public static int Lanes(Width width) => width switch
    {
        Width.Vector512 => Vector512<float>.Count,
        Width.Vector256 => Vector256<float>.Count,
        Width.Vector128 => Vector128<float>.Count,
        _ => 1,
    };

    public static bool IsAccelerated(Width width) => width switch
    {
        Width.Vector512 => Vector512.IsHardwareAccelerated,
        Width.Vector256 => Vector256.IsHardwareAccelerated,
        Width.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>A buffer length that every width divides: the cases padded with <paramref name="padding"/>.</summary>
    public static T[] Padded<T>(IReadOnlyList<T> values, T padding)
    {
        int length = (values.Count + 15) / 16 * 16;
        var result = new T[length];
        for (int i = 0; i < length; i++)
            result[i] = i < values.Count ? values[i] : padding;
        return result;
    }

    public static void Widen(Width width, Half[] source, float[] destination)
    {
        ref float to = ref destination[0];
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Lanes(width))
        {
            switch (width)
            {
                case Width.Vector512: Storage16.LoadVector512(ref source[0], i).StoreUnsafe(ref to, i); break;
                case Width.Vector256: Storage16.LoadVector256(ref source[0], i).StoreUnsafe(ref to, i); break;
                case Width.Vector128: Storage16.LoadVector128(ref source[0], i).StoreUnsafe(ref to, i); break;
                default: destination[i] = Storage16.Load(ref source[0], i); break;
            }
        }
    }

    public static void Widen(Width width, BFloat16[] source, float[] destination)
    {
        ref float to = ref destination[0];
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Lanes(width))
        {
            switch (width)
            {
                case Width.Vector512: Storage16.LoadVector512(ref source[0], i).StoreUnsafe(ref to, i); break;
                case Width.Vector256: Storage16.LoadVector256(ref source[0], i).StoreUnsafe(ref to, i); break;
                case Width.Vector128: Storage16.LoadVector128(ref source[0], i).StoreUnsafe(ref to, i); break;
                default: destination[i] = Storage16.Load(ref source[0], i); break;
            }
        }
    }

    public static void Narrow(Width width, float[] source, Half[] destination)
    {
        ref float from = ref source[0];
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Lanes(width))
        {
            switch (width)
            {
                case Width.Vector512: Storage16.Store(Vector512.LoadUnsafe(ref from, i), ref destination[0], i); break;
                case Width.Vector256: Storage16.Store(Vector256.LoadUnsafe(ref from, i), ref destination[0], i); break;
                case Width.Vector128: Storage16.Store(Vector128.LoadUnsafe(ref from, i), ref destination[0], i); break;
                default: Storage16.Store(source[i], ref destination[0], i); break;
            }
        }
    }

    public static void Narrow(Width width, float[] source, BFloat16[] destination)
    {
        ref float from = ref source[0];
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Lanes(width))
        {
            switch (width)
            {
                case Width.Vector512: Storage16.Store(Vector512.LoadUnsafe(ref from, i), ref destination[0], i); break;
                case Width.Vector256: Storage16.Store(Vector256.LoadUnsafe(ref from, i), ref destination[0], i); break;
                case Width.Vector128: Storage16.Store(Vector128.LoadUnsafe(ref from, i), ref destination[0], i); break;
                default: Storage16.Store(source[i], ref destination[0], i); break;
            }
        }
    }
}
