using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NormGen.Generator.Interception;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>
/// Writes a forward and backward kernel specialized to the hidden size of each <c>[NormGen.LayerNorm(N)]</c>
/// and <c>[NormGen.RmsNorm(N)]</c> class. The pipeline only, once per attribute: syntax -> <see cref="KernelSpec"/>
/// (<see cref="Parser"/>) -> <see cref="KernelPlan"/> (<see cref="Planner"/>) -> text (<see cref="Emitter"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LayerNormGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Register(context, context.SyntaxProvider
            .ForAttributeWithMetadataName(Parser.LayerNormAttributeName, Parser.IsCandidate, Parser.ParseLayerNorm)
            .WithTrackingName(TrackingNames.Parse));
        Register(context, context.SyntaxProvider
            .ForAttributeWithMetadataName(Parser.RmsNormAttributeName, Parser.IsCandidate, Parser.ParseRmsNorm)
            .WithTrackingName(TrackingNames.Parse));
        RegisterInterceptors(context);
    }

    private static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult> results)
    {
        IncrementalValuesProvider<DiagnosticInfo> diagnostics = results
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        IncrementalValuesProvider<KernelSpec> specs = results
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.Specs);

        IncrementalValuesProvider<KernelPlan> plans = specs
            .Select(Planner.Plan)
            .WithTrackingName(TrackingNames.Plans);

        IncrementalValueProvider<ImmutableArray<GeneratedSource>> sources = plans
            .Select(Emitter.Emit)
            .WithTrackingName(TrackingNames.Sources)
            .Collect();

        context.RegisterSourceOutput(sources, static (spc, files) =>
        {
            // Two attributed declarations of one class (already a compiler error) would give the same
            // hint name, and AddSource throws on a duplicate; the first one wins.
            var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            foreach (GeneratedSource file in files)
            {
                if (seen.Add(file.HintName))
                    spc.AddSource(file.HintName, file.Text);
            }
        });
    }

    /// <summary>
    /// The opt-in interceptors: constant-size generic calls -> groups per hidden kernel
    /// (<see cref="InterceptionPlanner"/>) -> each kernel through the ordinary Planner and Emitter, and its
    /// interceptors (<see cref="InterceptorEmitter"/>) -> one file per kernel. Nothing is written unless the project
    /// sets NormGenInterceptCalls. A change of calls only (a call moved) re-emits the interceptors, not the kernels.
    /// </summary>
    private static void RegisterInterceptors(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<bool> enabled = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => InterceptionOptions.IsEnabled(options.GlobalOptions))
            .WithTrackingName(TrackingNames.InterceptionEnabled);

        IncrementalValuesProvider<InterceptableCall> calls = context.SyntaxProvider
            .CreateSyntaxProvider(CallParser.IsCandidate, CallParser.Parse)
            .Where(static call => call is not null)
            .Select(static (call, _) => call!)
            .WithTrackingName(TrackingNames.InterceptableCalls);

        IncrementalValuesProvider<InterceptorGroup> groups = calls
            .Collect()
            .Combine(enabled)
            .SelectMany(static (pair, cancellationToken) =>
                pair.Right ? InterceptionPlanner.Group(pair.Left, cancellationToken) : ImmutableArray<InterceptorGroup>.Empty)
            .WithTrackingName(TrackingNames.InterceptorGroups);

        IncrementalValueProvider<ImmutableArray<InterceptionText>> kernels = groups
            .Select(static (group, _) => group.Kernel)
            .WithTrackingName(TrackingNames.InterceptedKernels)
            .Select(static (kernel, cancellationToken) => Planner.Plan(InterceptionPlanner.Spec(kernel), cancellationToken))
            .WithTrackingName(TrackingNames.InterceptedKernelPlans)
            .Select(static (plan, cancellationToken) => new InterceptionText(plan.Spec.Type.Name, Emitter.Emit(plan, cancellationToken).Text))
            .WithTrackingName(TrackingNames.InterceptedKernelSources)
            .Collect();

        IncrementalValueProvider<ImmutableArray<InterceptionText>> interceptors = groups
            .Select(InterceptorEmitter.Emit)
            .WithTrackingName(TrackingNames.InterceptorSources)
            .Collect();

        context.RegisterSourceOutput(kernels.Combine(interceptors), static (spc, pair) =>
        {
            // The hidden class is file-local, so its interceptors go into its file: kernel text, then interceptors.
            foreach (InterceptionText interceptor in pair.Right)
            {
                foreach (InterceptionText kernel in pair.Left)
                {
                    if (kernel.ClassName == interceptor.ClassName)
                        spc.AddSource(InterceptionPlanner.HintName(kernel.ClassName), kernel.Text + interceptor.Text);
                }
            }
        });
    }
}
