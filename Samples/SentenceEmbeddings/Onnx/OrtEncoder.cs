using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NormGen.Samples.SentenceEmbeddings.Model;

namespace NormGen.Samples.SentenceEmbeddings.OnnxModel;

/// <summary>ONNX Runtime on the same model.onnx and the same tokens: the runtime a user would otherwise deploy.</summary>
internal sealed class OrtEncoder : IDisposable
{
    private readonly InferenceSession _session;

    /// <param name="model">model.onnx's bytes.</param>
    /// <param name="threads">Intra-op threads; 1 for the comparison with the single-threaded C# encoder.</param>
    public OrtEncoder(byte[] model, int threads = 1)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
    }

    public long TotalTicks { get; private set; }

    /// <summary>last_hidden_state, [batch.Count, batch.Length, 384].</summary>
    public float[] Forward(TokenBatch batch)
    {
        long start = Stopwatch.GetTimestamp();
        long[] shape = [batch.Count, batch.Length];
        using OrtValue ids = OrtValue.CreateTensorValueFromMemory(batch.Ids.Select(i => (long)i).ToArray(), shape);
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(batch.Mask.Select(i => (long)i).ToArray(), shape);
        using OrtValue types = OrtValue.CreateTensorValueFromMemory(new long[batch.Rows], shape);
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = ids, ["attention_mask"] = mask, ["token_type_ids"] = types,
        };
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, inputs, ["last_hidden_state"]);
        float[] hidden = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        TotalTicks += Stopwatch.GetTimestamp() - start;
        return hidden;
    }

    public void ResetTimer() => TotalTicks = 0;

    /// <summary>Embeddings, one padded batch per call, through the same pooling as the C# encoder's.</summary>
    public float[][] Embed(IReadOnlyList<int[]> tokens, int batchSize = 32)
    {
        var result = new List<float[]>(tokens.Count);
        for (int start = 0; start < tokens.Count; start += batchSize)
        {
            var batch = new TokenBatch(tokens.Skip(start).Take(batchSize).ToArray());
            result.AddRange(Pooling.MeanPoolNormalize(Forward(batch), batch.Count, batch.Length, batch.Lengths));
        }
        return result.ToArray();
    }

    public void Dispose() => _session.Dispose();
}
