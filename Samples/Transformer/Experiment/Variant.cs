namespace NormGen.Samples.Transformer;

/// <summary>One arm of the comparison: where the norms sit and which norm it is.</summary>
internal sealed record Variant(string Name, NormPlacement Placement, NormKind Norm)
{
    public static readonly Variant PreLayerNorm = new("pre-LN", NormPlacement.Pre, NormKind.Generated);
    public static readonly Variant PostLayerNorm = new("post-LN", NormPlacement.Post, NormKind.Generated);
    public static readonly Variant NoNorm = new("no norm", NormPlacement.Pre, NormKind.None);
    public static readonly Variant BatchNorm = new("BatchNorm", NormPlacement.Pre, NormKind.BatchNorm);

    /// <summary>The four arms, in the order the tables print them.</summary>
    public static readonly Variant[] All = [PreLayerNorm, PostLayerNorm, NoNorm, BatchNorm];
}
