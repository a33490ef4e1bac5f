using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
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
}
