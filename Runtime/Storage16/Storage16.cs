using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormGen;

/// <summary>
/// The one place of NormGen's 16-bit conversions. Loads and stores of 16-bit rows (<see cref="Half"/>, <see cref="T:NormGen.BFloat16"/>) as float registers, for the
/// 16-bit kernels: a load widens to float (exact), a store rounds to the 16-bit type to nearest even, as the scalar
/// casts do, bit for bit: NaN stays NaN (quieted, with its sign and top payload bits), what overflows becomes ±∞,
/// subnormals are converted exactly both ways.
/// </summary>
/// <remarks>
/// <para>Public only so that generated code can call it without unsafe code; not meant for direct use.</para>
/// <para>As with <c>Vector256.LoadUnsafe</c>, nothing is checked: the caller has validated that
/// <c>elementOffset</c> plus the vector's lane count lies within the row. A <c>VectorN</c> form reads or writes
/// N / 32 elements (4, 8 or 16) and is correct on any hardware; it is fast where
/// <c>VectorN.IsHardwareAccelerated</c>.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Storage16
{
    /// <summary>Reads <paramref name="source"/>[<paramref name="elementOffset"/>] as a float.</summary>
    /// <param name="source">The first element of the row.</param>
    /// <param name="elementOffset">The element to read.</param>
    /// <returns>The element, widened to float (exact).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref readonly Half source, nuint elementOffset) =>
        HalfToSingle(Unsafe.Add(ref Bits(in source), elementOffset));

    /// <summary>Reads 4 halves from <paramref name="source"/>[<paramref name="elementOffset"/>] on as floats.</summary>
    /// <param name="source">The first element of the row.</param>
    /// <param name="elementOffset">The first element to read.</param>
    /// <returns>The elements, widened to float (exact).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref readonly Half source, nuint elementOffset) =>
        HalfToSingle(Vector128.WidenLower(Read64(ref Bits(in source), elementOffset).AsInt16()));

    /// <summary>Reads 8 halves from <paramref name="source"/>[<paramref name="elementOffset"/>] on as floats.</summary>
    /// <inheritdoc cref="LoadVector128(ref readonly Half, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref readonly Half source, nuint elementOffset) =>
        HalfToSingle(Vector256.WidenLower(
            Vector128.LoadUnsafe(ref Bits(in source), elementOffset).AsInt16().ToVector256Unsafe()));

    /// <summary>Reads 16 halves from <paramref name="source"/>[<paramref name="elementOffset"/>] on as
    /// floats.</summary>
    /// <inheritdoc cref="LoadVector128(ref readonly Half, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref readonly Half source, nuint elementOffset) =>
        HalfToSingle(Vector512.WidenLower(
            Vector256.LoadUnsafe(ref Bits(in source), elementOffset).AsInt16().ToVector512Unsafe()));

    /// <summary>Rounds <paramref name="value"/> to half and writes it to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>].</summary>
    /// <param name="value">The value to store.</param>
    /// <param name="destination">The first element of the row.</param>
    /// <param name="elementOffset">The element to write.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref Half destination, nuint elementOffset) =>
        Unsafe.Add(ref Bits(ref destination), elementOffset) = SingleToHalfBits(value);

    /// <summary>Rounds the 4 lanes of <paramref name="value"/> to half and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <param name="value">The values to store.</param>
    /// <param name="destination">The first element of the row.</param>
    /// <param name="elementOffset">The first element to write.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref Half destination, nuint elementOffset) =>
        Write64(Narrow(SingleToHalfBits(value)), ref Bits(ref destination), elementOffset);

    /// <summary>Rounds the 8 lanes of <paramref name="value"/> to half and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <inheritdoc cref="Store(Vector128{float}, ref Half, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref Half destination, nuint elementOffset) =>
        Narrow(SingleToHalfBits(value)).StoreUnsafe(ref Bits(ref destination), elementOffset);

    /// <summary>Rounds the 16 lanes of <paramref name="value"/> to half and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <inheritdoc cref="Store(Vector128{float}, ref Half, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref Half destination, nuint elementOffset) =>
        Narrow(SingleToHalfBits(value)).StoreUnsafe(ref Bits(ref destination), elementOffset);

    /// <summary>Reads <paramref name="source"/>[<paramref name="elementOffset"/>] as a float.</summary>
    /// <param name="source">The first element of the row.</param>
    /// <param name="elementOffset">The element to read.</param>
    /// <returns>The element, widened to float (exact).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref readonly BFloat16 source, nuint elementOffset) =>
        (float)Unsafe.Add(ref Unsafe.AsRef(in source), elementOffset);

    /// <summary>Reads 4 bfloat16 values from <paramref name="source"/>[<paramref name="elementOffset"/>] on as
    /// floats.</summary>
    /// <param name="source">The first element of the row.</param>
    /// <param name="elementOffset">The first element to read.</param>
    /// <returns>The elements, widened to float (exact).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadVector128(ref readonly BFloat16 source, nuint elementOffset) =>
        BFloat16ToSingle(Vector128.WidenLower(Read64(ref Bits(in source), elementOffset)));

    /// <summary>Reads 8 bfloat16 values from <paramref name="source"/>[<paramref name="elementOffset"/>] on as
    /// floats.</summary>
    /// <inheritdoc cref="LoadVector128(ref readonly BFloat16, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadVector256(ref readonly BFloat16 source, nuint elementOffset) =>
        BFloat16ToSingle(Vector256.WidenLower(
            Vector128.LoadUnsafe(ref Bits(in source), elementOffset).ToVector256Unsafe()));

    /// <summary>Reads 16 bfloat16 values from <paramref name="source"/>[<paramref name="elementOffset"/>] on as
    /// floats.</summary>
    /// <inheritdoc cref="LoadVector128(ref readonly BFloat16, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadVector512(ref readonly BFloat16 source, nuint elementOffset) =>
        BFloat16ToSingle(Vector512.WidenLower(
            Vector256.LoadUnsafe(ref Bits(in source), elementOffset).ToVector512Unsafe()));

    /// <summary>Rounds <paramref name="value"/> to bfloat16 and writes it to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>].</summary>
    /// <param name="value">The value to store.</param>
    /// <param name="destination">The first element of the row.</param>
    /// <param name="elementOffset">The element to write.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref BFloat16 destination, nuint elementOffset) =>
        Unsafe.Add(ref destination, elementOffset) = (BFloat16)value;

    /// <summary>Rounds the 4 lanes of <paramref name="value"/> to bfloat16 and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <param name="value">The values to store.</param>
    /// <param name="destination">The first element of the row.</param>
    /// <param name="elementOffset">The first element to write.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Write64(Narrow(SingleToBFloat16Bits(value)), ref Bits(ref destination), elementOffset);

    /// <summary>Rounds the 8 lanes of <paramref name="value"/> to bfloat16 and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <inheritdoc cref="Store(Vector128{float}, ref BFloat16, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Narrow(SingleToBFloat16Bits(value)).StoreUnsafe(ref Bits(ref destination), elementOffset);

    /// <summary>Rounds the 16 lanes of <paramref name="value"/> to bfloat16 and writes them to
    /// <paramref name="destination"/>[<paramref name="elementOffset"/>] on.</summary>
    /// <inheritdoc cref="Store(Vector128{float}, ref BFloat16, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref BFloat16 destination, nuint elementOffset) =>
        Narrow(SingleToBFloat16Bits(value)).StoreUnsafe(ref Bits(ref destination), elementOffset);

    private static ref ushort Bits(ref readonly Half value) => ref Unsafe.As<Half, ushort>(ref Unsafe.AsRef(in value));

    private static ref ushort Bits(ref readonly BFloat16 value) =>
        ref Unsafe.As<BFloat16, ushort>(ref Unsafe.AsRef(in value));

    /// <summary>4 elements (8 bytes) into the lower half of a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Read64(ref ushort source, nuint elementOffset) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(
            ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, elementOffset)))).AsUInt16();

    /// <summary>The lower 4 elements (8 bytes) of a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write64(Vector128<ushort> value, ref ushort destination, nuint elementOffset) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref destination, elementOffset)),
            value.AsUInt64().ToScalar());

    // Packing lanes that already hold a 16-bit pattern (upper halves zero), so truncating and saturating agree.
    // The cross-platform Narrow takes two vectors: for one it costs two narrowings and a shuffle on x86, where
    // AVX-512 has a single instruction (vpmovdw) and SSE4.1 a single pack (packusdw).

    /// <summary>4 lanes packed into the lower 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Narrow(Vector128<uint> bits)
    {
        if (Avx512F.VL.IsSupported)
            return Avx512F.VL.ConvertToVector128UInt16(bits);
        if (Sse41.IsSupported)
            return Sse41.PackUnsignedSaturate(bits.AsInt32(), bits.AsInt32());
        return Vector128.Narrow(bits, bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Narrow(Vector256<uint> bits)
    {
        if (Avx512F.VL.IsSupported)
            return Avx512F.VL.ConvertToVector128UInt16(bits);
        if (Sse41.IsSupported)
            return Sse41.PackUnsignedSaturate(bits.GetLower().AsInt32(), bits.GetUpper().AsInt32());
        return Vector128.Narrow(bits.GetLower(), bits.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Narrow(Vector512<uint> bits)
    {
        if (Avx512F.IsSupported)
            return Avx512F.ConvertToVector256UInt16(bits);
        return Vector256.Narrow(bits.GetLower(), bits.GetUpper());
    }
}
