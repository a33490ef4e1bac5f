namespace NormGen.Generator.Upgrade;

/// <summary>
/// A call of a generic-path member (<c>NormGen.LayerNorm.*</c> or <c>NormGen.RmsNorm.*</c>) whose hidden size, and
/// epsilon where the member has one, are compile-time constants a generated kernel can be written for. Values only.
/// </summary>
/// <param name="GenericType">The generic class called: LayerNorm or RmsNorm.</param>
/// <param name="GenericMember">The member called, e.g. <c>ForwardNoBias</c>.</param>
/// <param name="Variant">The generated class that has the same member.</param>
/// <param name="TargetMember">That class's member, e.g. <c>Forward</c> for <c>ForwardNoBias</c>.</param>
/// <param name="HiddenSize">The constant hidden size.</param>
/// <param name="Epsilon">The constant epsilon (its default when the argument is omitted), or null for a member
/// without one (the backward members): any kernel of that variant and size then computes the same bits.</param>
internal sealed record GenericCall(
    string GenericType,
    string GenericMember,
    KernelVariant Variant,
    string TargetMember,
    int HiddenSize,
    float? Epsilon)
{
    /// <summary>The epsilon of the kernel to use: the call's, or the default for a member without one.</summary>
    public float KernelEpsilon => Epsilon ?? KernelNaming.DefaultEpsilon;

    /// <summary>The attribute a class for this call carries, e.g. <c>[LayerNorm(768)]</c>.</summary>
    public string Attribute => KernelNaming.Attribute(Variant, HiddenSize, KernelEpsilon);
}
