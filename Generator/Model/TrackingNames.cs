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

    // The interceptors' pipeline (NormGenInterceptCalls).
    public const string InterceptionEnabled = nameof(InterceptionEnabled);
    public const string InterceptableCalls = nameof(InterceptableCalls);
    public const string InterceptorGroups = nameof(InterceptorGroups);
    public const string InterceptedKernels = nameof(InterceptedKernels);
    public const string InterceptedKernelPlans = nameof(InterceptedKernelPlans);
    public const string InterceptedKernelSources = nameof(InterceptedKernelSources);
    public const string InterceptorSources = nameof(InterceptorSources);

    public static readonly string[] Interception =
    {
        InterceptionEnabled, InterceptableCalls, InterceptorGroups, InterceptedKernels, InterceptedKernelPlans,
        InterceptedKernelSources, InterceptorSources,
    };
}
