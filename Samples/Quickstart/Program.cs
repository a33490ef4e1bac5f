using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NormGen;
using NormGen.Samples.Quickstart;

// 1. The generated kernel against the generic path and the double-precision reference.
const int hiddenSize = BertNorm.HiddenSize, rows = 64;
var random = new Random(42);
float[] x = Fill(rows * hiddenSize, () => (float)(random.NextDouble() * 4 - 2));
float[] gamma = Fill(hiddenSize, () => (float)(random.NextDouble() + 0.5));
float[] beta = Fill(hiddenSize, () => (float)(random.NextDouble() - 0.5));
float[] dy = Fill(rows * hiddenSize, () => (float)(random.NextDouble() * 2 - 1));

var generated = RunAll((x, g, b, y, m, r) => BertNorm.Forward(x, g, b, y, m, r),
    (dy, x, g, m, r, dx, dg, db) => BertNorm.Backward(dy, x, g, m, r, dx, dg, db));
var generic = RunAll((x, g, b, y, m, r) => LayerNorm.Forward(x, g, b, y, m, r, hiddenSize),
    (dy, x, g, m, r, dx, dg, db) => LayerNorm.Backward(dy, x, g, m, r, dx, dg, db, hiddenSize));
var reference = RunAll((x, g, b, y, m, r) => LayerNormReference.Forward(x, g, b, y, m, r, hiddenSize),
    (dy, x, g, m, r, dx, dg, db) => LayerNormReference.Backward(dy, x, g, m, r, dx, dg, db, hiddenSize));

double vsReference = generated.Zip(reference).Max(p => MaxRelativeError(p.First, p.Second));
double vsGeneric = generated.Zip(generic).Max(p => MaxRelativeError(p.First, p.Second));
Console.WriteLine($"[LayerNorm({hiddenSize})] BertNorm, {rows} random rows; max |a − t| / (1 + |t|) over y, mean, rstd, dx, dgamma, dbeta:");
Console.WriteLine($"  generated vs reference: {vsReference:E2}");
Console.WriteLine($"  generated vs generic:   {vsGeneric:E2}");
Console.WriteLine();

// 1b. The family: the residual add fused into the norm, and RMSNorm, against their references.
float[] residual = Fill(rows * hiddenSize, () => (float)(random.NextDouble() * 2 - 1));
float[] sum = new float[x.Length], yFused = new float[x.Length], sumRef = new float[x.Length], yFusedRef = new float[x.Length];
BertNorm.ForwardResidual(x, residual, gamma, beta, sum, yFused);
LayerNormReference.ForwardResidual(x, residual, gamma, beta, sumRef, yFusedRef, hiddenSize);
float[] yRms = new float[x.Length], rstdRms = new float[rows], yRmsRef = new float[x.Length], rstdRmsRef = new float[rows];
RmsNorm768.Forward(x, gamma, yRms, rstdRms);
RmsNormReference.Forward(x, gamma, yRmsRef, rstdRmsRef, hiddenSize, RmsNorm768.Epsilon);
double fusedError = Math.Max(MaxRelativeError(sum, sumRef), MaxRelativeError(yFused, yFusedRef));
double rmsError = Math.Max(MaxRelativeError(yRms, yRmsRef), MaxRelativeError(rstdRms, rstdRmsRef));
Console.WriteLine($"BertNorm.ForwardResidual (sum = x + residual, then LayerNorm) vs reference: {fusedError:E2}");
Console.WriteLine($"[RmsNorm({RmsNorm768.HiddenSize})] RmsNorm768 vs reference (y, rstd):           {rmsError:E2}");
Console.WriteLine();

// 2. Timing: ratios from one run, medians of interleaved trials. BertNorm at 768, and a 64-wide kernel,
//    where the row fits in registers and specialization pays most.
Console.WriteLine("Forward, ns per row (median of 15 interleaved trials), one thread:");
Console.WriteLine($"  {"rows × hidden",13} | {"generated",10} | {"generic",10} | speedup");
foreach (int n in new[] { 1, 64, 1024 })
    TimeShape(n, hiddenSize, (xs, ys) => BertNorm.Forward(xs, gamma, beta, ys));
