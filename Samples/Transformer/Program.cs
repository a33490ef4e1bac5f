using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NormGen.Samples.Transformer;

// A small decoder-only transformer trained four ways on the same copy task, depth and learning rate: pre-LN on
// NormGen's generated kernels, post-LN, no normalization, and BatchNorm in LayerNorm's place. Then the claims
// LayerNorm is chosen for (a sequence's activations do not depend on its batch, its padding or how it is
// decoded), and what the generated kernels buy for a whole training step. Seeded: every run trains the same.
int epochs = 12, rounds = 40;
string plotPath = Path.Combine("docs", "transformer-loss.png");
bool timingOnly = args.Contains("--timing");     // only the step timing, to rerun it on a quiet machine
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--epochs") epochs = int.Parse(args[i + 1]);
    if (args[i] == "--rounds") rounds = int.Parse(args[i + 1]);
    if (args[i] == "--plot") plotPath = args[i + 1];
}

var experiment = Experiment.Default(epochs);
var config = experiment.Config;
var task = experiment.Task;
double chance = Math.Log(task.Symbols);
Console.WriteLine($"Task: copy a string of {task.MinLength}-{task.MaxLength} symbols (of {task.Symbols}) after a " +
                  "delimiter, BOS a1..an SEP a1..an EOS; the copy and EOS are scored.");
Console.WriteLine($"  {experiment.TrainingSet.Count} training and {experiment.HeldOutSet.Count} held-out sequences, " +
                  $"padded batches of {experiment.BatchSize}; guessing scores ln({task.Symbols}) = {chance:F2} " +
                  "per token.");
Console.WriteLine($"Model: {config.Blocks} blocks, width {config.Width}, {config.Heads} heads, MLP {config.MlpWidth} " +
                  $"(GELU), causal attention; Adam lr {experiment.LearningRate:G3}, no warm-up, {epochs} epochs of " +
                  $"{experiment.StepsPerEpoch} steps.");
Console.WriteLine();
if (timingOnly)
{
    TimeOneStep();
    return 0;
}

// The four runs are independent and seeded, so they share the cores without changing a bit of their results.
var gate = new object();
var results = new (TrainingRun Run, DecoderModel Model)[Variant.All.Length];
Parallel.For(0, Variant.All.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
    i => results[i] = Trainer.Train(experiment, Variant.All[i], line => { lock (gate) Console.WriteLine(line); }));
var runs = results.Select(r => r.Run).ToArray();

Console.WriteLine();
Console.WriteLine("Training loss per epoch (mean cross-entropy per scored token):");
Console.WriteLine("epoch | " + string.Join(" | ", runs.Select(r => $"{r.Variant.Name,10}")));
for (int e = 0; e < epochs; e++)
    Console.WriteLine($"{e + 1,5} | " + string.Join(" | ", runs.Select(r => $"{r.EpochLosses[e],10:G4}")));

Console.WriteLine();
Console.WriteLine("Gradient norm of each block's weights (attention and MLP), mean over the epoch's steps, " +
                  $"epoch 1 -> epoch {epochs}:");
Console.WriteLine("block | " + string.Join(" | ", runs.Select(r => $"{r.Variant.Name,20}")));
for (int k = 0; k < config.Blocks; k++)
    Console.WriteLine($"{k + 1,5} | " + string.Join(" | ", runs.Select(r => Norms(r, k))));

Console.WriteLine();
Console.WriteLine("Held-out, after training (BatchNorm with its running statistics):");
Console.WriteLine($"{"",10} | {"loss",9} | {"tokens right",12} | {"exact copies",12} | {"seconds",7} |");
foreach (var run in runs)
{
    var final = run.Final!;
    Console.WriteLine($"{run.Variant.Name,10} | {final.Loss,9:G3} | {final.TokenAccuracy,12:P1} | " +
                      $"{final.ExactCopies,12:P1} | {run.Seconds,7:F1} | {Verdict(final)}");
}

LossPlot.Save(plotPath, runs, experiment.StepsPerEpoch,
    $"{config.Blocks}-block transformer, width {config.Width}, copy task, Adam lr {experiment.LearningRate:G3}");
Console.WriteLine($"Loss curves written to {Path.GetFullPath(plotPath)}");

// A sequence of 5 symbols (12 input tokens) among sequences of 1, 8, 3 and 7: its batch is padded to 18 rows.
int subject = FirstOfLength(5);
int[] companions = [FirstOfLength(1), FirstOfLength(8), FirstOfLength(3), FirstOfLength(7)];
var preLN = results[Array.IndexOf(Variant.All, Variant.PreLayerNorm)].Model;
var batchNorm = results[Array.IndexOf(Variant.All, Variant.BatchNorm)].Model;
Console.WriteLine();
Console.WriteLine("One held-out sequence's activations (every norm's output and the logits): alone, vs inside a");
Console.WriteLine("padded batch of 5 sequences of other lengths, vs decoded token by token (the prefix recomputed at");
Console.WriteLine("each step):");
Report("pre-LN, generated kernels", preLN, batchStatistics: false);
Report("BatchNorm, batch statistics (as trained)", batchNorm, batchStatistics: true);
Report("BatchNorm, running statistics (inference)", batchNorm, batchStatistics: false);

