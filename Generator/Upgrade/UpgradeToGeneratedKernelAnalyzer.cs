using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NormGen.Generator.Interception;

namespace NormGen.Generator.Upgrade;

/// <summary>
/// NG1001 (Info): a call of the generic <c>LayerNorm.*</c> or <c>RmsNorm.*</c> with a constant hidden size (and a
/// constant epsilon, or none) could call a kernel generated for that size. NormGen.CodeFixes offers the fix, as
/// the Regex generator's SYSLIB1045 offers <c>[GeneratedRegex]</c> for <c>new Regex("constant")</c>.
/// </summary>
/// <remarks>
/// Not reported in generated code (NormGen's own included), nor in a project that sets
/// <c>NormGenInterceptCalls</c>, where the generator already redirects these calls to generated kernels.
/// The diagnostic's properties carry what the fix needs, so the fix does not parse the call again.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UpgradeToGeneratedKernelAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property: the <see cref="KernelVariant"/> of the class to call.</summary>
    public const string VariantProperty = "Variant";

    /// <summary>Property: the constant hidden size.</summary>
    public const string HiddenSizeProperty = "HiddenSize";

    /// <summary>Property: the constant epsilon in round-trip form; absent for a member without an epsilon.</summary>
    public const string EpsilonProperty = "Epsilon";

    /// <summary>Property: the generated class's member that replaces the call's, e.g. Forward for ForwardNoBias.</summary>
    public const string TargetMemberProperty = "TargetMember";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UpgradeToGeneratedKernel);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (InterceptionOptions.IsEnabled(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
                return;
            if (start.Compilation.GetTypeByMetadataName("NormGen.LayerNorm") is null)
                return;
            start.RegisterOperationAction(Analyze, OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (GenericCallParser.Parse(invocation) is not GenericCall call)
            return;

        ImmutableDictionary<string, string?>.Builder properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[VariantProperty] = call.Variant.ToString();
        properties[HiddenSizeProperty] = call.HiddenSize.ToString(CultureInfo.InvariantCulture);
        properties[TargetMemberProperty] = call.TargetMember;
        if (call.Epsilon is float epsilon)
            properties[EpsilonProperty] = epsilon.ToString("R", CultureInfo.InvariantCulture);

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UpgradeToGeneratedKernel,
            invocation.Syntax.GetLocation(),
            properties.ToImmutable(),
            call.GenericType,
            call.GenericMember,
            call.HiddenSize.ToString(CultureInfo.InvariantCulture),
            call.Attribute));
    }
}
