using NormGen.Generator.Model;
using NormGen.Generator.Upgrade;

namespace NormGen.Generator.Interception;

/// <summary>One hidden kernel class: the generated class a <c>[LayerNorm(N)]</c> (or family) declaration would get.</summary>
/// <param name="Variant">The attribute and its options.</param>
/// <param name="HiddenSize">Features per row.</param>
/// <param name="Epsilon">The kernel's epsilon.</param>
internal sealed record KernelKey(KernelVariant Variant, int HiddenSize, float Epsilon)
{
    /// <summary>The hidden class's name, e.g. <c>LayerNorm768</c>, as the code fix would name it.</summary>
    public string ClassName => KernelNaming.ClassName(Variant, HiddenSize, Epsilon);

    /// <summary>The attribute this kernel corresponds to, e.g. <c>[LayerNorm(768)]</c>.</summary>
    public string Attribute => KernelNaming.Attribute(Variant, HiddenSize, Epsilon);
}

/// <summary>A parameter of the intercepted member, as its fully qualified type and its name.</summary>
internal sealed record ParameterInfo(string Type, string Name);

/// <summary>Where a call is, in the form <c>[InterceptsLocation(version, data)]</c> takes, plus a readable form.</summary>
/// <param name="Version">The encoding version of <paramref name="Data"/>.</param>
/// <param name="Data">The opaque location (checksum of the file, position, file name) the compiler reads back.</param>
/// <param name="Display">File name, line and column, for a comment: <c>Program.cs(12,9)</c>.</param>
internal sealed record InterceptedLocation(int Version, string Data, string Display);

/// <summary>One constant-size generic call the generator can redirect. Values only: no symbol, node or location.</summary>
/// <param name="Call">What was called, with its constant hidden size and epsilon.</param>
/// <param name="Parameters">The called member's parameters, which the interceptor repeats.</param>
/// <param name="Location">Where the call is.</param>
internal sealed record InterceptableCall(GenericCall Call, EquatableArray<ParameterInfo> Parameters, InterceptedLocation Location);

/// <summary>One interceptor method: the calls of one generic overload redirected to one hidden kernel's member.</summary>
/// <param name="Name">The method's name, unique in its class, e.g. <c>Forward_6</c>.</param>
/// <param name="GenericType">LayerNorm or RmsNorm.</param>
/// <param name="GenericMember">The intercepted member.</param>
/// <param name="TargetMember">The hidden kernel's member it forwards to.</param>
/// <param name="Parameters">The intercepted overload's parameters.</param>
/// <param name="Locations">Every call it intercepts, in source order.</param>
internal sealed record InterceptorMethod(
    string Name,
    string GenericType,
    string GenericMember,
    string TargetMember,
    EquatableArray<ParameterInfo> Parameters,
    EquatableArray<InterceptedLocation> Locations);

/// <summary>Every interceptor that forwards to one hidden kernel.</summary>
internal sealed record InterceptorGroup(KernelKey Kernel, EquatableArray<InterceptorMethod> Methods);

/// <summary>The text of one hidden kernel class (from the Emitter) or of its interceptors, keyed by the class name.</summary>
internal sealed record InterceptionText(string ClassName, string Text);
