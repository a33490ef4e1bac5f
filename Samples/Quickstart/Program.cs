using System;
using NormGen;

// Placeholder until the generator lands: the generic path against the reference.
const int hiddenSize = 768, rows = 64;
var random = new Random(42);
float[] x = new float[rows * hiddenSize], gamma = new float[hiddenSize], beta = new float[hiddenSize];
for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 4 - 2);
for (int i = 0; i < hiddenSize; i++) { gamma[i] = (float)(random.NextDouble() + 0.5); beta[i] = (float)(random.NextDouble() - 0.5); }

float[] y = new float[x.Length], yRef = new float[x.Length];
LayerNorm.Forward(x, gamma, beta, y, hiddenSize);
LayerNormReference.Forward(x, gamma, beta, yRef, hiddenSize);
double maxError = 0;
for (int i = 0; i < y.Length; i++) maxError = Math.Max(maxError, Math.Abs(y[i] - yRef[i]) / (1 + Math.Abs(yRef[i])));
Console.WriteLine($"generic vs reference, {rows}×{hiddenSize}: max relative error {maxError:E2}");
return maxError <= 1e-5 ? 0 : 1;
