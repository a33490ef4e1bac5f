using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Onnx;
using NormGen.Samples.SentenceEmbeddings.Model;

namespace NormGen.Samples.SentenceEmbeddings.OnnxModel;

/// <summary>
/// Reads all-MiniLM-L6-v2's weights from its model.onnx with a real ONNX parser (OnnxSharp), through the graph.
/// </summary>
/// <remarks>
/// The export names only some initializers: the embeddings, the biases and the LayerNorm weights keep their
/// PyTorch names (<c>encoder.layer.0.attention.self.query.bias</c>), but every MatMul weight got an exporter-made
/// number (<c>927</c>). So each MatMul weight is found through the nodes: a MatMul whose second input is an
/// initializer feeds an Add whose other input is a named bias; the bias's name, less ".bias", names the layer.
/// Each LayerNorm is decomposed in the graph (ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div, Mul, Add); the
/// reader checks that there are 13 and that each adds ε = 1e-12 before its Sqrt.
/// </remarks>
internal static class OnnxBertReader
{
    private const int FloatType = 1; // TensorProto.DataType.FLOAT

    public static BertWeights Read(Stream onnx)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(onnx);
        GraphProto graph = model.Graph;
        Dictionary<string, TensorProto> initializers = graph.Initializer.ToDictionary(t => t.Name);
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (NodeProto node in graph.Node)
            foreach (string input in node.Input)
            {
                if (!consumers.TryGetValue(input, out List<NodeProto>? list)) consumers[input] = list = [];
                list.Add(node);
            }

        Dictionary<string, Linear> linears = FindLinears(graph, initializers, consumers);
        CheckEpsilons(graph);

        float[] Named(string name, params int[] dims) => Floats(Initializer(initializers, name), name, dims);
        NormWeights Norm(string prefix) => new(prefix,
            Named(prefix + ".weight", BertConfig.Hidden), Named(prefix + ".bias", BertConfig.Hidden));
        Linear Dense(string name) => linears.TryGetValue(name, out Linear? linear)
            ? linear
            : throw new InvalidDataException($"model.onnx: no MatMul + Add with the bias '{name}.bias'.");

        var layers = new BertLayer[BertConfig.Layers];
        for (int l = 0; l < layers.Length; l++)
        {
            string p = $"encoder.layer.{l}.";
            layers[l] = new BertLayer(
                Dense(p + "attention.self.query"), Dense(p + "attention.self.key"), Dense(p + "attention.self.value"),
                Dense(p + "attention.output.dense"), Norm(p + "attention.output.LayerNorm"),
                Dense(p + "intermediate.dense"), Dense(p + "output.dense"), Norm(p + "output.LayerNorm"));
        }
        return new BertWeights(
            Named("embeddings.word_embeddings.weight", BertConfig.VocabularySize, BertConfig.Hidden),
            Named("embeddings.position_embeddings.weight", BertConfig.MaxPositions, BertConfig.Hidden),
            Named("embeddings.token_type_embeddings.weight", BertConfig.TokenTypes, BertConfig.Hidden),
            Norm("embeddings.LayerNorm"),
            layers);
    }

    /// <summary>Every MatMul by an initializer that is followed by an Add of a named bias, keyed by the bias's layer name.</summary>
    private static Dictionary<string, Linear> FindLinears(GraphProto graph,
        Dictionary<string, TensorProto> initializers, Dictionary<string, List<NodeProto>> consumers)
    {
        var linears = new Dictionary<string, Linear>();
        foreach (NodeProto matMul in graph.Node.Where(n => n.OpType == "MatMul"))
        {
            if (!initializers.TryGetValue(matMul.Input[1], out TensorProto? weight)) continue; // attention's Q·Kᵀ, P·V
            NodeProto add = consumers.GetValueOrDefault(matMul.Output[0])?.SingleOrDefault(n => n.OpType == "Add")
                ?? throw new InvalidDataException($"model.onnx: MatMul '{matMul.Name}' has no Add after it.");
            string biasName = add.Input.Single(i => i != matMul.Output[0]);
            if (!biasName.EndsWith(".bias", StringComparison.Ordinal)
                || !initializers.TryGetValue(biasName, out TensorProto? bias))
                throw new InvalidDataException(
                    $"model.onnx: the Add after MatMul '{matMul.Name}' adds '{biasName}', not a named bias.");
            string name = biasName[..^".bias".Length];
            int inFeatures = (int)weight.Dims[0], outFeatures = (int)weight.Dims[1];
            linears.Add(name, new Linear(name, weight.Name, Floats(weight, weight.Name, inFeatures, outFeatures),
                Floats(bias, biasName, outFeatures), inFeatures, outFeatures));
        }
        return linears;
    }

    /// <summary>Each decomposed LayerNorm adds a Constant ε to the variance and takes its Sqrt; all 13 must add 1e-12.</summary>
    private static void CheckEpsilons(GraphProto graph)
    {
        Dictionary<string, NodeProto> producers = [];
        foreach (NodeProto node in graph.Node)
            foreach (string output in node.Output) producers[output] = node;
        int count = 0;
        foreach (NodeProto sqrt in graph.Node.Where(n => n.OpType == "Sqrt"))
        {
            NodeProto add = producers[sqrt.Input[0]];
            NodeProto? constant = add.Input.Select(i => producers.GetValueOrDefault(i))
                .SingleOrDefault(n => n?.OpType == "Constant");
            if (add.OpType != "Add" || constant is null)
                throw new InvalidDataException("model.onnx: a Sqrt is not preceded by the Add of a constant epsilon.");
            float epsilon = Floats(constant.Attribute.Single(a => a.Name == "value").T, constant.Output[0])[0];
            if (epsilon != BertConfig.Epsilon)
                throw new InvalidDataException(
                    $"model.onnx: a LayerNorm's epsilon is {epsilon:R}, expected {BertConfig.Epsilon:R}.");
            count++;
        }
        if (count != 2 * BertConfig.Layers + 1)
            throw new InvalidDataException($"model.onnx: {count} LayerNorms, expected {2 * BertConfig.Layers + 1}.");
    }

    private static TensorProto Initializer(Dictionary<string, TensorProto> initializers, string name)
        => initializers.TryGetValue(name, out TensorProto? tensor)
            ? tensor
            : throw new InvalidDataException($"model.onnx has no initializer '{name}'.");

    private static float[] Floats(TensorProto tensor, string name, params int[] dims)
    {
        if (tensor.DataType != FloatType)
            throw new InvalidDataException($"model.onnx: '{name}' is of ONNX type {tensor.DataType}, not float.");
        if (dims.Length > 0 && !tensor.Dims.Select(d => (int)d).SequenceEqual(dims))
            throw new InvalidDataException(
                $"model.onnx: '{name}' is [{string.Join(", ", tensor.Dims)}], expected [{string.Join(", ", dims)}].");
        if (tensor.FloatData.Count > 0) return tensor.FloatData.ToArray();
        // raw_data is little-endian, as ONNX specifies; so is every machine .NET runs this sample on.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("A big-endian machine.");
        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
