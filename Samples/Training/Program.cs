using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NormGen;
using NormGen.Samples.Training;

// Trains the same deep residual stack twice, with pre-LayerNorm in every block and without,
// on a synthetic regression task, and reports loss and gradient norms. Seeded: every run is identical.
const int Width = 64, Depth = 24, Batch = 64, Outputs = 16, TrainRows = 4096;
int epochs = 20;
string plotPath = Path.Combine("docs", "training-loss.png");
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--epochs") epochs = int.Parse(args[i + 1]);
    if (args[i] == "--plot") plotPath = args[i + 1];
}

var (inputs, targets) = SyntheticTask.Make(TrainRows, Width, Outputs, seed: 1);
Console.WriteLine($"Task: {TrainRows} rows, {Width} inputs -> {Outputs} outputs of a random two-layer tanh teacher.");
Console.WriteLine($"Predicting 0 everywhere gives loss {targets.Select(t => (double)t * t).Average():G4}: a model must beat that to have learned anything.");
Console.WriteLine($"Model: {Depth} residual blocks h <- h + GELU(Linear(norm(h))), then norm and a linear readout; width {Width}, Adam lr 1e-3, batch {Batch}, {epochs} epochs.");
Console.WriteLine();

var withNorm = Train("pre-LayerNorm", () => new LayerNormLayer<TrainingNorm.Kernel>());
var without = Train("no norm", null);

Console.WriteLine();
Console.WriteLine("epoch | loss: pre-LN | loss: no norm | ‖dW‖ pre-LN: block 1 / 12 / 24 | ‖dW‖ no norm: block 1 / 12 / 24");
for (int e = 0; e < epochs; e++)
{
    var a = withNorm.Epochs[e];
    var b = without.Epochs[e];
    Console.WriteLine($"{e + 1,5} | {a.Loss,12:G4} | {b.Loss,13:G4} | {a.Norms[0],9:G3} / {a.Norms[1],9:G3} / {a.Norms[2],9:G3} | {b.Norms[0],9:G3} / {b.Norms[1],9:G3} / {b.Norms[2],9:G3}");
}
Console.WriteLine();
Console.WriteLine($"Final loss: pre-LN {withNorm.Epochs[^1].Loss:G4}, no norm {without.Epochs[^1].Loss:G4}; training took {withNorm.Seconds:F1} s and {without.Seconds:F1} s.");
Console.WriteLine($"Gradient norm ratio, first block / last block, epoch 1: pre-LN {withNorm.Epochs[0].Norms[0] / withNorm.Epochs[0].Norms[2]:G3}, no norm {without.Epochs[0].Norms[0] / without.Epochs[0].Norms[2]:G3}.");

LossPlot.Save(plotPath, withNorm.StepLosses, without.StepLosses, TrainRows / Batch);
Console.WriteLine($"Loss curves written to {Path.GetFullPath(plotPath)}");

Console.WriteLine();
BatchIndependenceDemo.Run();
return 0;

TrainingRun Train(string name, Func<LayerNormLayerBase>? makeNorm)
{
    var network = new ResidualNetwork(Width, Depth, Batch, Outputs, makeNorm, new Random(2));
    var optimizer = new Adam(network.Parameters(), learningRate: 1e-3f);
    var order = Enumerable.Range(0, TrainRows).ToArray();
    var shuffle = new Random(3);
    var batchInputs = new float[Batch * Width];
    var batchTargets = new float[Batch * Outputs];
    var run = new TrainingRun(name);
    var clock = Stopwatch.StartNew();

    for (int epoch = 0; epoch < epochs; epoch++)
    {
        shuffle.Shuffle(order);
        double lossSum = 0;
        var norms = new double[3];
        int steps = TrainRows / Batch;
        for (int step = 0; step < steps; step++)
        {
            for (int r = 0; r < Batch; r++)
            {
                int row = order[step * Batch + r];
                inputs.AsSpan(row * Width, Width).CopyTo(batchInputs.AsSpan(r * Width));
                targets.AsSpan(row * Outputs, Outputs).CopyTo(batchTargets.AsSpan(r * Outputs));
            }
            float loss = network.TrainStep(batchInputs, batchTargets);
            norms[0] += network.WeightGradientNorm(0) / steps;
            norms[1] += network.WeightGradientNorm(Depth / 2 - 1) / steps;
            norms[2] += network.WeightGradientNorm(Depth - 1) / steps;
            optimizer.Step();
            lossSum += loss;
            run.StepLosses.Add(loss);
        }
        run.Epochs.Add((lossSum / steps, norms));
        Console.WriteLine($"{name}: epoch {epoch + 1} loss {lossSum / steps:G4}");
    }
    run.Seconds = clock.Elapsed.TotalSeconds;
    return run;
}

sealed class TrainingRun(string name)
{
    public string Name { get; } = name;
    public List<(double Loss, double[] Norms)> Epochs { get; } = [];
    public List<double> StepLosses { get; } = [];
    public double Seconds { get; set; }
}
