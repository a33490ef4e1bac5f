using System;

namespace NormGen.Samples.Transformer;

/// <summary>Mean cross-entropy of softmax(logits) over the scored rows of a batch, and its gradient.</summary>
internal static class CrossEntropy
{
    /// <summary>
    /// Returns the mean of −log p(target) over the rows with a target, computed in double; writes
    /// dLoss/dlogits = (p − onehot) / scored rows there and 0 elsewhere, if <paramref name="dLogits"/> is not empty.
    /// Also counts the rows whose most likely token is the target.
    /// </summary>
    public static double Evaluate(
        ReadOnlySpan<float> logits, Batch batch, int vocabulary, Span<float> dLogits, out int correct)
    {
        int scored = 0;
        foreach (int target in batch.Targets) if (target >= 0) scored++;
        correct = 0;
        if (!dLogits.IsEmpty) dLogits[..(batch.Rows * vocabulary)].Clear();
        if (scored == 0) return 0;

        double loss = 0;
        for (int row = 0; row < batch.Rows; row++)
        {
            int target = batch.Targets[row];
            if (target < 0) continue;
            ReadOnlySpan<float> z = logits.Slice(row * vocabulary, vocabulary);
            int best = 0;
            for (int v = 1; v < vocabulary; v++) if (z[v] > z[best]) best = v;
            if (best == target) correct++;
            double total = 0;
            for (int v = 0; v < vocabulary; v++) total += Math.Exp(z[v] - (double)z[best]);
            double logTotal = Math.Log(total) + z[best];
            loss += logTotal - z[target];
            if (dLogits.IsEmpty) continue;
            Span<float> dz = dLogits.Slice(row * vocabulary, vocabulary);
            for (int v = 0; v < vocabulary; v++)
                dz[v] = (float)((Math.Exp(z[v] - logTotal) - (v == target ? 1 : 0)) / scored);
        }
        return loss / scored;
    }
}