Console.WriteLine();
Console.WriteLine("The held-out set decoded as a deployed model sees it: one sequence at a time, each token predicted");
Console.WriteLine("from a forward pass over its prefix alone; beside it, the same model scored in padded batches of " +
                  $"{experiment.BatchSize}:");
Console.WriteLine($"{"",44} | {"loss",9} | {"tokens right",12} | {"exact copies",12}");
Decoding("pre-LN, in batches", Evaluation.Run(preLN, experiment));
Decoding("pre-LN, decoded alone", Evaluation.Decoded(preLN, experiment));
Decoding("BatchNorm, batch statistics, in batches", Evaluation.Run(batchNorm, experiment, batchStatistics: true));
Decoding("BatchNorm, batch statistics, decoded alone",
    Evaluation.Decoded(batchNorm, experiment, batchStatistics: true));
Decoding("BatchNorm, running statistics, decoded alone", Evaluation.Decoded(batchNorm, experiment));

TimeOneStep();
return 0;

void TimeOneStep()
{
    Console.WriteLine();
    Console.WriteLine("One training step of the pre-LN model (forward and backward, a batch of " +
                      $"{experiment.BatchSize}), median of {rounds} rounds;");
    Console.WriteLine($"{2 * config.Blocks + 1} LayerNorms, {2 * config.Blocks} of them fused with the residual add " +
                      "before them, each forward and backward:");
    var times = StepTiming.Run(experiment, rounds);
    var generated = times[0];
    Console.WriteLine($"{"LayerNorm",28} | {"step ms",7} | {"LayerNorm ms",12} | {"rest ms",7} | {"share",6} | " +
                      $"{"step / generated",16} | {"LayerNorm / generated",21} | {"loss",7}");
    foreach (var time in times)
        Console.WriteLine($"{Describe(time.Norm),28} | {time.StepMilliseconds,7:F2} | " +
                          $"{time.NormMilliseconds,12:F3} | {time.StepMilliseconds - time.NormMilliseconds,7:F2} | " +
                          $"{time.NormShare,6:P1} | " +
                          $"{time.StepMilliseconds / generated.StepMilliseconds,15:F3}x | " +
                          $"{time.NormMilliseconds / generated.NormMilliseconds,20:F2}x | {time.Loss,7:F4}");
    Console.WriteLine("  The rest of the step is the same work in all three, so where its times differ, the machine");
    Console.WriteLine("  was noisy (it is shared); the equal losses show that the three compute the same step.");
}

int FirstOfLength(int n)
{
    for (int i = 0; i < experiment.HeldOutSet.Count; i++)
        if (experiment.HeldOutSet[i].InputLength == 2 * n + 2) return i;
    throw new InvalidOperationException($"No held-out sequence copies {n} symbols.");
}

void Report(string name, DecoderModel model, bool batchStatistics)
{
    bool training = model.Training;
    model.Training = batchStatistics;
    var identity = SequenceIdentity.Check(model, experiment.HeldOutSet, subject, companions);
    model.Training = training;
    Console.WriteLine($"  {name}:");
    Console.WriteLine($"    norms: in the batch {identity.NormsInBatch}, decoded {identity.NormsDecoded}");
    Console.WriteLine($"    logits: in the batch {identity.LogitsInBatch}, decoded {identity.LogitsDecoded}");
}

static void Decoding(string name, Evaluation evaluation) =>
    Console.WriteLine($"{name,44} | {evaluation.Loss,9:G3} | {evaluation.TokenAccuracy,12:P1} | " +
                      $"{evaluation.ExactCopies,12:P1}");

string Verdict(Evaluation final) =>
    !double.IsFinite(final.Loss) || final.Loss > 10 * chance ? "diverged"
    : final.Loss > 0.9 * chance ? "did not learn (about chance)"
    : final.ExactCopies >= 0.9 ? "learned the task"
    : "learned part of the task";

static string Norms(TrainingRun run, int block) =>
    $"{run.BlockGradientNorms[0][block],8:G3} -> {run.BlockGradientNorms[^1][block],8:G3}";

static string Describe(NormKind kind) => kind switch
{
    NormKind.Generated => "generated [LayerNorm(64)]",
    NormKind.Generic => "generic NormGen.LayerNorm",
    NormKind.TensorPrimitives => "TensorPrimitives composition",
    _ => kind.ToString(),
};
