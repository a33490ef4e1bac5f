using Microsoft.CodeAnalysis.Diagnostics;

namespace NormGen.Generator.Interception;

/// <summary>The MSBuild switch for interceptors, made visible to the compiler by the package's build files.</summary>
internal static class InterceptionOptions
{
    /// <summary>The project property: <c>&lt;NormGenInterceptCalls&gt;true&lt;/NormGenInterceptCalls&gt;</c>.</summary>
    public const string PropertyName = "NormGenInterceptCalls";

    /// <summary>The namespace the interceptors live in; the build files add it to <c>InterceptorsNamespaces</c>.</summary>
    public const string Namespace = "NormGen.Generated.Interception";

    public static bool IsEnabled(AnalyzerConfigOptions globalOptions) =>
        globalOptions.TryGetValue("build_property." + PropertyName, out string? value)
        && bool.TryParse(value?.Trim(), out bool enabled)
        && enabled;
}
