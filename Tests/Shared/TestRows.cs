using System;

namespace NormGen.Testing;

/// <summary>The kinds of rows the accuracy contract covers (DESIGN.md, "Accuracy").</summary>
public enum RowKind
{
    /// <summary>Uniform in [-2, 2).</summary>
    Random,
    /// <summary>1e4 + spread 1e-2: E[x²] − E[x]² loses every digit here.</summary>
    Offset1e4Spread1e2,
    /// <summary>1e6 + spread 1.</summary>
    Offset1e6Spread1,
    /// <summary>Magnitudes log-uniform from 1e-3 to 1e3, random signs.</summary>
    MixedScales,
    /// <summary>Values around 1e-20.</summary>
    Tiny,
    /// <summary>Every value the same (a different value per row).</summary>
    Constant,
    /// <summary>The first element (the pivot) ±1e3 away from the rest, which lie in [-1, 1): every deviation from
    /// the pivot has the same sign and size, so a float sum of them drifts; the corrected second pass must recover it.</summary>
    FarPivot,
    /// <summary>Every value 0: a constant row, and RMSNorm's zero row.</summary>
    Zero,
    /// <summary>Uniform in [-1e3, 1e3) around a mean near 0, the first element (the pivot) at 900: inside √3 standard
    /// deviations of the mean, yet 900 from it, so a one-pass mean sums terms that all lean by 900 and rounds by
    /// about 1e-4; the guard must send these rows to the centred pass.</summary>
    WidePivot,
}

/// <summary>Seeded test rows, shared by the numerics tests and the generator tests (linked into both).</summary>
public static class TestRows
{
    /// <summary><paramref name="rows"/> rows of <paramref name="hiddenSize"/> values of the given kind.</summary>
    public static float[] Rows(RowKind kind, int rows, int hiddenSize, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * hiddenSize];
        for (int r = 0; r < rows; r++)
        {
            float constant = (float)(random.NextDouble() * 2e4 - 1e4);
            for (int i = 0; i < hiddenSize; i++)
            {
                x[r * hiddenSize + i] = kind switch
                {
                    RowKind.Random => Uniform(random, -2, 2),
                    RowKind.Offset1e4Spread1e2 => (float)(1e4 + (random.NextDouble() - 0.5) * 1e-2),
                    RowKind.Offset1e6Spread1 => (float)(1e6 + (random.NextDouble() - 0.5)),
                    RowKind.MixedScales => (float)(Math.Pow(10, Uniform(random, -3, 3)) * (random.Next(2) == 0 ? -1 : 1)),
                    RowKind.Tiny => (float)(1e-20 * (1 + random.NextDouble())),
                    RowKind.Constant => constant,
                    RowKind.FarPivot => i == 0 ? (r % 2 == 0 ? 1e3f : -1e3f) : Uniform(random, -1, 1),
                    RowKind.Zero => 0f,
                    RowKind.WidePivot => i == 0 ? 900f : Uniform(random, -1e3, 1e3),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
                };
            }
        }
        return x;
    }

    /// <summary><paramref name="length"/> values uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static float[] Uniform(int length, float min, float max, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = Uniform(random, min, max);
        return values;
    }

    private static float Uniform(Random random, double min, double max) => (float)(min + random.NextDouble() * (max - min));
}
