using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormGen;

/// <summary>
/// One SIMD width as a type, so that the generic kernels are written once and the JIT
/// specializes them for Vector512, Vector256, Vector128 and plain float.
/// </summary>
internal interface ISimd<TVector> where TVector : struct
{
    static abstract int Count { get; }
    static abstract TVector Zero { get; }
    static abstract TVector Broadcast(float value);
    /// <summary>One vector of elements from <paramref name="index"/> on, widened to float (<see cref="Storage16"/>).</summary>
    static abstract TVector Load<T>(ref T source, nuint index) where T : unmanaged;

    /// <summary>Rounds one vector to the element type (<see cref="Storage16"/>) and stores it from <paramref name="index"/> on.</summary>
    static abstract void Store<T>(TVector value, ref T destination, nuint index) where T : unmanaged;

    /// <summary><paramref name="value"/> as the element type holds it: what a store and a load give back.</summary>
    static abstract TVector Round<T>(TVector value) where T : unmanaged;
    static abstract TVector Add(TVector left, TVector right);
    static abstract TVector Subtract(TVector left, TVector right);
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>left · right + addend; fused where the hardware has FMA, never emulated in software.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);
    static abstract float Sum(TVector value);

    /// <summary>Stores <paramref name="value"/> at <paramref name="index"/>, non-temporally where that address is aligned to
    /// the vector (<see cref="NonTemporalStores"/>); the same bits as <see cref="Store"/>.</summary>
    static abstract void StoreNonTemporal<T>(TVector value, ref T destination, nuint index) where T : unmanaged;

    /// <summary>Stores lanes [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="value"/> to the same
    /// elements of <paramref name="destination"/>, leaving the others untouched.</summary>
    static abstract void StoreLanes<T>(TVector value, ref T destination, nuint start, nuint end) where T : unmanaged;

    /// <summary>A mask of lanes <paramref name="first"/> and above (all bits set there, zero below): picks the lanes of a
    /// vector that overlaps others, such as the one at N − width, that no other vector covered.</summary>
    static abstract TVector LanesFrom(nuint first);

    /// <summary>Lane by lane, <paramref name="ifSet"/> where <paramref name="mask"/> is set, else <paramref name="otherwise"/>.</summary>
    static abstract TVector Select(TVector mask, TVector ifSet, TVector otherwise);
}

internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load<T>(ref T source, nuint index) where T : unmanaged => Storage16.Widen512(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store<T>(Vector512<float> value, ref T destination, nuint index) where T : unmanaged => Storage16.Narrow(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round<T>(Vector512<float> value) where T : unmanaged => Storage16.Round<T>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreNonTemporal<T>(Vector512<float> value, ref T destination, nuint index) where T : unmanaged => NonTemporalStores.Store(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreLanes<T>(Vector512<float> value, ref T destination, nuint start, nuint end) where T : unmanaged => NonTemporalStores.StoreLanes(value, ref destination, start, end);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LanesFrom(nuint first) => Vector512.GreaterThanOrEqual(Vector512<float>.Indices, Vector512.Create((float)first));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> otherwise) => Vector512.ConditionalSelect(mask, ifSet, otherwise);
}

internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load<T>(ref T source, nuint index) where T : unmanaged => Storage16.Widen256(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store<T>(Vector256<float> value, ref T destination, nuint index) where T : unmanaged => Storage16.Narrow(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round<T>(Vector256<float> value) where T : unmanaged => Storage16.Round<T>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreNonTemporal<T>(Vector256<float> value, ref T destination, nuint index) where T : unmanaged => NonTemporalStores.Store(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreLanes<T>(Vector256<float> value, ref T destination, nuint start, nuint end) where T : unmanaged => NonTemporalStores.StoreLanes(value, ref destination, start, end);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LanesFrom(nuint first) => Vector256.GreaterThanOrEqual(Vector256<float>.Indices, Vector256.Create((float)first));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> otherwise) => Vector256.ConditionalSelect(mask, ifSet, otherwise);
}

internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load<T>(ref T source, nuint index) where T : unmanaged => Storage16.Widen128(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store<T>(Vector128<float> value, ref T destination, nuint index) where T : unmanaged => Storage16.Narrow(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round<T>(Vector128<float> value) where T : unmanaged => Storage16.Round<T>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) => Vector128.MultiplyAddEstimate(left, right, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreNonTemporal<T>(Vector128<float> value, ref T destination, nuint index) where T : unmanaged => NonTemporalStores.Store(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreLanes<T>(Vector128<float> value, ref T destination, nuint start, nuint end) where T : unmanaged => NonTemporalStores.StoreLanes(value, ref destination, start, end);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LanesFrom(nuint first) => Vector128.GreaterThanOrEqual(Vector128<float>.Indices, Vector128.Create((float)first));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> otherwise) => Vector128.ConditionalSelect(mask, ifSet, otherwise);
}

/// <summary>The scalar fallback: a "vector" of one float.</summary>
internal readonly struct Scalar : ISimd<float>
{
    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load<T>(ref T source, nuint index) where T : unmanaged => Storage16.Widen(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store<T>(float value, ref T destination, nuint index) where T : unmanaged => Storage16.Narrow(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Round<T>(float value) where T : unmanaged => Storage16.Round<T>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float left, float right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float left, float right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float left, float right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float left, float right, float addend) => left * right + addend;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float value) => value;
    // One lane: every "vector" is whole, so there is no partition to shift, no lanes to store apart and no tail mask.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreNonTemporal<T>(float value, ref T destination, nuint index) where T : unmanaged => Storage16.Narrow(value, ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreLanes<T>(float value, ref T destination, nuint start, nuint end) where T : unmanaged
    {
        if (start < end)
            Storage16.Narrow(value, ref destination, 0);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LanesFrom(nuint first) => first == 0 ? BitConverter.Int32BitsToSingle(-1) : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Select(float mask, float ifSet, float otherwise) => BitConverter.SingleToInt32Bits(mask) != 0 ? ifSet : otherwise;
}