float[] gamma64 = gamma.AsSpan(0, SmallNorm.HiddenSize).ToArray(), beta64 = beta.AsSpan(0, SmallNorm.HiddenSize).ToArray();
foreach (int n in new[] { 512, 4096 })
    TimeShape(n, SmallNorm.HiddenSize, (xs, ys) => SmallNorm.Forward(xs, gamma64, beta64, ys));
Console.WriteLine("  (quick timings for a first look; Benchmarks/ has the BenchmarkDotNet suite)");
Console.WriteLine();

// 3. Where the emitted source is.
string? folder = typeof(BertNorm).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .FirstOrDefault(a => a.Key == "CompilerGeneratedFilesOutputPath")?.Value;
string? file = folder is not null && Directory.Exists(folder)
    ? Directory.EnumerateFiles(folder, "*BertNorm.LayerNorm.g.cs", SearchOption.AllDirectories).FirstOrDefault()
    : null;
Console.WriteLine(file is not null
    ? $"The generated kernel's source: {file}"
    : $"The generated source is written under {folder ?? "obj/generated"} when the project builds.");

bool ok = vsReference <= 1e-5 && vsGeneric <= 1e-5 && fusedError <= 1e-5 && rmsError <= 1e-5;
Console.WriteLine(ok ? "OK: within the 1e-5 contract." : "FAILED: error above 1e-5.");
return ok ? 0 : 1;

float[][] RunAll(ForwardWithStatistics forward, BackwardPass backward)
{
    float[] y = new float[x.Length], mean = new float[rows], rstd = new float[rows];
    float[] dx = new float[x.Length], dgamma = new float[hiddenSize], dbeta = new float[hiddenSize];
    forward(x, gamma, beta, y, mean, rstd);
    backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
    return [y, mean, rstd, dx, dgamma, dbeta];
}

void TimeShape(int rowCount, int width, Action<float[], float[]> generatedForward)
{
    float[] xs = Fill(rowCount * width, () => (float)(random.NextDouble() * 4 - 2)), ys = new float[xs.Length];
    float[] g = gamma.AsSpan(0, width).ToArray(), b = beta.AsSpan(0, width).ToArray();
    Action runGenerated = () => generatedForward(xs, ys);
    Action runGeneric = () => LayerNorm.Forward(xs, g, b, ys, width);
    int reps = Math.Max(1, 2_000_000 / (rowCount * width));

    // Warm up for half a second each, so tiered compilation reaches its optimized code before we time.
    WarmUp(runGenerated, reps);
    WarmUp(runGeneric, reps);
    var generatedTrials = new double[15];
    var genericTrials = new double[15];
    for (int t = 0; t < 15; t++)
    {
        generatedTrials[t] = Time(runGenerated, reps) / rowCount;
        genericTrials[t] = Time(runGeneric, reps) / rowCount;
    }
    double generatedMedian = Median(generatedTrials), genericMedian = Median(genericTrials);
    Console.WriteLine($"  {$"{rowCount} × {width}",13} | {generatedMedian,10:F1} | {genericMedian,10:F1} | {genericMedian / generatedMedian,6:F2}x");
}

static double MaxRelativeError(float[] actual, float[] expected) =>
    actual.Zip(expected).Max(p => Math.Abs(p.First - (double)p.Second) / (1 + Math.Abs((double)p.Second)));

static float[] Fill(int length, Func<float> next) => Enumerable.Range(0, length).Select(_ => next()).ToArray();

static double Time(Action action, int repetitions)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < repetitions; i++) action();
    return Stopwatch.GetElapsedTime(start).TotalNanoseconds / repetitions;
}

static void WarmUp(Action action, int repetitions)
{
    long start = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 500)
        for (int i = 0; i < repetitions; i++) action();
}

static double Median(double[] values)
{
    double[] sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

delegate void ForwardWithStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd);
delegate void BackwardPass(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);
