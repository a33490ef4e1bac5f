using System;
using NormGen.Samples.SentenceEmbeddings;
using NormGen.Samples.SentenceEmbeddings.OnnxModel;
using Xunit;

namespace NormGen.SentenceEmbeddings.Tests;

/// <summary>The model, read once for all the tests (about 90 MB of ONNX), and an ONNX Runtime session on it.</summary>
public sealed class ModelFixture : IDisposable
{
    internal MiniLmModel Model { get; } = MiniLmModel.Load();
    private OrtEncoder? _ort;
    internal OrtEncoder Ort => _ort ??= new OrtEncoder(Model.Onnx);

    public void Dispose() => _ort?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "all-MiniLM-L6-v2";
}
