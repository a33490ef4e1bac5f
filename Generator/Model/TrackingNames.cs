namespace NormGen.Generator.Model;

/// <summary>Names of the incremental pipeline steps, so tests can check what was cached.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Specs = nameof(Specs);
    public const string Plans = nameof(Plans);
    public const string Sources = nameof(Sources);

    public static readonly string[] All = { Parse, Diagnostics, Specs, Plans, Sources };
}
