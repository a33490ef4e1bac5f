using System;

namespace NormGen.Samples.Transformer;

/// <summary>How well a model copies the held-out sequences, in inference mode.</summary>
/// <param name="Loss">Mean cross-entropy per scored token.</param>
/// <param name="TokenAccuracy">Scored tokens whose most likely prediction is right.</param>
/// <param name="ExactCopies">
/// Sequences whose every scored token is predicted right given the true prefix; exactly the sequences that
/// greedy decoding copies without a mistake, since it then never leaves the true prefix.
/// </param>
internal sealed record Evaluation(double Loss, double TokenAccuracy, double ExactCopies)
{
    /// <summary>
    /// Scores the held-out set in batches of the training batch size, in inference mode unless
    /// <paramref name="batchStatistics"/> asks for the training mode's (BatchNorm's batch statistics).
    /// </summary>
    public static Evaluation Run(DecoderModel model, Experiment experiment, bool batchStatistics = false)
    {
        bool training = model.Training;
        model.Training = batchStatistics;
        var sequences = experiment.HeldOutSet;
        var batch = new Batch(experiment.BatchSize, experiment.Config.MaxLength);
        var order = new int[experiment.BatchSize];
        double lossSum = 0;
        int scored = 0, correct = 0, exact = 0;
        for (int start = 0; start < sequences.Count; start += experiment.BatchSize)
        {
            int count = Math.Min(experiment.BatchSize, sequences.Count - start);
            for (int i = 0; i < count; i++) order[i] = start + i;
            batch.Fill(sequences, order.AsSpan(0, count));
            int batchScored = 0;
            foreach (int target in batch.Targets) if (target >= 0) batchScored++;
            lossSum += model.Loss(batch, out int batchCorrect) * batchScored;
            scored += batchScored;
            correct += batchCorrect;
            exact += CountExactCopies(model.Logits(batch), batch, experiment.Config.Vocabulary);
        }
        model.Training = training;
        return new Evaluation(lossSum / scored, correct / (double)scored, exact / (double)sequences.Count);
    }

    /// <summary>
    /// Scores the held-out set as a deployed model would see it: one sequence at a time, token by token, each
    /// prediction made from a forward pass over the prefix so far alone. With LayerNorm this gives the same numbers
    /// as <see cref="Run"/>; with BatchNorm's batch statistics (<paramref name="batchStatistics"/>) each prefix is
    /// normalized with its own statistics.
    /// </summary>
    public static Evaluation Decoded(DecoderModel model, Experiment experiment, bool batchStatistics = false)
    {
        bool training = model.Training;
        model.Training = batchStatistics;
        var sequences = experiment.HeldOutSet;
        var batch = new Batch(1, experiment.Config.MaxLength);
        int vocabulary = experiment.Config.Vocabulary;
        double lossSum = 0;
        int scored = 0, correct = 0, exact = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            bool allRight = true;
            for (int t = sequences[s].FirstScored; t < sequences[s].InputLength; t++)
            {
                batch.Fill(sequences, [s], length: t + 1, prefix: t + 1);
                model.Forward(batch);
                var (loss, right) = ScoreRow(model.Logits(batch).Slice(t * vocabulary, vocabulary), batch.Targets[t]);
                lossSum += loss;
                scored++;
                if (right) correct++;
                else allRight = false;
            }
            if (allRight) exact++;
        }
        model.Training = training;
        return new Evaluation(lossSum / scored, correct / (double)scored, exact / (double)sequences.Count);
    }

    // −log softmax(z)[target] in double, and whether the target is the strict argmax.
    private static (double Loss, bool Right) ScoreRow(ReadOnlySpan<float> z, int target)
    {
        double max = double.NegativeInfinity;
        bool right = true;
        for (int v = 0; v < z.Length; v++)
        {
            max = Math.Max(max, z[v]);
            if (v != target && !(z[v] < z[target])) right = false;
        }
        double total = 0;
        for (int v = 0; v < z.Length; v++) total += Math.Exp(z[v] - max);
        return (Math.Log(total) + max - z[target], right);
    }

    private static int CountExactCopies(ReadOnlySpan<float> logits, Batch batch, int vocabulary)
    {
        int exact = 0;
        for (int b = 0; b < batch.Count; b++)
        {
            bool allRight = true;
            for (int t = 0; t < batch.Length && allRight; t++)
            {
                int row = b * batch.Length + t, target = batch.Targets[row];
                if (target < 0) continue;
                ReadOnlySpan<float> z = logits.Slice(row * vocabulary, vocabulary);
                for (int v = 0; v < vocabulary; v++)
                    if (v != target && !(z[v] < z[target])) allRight = false;
            }
            if (allRight) exact++;
        }
        return exact;
    }
}
