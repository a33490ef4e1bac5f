using System.Linq;
using NormGen.Samples.SentenceEmbeddings;
using NormGen.Samples.SentenceEmbeddings.Model;
using Onnx;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary>The weights come from model.onnx's graph: the MatMul weights have exporter-made names.</summary>
[Collection(ModelCollection.Name)]
public sealed class OnnxReaderTests(ModelFixture fixture)
{
    [Fact]
    public void The_graph_is_the_one_the_reader_expects()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(fixture.Model.Onnx);
        Assert.Equal(13, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(650, model.Graph.Node.Count);
        Assert.Equal(148, model.Graph.Initializer.Count);
        Assert.Equal(13, model.Graph.Node.Count(n => n.OpType == "Sqrt"));             // 13 decomposed LayerNorms
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "LayerNormalization");
    }

    [Fact]
    public void Each_matmul_weight_is_found_through_the_nodes()
    {
        BertLayer[] layers = fixture.Model.Weights.Layers;
        Assert.Equal("927", layers[0].Query.WeightName); // the first MatMul of the graph
        Linear[] all = layers.SelectMany(l => new[]
            { l.Query, l.Key, l.Value, l.AttentionOutput, l.Intermediate, l.Output }).ToArray();
        Assert.Equal(36, all.Select(l => l.WeightName).Distinct().Count());
        Assert.All(all, l => Assert.True(int.TryParse(l.WeightName, out _), l.WeightName)); // no PyTorch names
        Assert.All(layers, l => Assert.Equal((384, 1536), (l.Intermediate.In, l.Intermediate.Out)));
        Assert.All(layers, l => Assert.Equal((1536, 384), (l.Output.In, l.Output.Out)));
    }
}
