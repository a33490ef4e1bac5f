using System.Collections.Generic;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>The public members of the user's class: signatures and docs, in the user's namespace (so every type name
/// is <c>global::</c>-qualified). Each member forwards to its body in the entry-points class.</summary>
internal static partial class Emitter
{
    private const string ArgumentExceptionDoc = "<exception cref=\"global::System.ArgumentException\">";

    private static void EmitPublicMembers(SourceWriter writer, KernelPlan plan)
    {
        KernelSpec spec = plan.Spec;
        var parameters = new Parameters(spec);
        writer.WriteDoc("<summary>Features per row: the hidden size these kernels are specialized for.</summary>");
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.WriteLine($"public const int HiddenSize = {Int(spec.HiddenSize)};");
        writer.WriteLine();
        writer.WriteDoc($"<summary>Added to the {(spec.HasMean ? "variance" : "mean square")} before the square root.</summary>");
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.WriteLine($"public const float Epsilon = {Float(spec.Epsilon)};");
        writer.WriteLine();

        string[] forward = parameters.Forward(residual: false, statistics: false);
        string[] forwardWithStatistics = parameters.Forward(residual: false, statistics: true);
        string[] backward = parameters.Backward();
        string forwardCref = $"Forward({Parameters.Cref(forward, false, false)})";
        string forwardWithStatisticsCref = $"Forward({Parameters.Cref(forwardWithStatistics, false, false)})";
        string backwardCref = "Backward";   // one overload

        writer.WriteDoc($"<summary>{Formula(spec, "x")}, row by row, for rows of exactly {spec.HiddenSize} features.</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, forward, backward: false);
        writer.WriteDoc(ArgumentExceptionDoc + "A span has the wrong length, or an output partially overlaps an input.</exception>");
        WriteForwardingMember(writer, plan.Spec, "Forward", forward, backward: false, parallel: false);

        writer.WriteDoc($"<summary>As <see cref=\"{forwardCref}\"/>, and saves each row's "
            + (spec.HasMean ? "mean and rstd = 1 / sqrt(var" : "rstd = 1 / sqrt(mean(x²)")
            + $" + <see cref=\"Epsilon\"/>) for <see cref=\"{backwardCref}\"/>.</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, forwardWithStatistics, backward: false);
        writer.WriteDoc(ArgumentExceptionDoc + "A span has the wrong length, or an output overlaps an input.</exception>");
        WriteForwardingMember(writer, plan.Spec, "Forward", forwardWithStatistics, backward: false, parallel: false);

        string gradients = !spec.HasGamma ? ""
            : (spec.HasBeta
                ? " <paramref name=\"dgamma\"/> and <paramref name=\"dbeta\"/> are overwritten with Σ_rows dy · xhat and Σ_rows dy"
                : " <paramref name=\"dgamma\"/> is overwritten with Σ_rows dy · xhat")
            + " (zero when there are no rows), summed over blocks of rows in float and the block sums in double, in a fixed order.";
        writer.WriteDoc($"<summary>Gradients of {(spec.HasMean ? "LayerNorm" : "RMSNorm")}. {BackwardFormula(spec)}"
            + $"{(spec.HasGamma ? ";" : ".")}{gradients}</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, backward, backward: true);
        writer.WriteDoc(ArgumentExceptionDoc + "A span has the wrong length, or an output overlaps an input.</exception>");
        WriteForwardingMember(writer, plan.Spec, "Backward", backward, backward: true, parallel: false);

        EmitResidualMembers(writer, plan, parameters, backwardCref);
        EmitParallelMembers(writer, plan, parameters, forwardCref, forwardWithStatisticsCref, backwardCref);
        if (spec.IsFullLayerNorm)
            EmitKernelType(writer, spec);
    }

    /// <summary>A public member whose body is its namesake in the entry-points class, with the same arguments.</summary>
    private static void WriteForwardingMember(
        SourceWriter writer, KernelSpec spec, string name, string[] names, bool backward, bool parallel)
    {
        List<string> declarations = Parameters.Declarations(names, backward, memory: parallel, qualified: true);
        List<string> arguments = names.ToList();
        if (parallel)
        {
            declarations.Add("int degreeOfParallelism");
            arguments.Add("degreeOfParallelism");
        }
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.WriteList($"public static void {name}(", declarations, ")", onePerLine: true);
        writer.Indent();
        writer.WriteList($"=> global::{KernelsNamespace}.{EntryPointsClass(spec)}.{name}(", arguments, ");", onePerLine: false);
        writer.Unindent();
        writer.WriteLine();
    }

    /// <summary>ForwardResidual: sum = x + residual and the norm of sum, one pass over memory per row.</summary>
    private static void EmitResidualMembers(SourceWriter writer, KernelPlan plan, Parameters parameters, string backwardCref)
    {
        KernelSpec spec = plan.Spec;
        string[] plain = parameters.Forward(residual: true, statistics: false);
        string[] withStatistics = parameters.Forward(residual: true, statistics: true);

        writer.WriteDoc($"<summary>The residual add fused into the norm: sum = x + residual, then {Formula(spec, "sum")}, "
            + "row by row. Each row is read once from memory and sum and y are written once, where an add followed by "
            + "Forward would write sum and read it back. sum and y are bit-identical to that add followed by "
            + "Forward.</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, plain, backward: false);
        writer.WriteDoc(ArgumentExceptionDoc + "A span has the wrong length, or an output partially overlaps an input.</exception>");
        WriteForwardingMember(writer, spec, "ForwardResidual", plain, backward: false, parallel: false);

        writer.WriteDoc($"<summary>As <see cref=\"ForwardResidual({Parameters.Cref(plain, false, false)})\"/>, and saves "
            + $"each row's {(spec.HasMean ? "mean and rstd" : "rstd")}. There is no separate backward for the fused form: "
            + $"the norm's input is <paramref name=\"sum\"/>, so call <see cref=\"{backwardCref}\"/> with "
            + "<paramref name=\"sum\"/> as x. The dx it returns is the gradient of both <paramref name=\"x\"/> and "
            + "<paramref name=\"residual\"/> (add to it any gradient that reaches sum by another path).</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, withStatistics, backward: false);
        writer.WriteDoc(ArgumentExceptionDoc + "A span has the wrong length, or an output overlaps an input.</exception>");
        WriteForwardingMember(writer, spec, "ForwardResidual", withStatistics, backward: false, parallel: false);
    }

    /// <summary>ForwardParallel and BackwardParallel: the same kernels, rows spread over threads by the runtime's
    /// RowScheduler.</summary>
    private static void EmitParallelMembers(
        SourceWriter writer, KernelPlan plan, Parameters parameters, string forwardCref, string forwardWithStatisticsCref,
        string backwardCref)
    {
        const string threadsDoc = "<param name=\"degreeOfParallelism\">The most threads to use, at least 1 (e.g. "
            + "<see cref=\"global::System.Environment.ProcessorCount\"/>).</param>";
        const string outOfRangeDoc = "<exception cref=\"global::System.ArgumentOutOfRangeException\">"
            + "<paramref name=\"degreeOfParallelism\"/> is less than 1.</exception>";
        const string spread = "with the rows spread over up to <paramref name=\"degreeOfParallelism\"/> threads.";
        KernelSpec spec = plan.Spec;
        string[] forward = parameters.Forward(residual: false, statistics: false);
        string[] forwardWithStatistics = parameters.Forward(residual: false, statistics: true);
        string[] backward = parameters.Backward();

        writer.WriteDoc($"<summary>As <see cref=\"{forwardCref}\"/>, {spread}</summary>");
        writer.WriteDoc("<remarks>The buffers are <see cref=\"global::System.Memory{T}\"/> because a span cannot be "
            + "shared with other threads; arrays convert implicitly. Rows are split into contiguous ranges, one per "
            + "thread; a call with too little work for two threads runs serially. Every output is bit-identical to the "
            + "serial call's, for any degree of parallelism.</remarks>");
        WriteParamDocs(writer, spec, forward, backward: false);
        writer.WriteDoc(threadsDoc);
        writer.WriteDoc(ArgumentExceptionDoc + "A buffer has the wrong length, or an output partially overlaps an input.</exception>");
        writer.WriteDoc(outOfRangeDoc);
        WriteForwardingMember(writer, spec, "ForwardParallel", forward, backward: false, parallel: true);

        writer.WriteDoc($"<summary>As <see cref=\"{forwardWithStatisticsCref}\"/>, {spread}</summary>");
        writer.WriteDoc($"<remarks>See <see cref=\"ForwardParallel({Parameters.Cref(forward, false, true)}, int)\"/>.</remarks>");
        WriteParamDocs(writer, spec, forwardWithStatistics, backward: false);
        writer.WriteDoc(threadsDoc);
        writer.WriteDoc(ArgumentExceptionDoc + "A buffer has the wrong length, or an output overlaps an input.</exception>");
        writer.WriteDoc(outOfRangeDoc);
        WriteForwardingMember(writer, spec, "ForwardParallel", forwardWithStatistics, backward: false, parallel: true);

        string determinism = spec.HasGamma
            ? $"{(spec.HasBeta ? "dgamma and dbeta are" : "dgamma is")} reduced from fixed blocks of rows combined in a "
                + "fixed order, so every output is bit-identical"
            : "Each row's dx is computed by the same code whichever thread runs it, so every output is bit-identical";
        writer.WriteDoc($"<summary>As <see cref=\"{backwardCref}\"/>, {spread}</summary>");
        writer.WriteDoc($"<remarks>{determinism} to the serial call's, for any degree of parallelism. A call with too "
            + "little work for two threads runs serially.</remarks>");
        WriteParamDocs(writer, spec, backward, backward: true);
        writer.WriteDoc(threadsDoc);
        writer.WriteDoc(ArgumentExceptionDoc + "A buffer has the wrong length, or an output overlaps an input.</exception>");
        writer.WriteDoc(outOfRangeDoc);
        WriteForwardingMember(writer, spec, "BackwardParallel", backward, backward: true, parallel: true);
    }

    /// <summary>
    /// A nested type that implements ILayerNormKernel by forwarding to the class's members: a static
    /// class can't implement an interface, and generic code (LayerNormLayer&lt;T&gt;) needs a type argument.
    /// </summary>
    private static void EmitKernelType(SourceWriter writer, KernelSpec spec)
    {
        var parameters = new Parameters(spec);
        string owner = "global::" + TargetName(spec);
        writer.WriteDoc("<summary>This kernel as a <see cref=\"global::NormGen.ILayerNormKernel\"/>, for generic code "
            + $"specialized by kernel, e.g. <c>new global::NormGen.LayerNormLayer&lt;{spec.Type.Name}.Kernel&gt;()</c>.</summary>");
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.OpenBlock("public sealed class Kernel : global::NormGen.ILayerNormKernel");
        writer.WriteLine("private Kernel() { }");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.WriteLine($"public static int HiddenSize => {owner}.HiddenSize;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(QualifiedGeneratedCodeAttribute);
        writer.WriteLine($"public static float Epsilon => {owner}.Epsilon;");
        foreach ((string name, string[] names, bool backward) in new[]
        {
            ("Forward", parameters.Forward(residual: false, statistics: false), false),
            ("Forward", parameters.Forward(residual: false, statistics: true), false),
            ("Backward", parameters.Backward(), true),
        })
        {
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(QualifiedGeneratedCodeAttribute);
            writer.WriteList($"public static void {name}(", Parameters.Declarations(names, backward, memory: false, qualified: true),
                ")", onePerLine: true);
            writer.Indent();
            writer.WriteList($"=> {owner}.{name}(", names, ");", onePerLine: false);
            writer.Unindent();
        }
        writer.CloseBlock();
    }

    /// <summary>The forward formula applied to <paramref name="input"/>, for a summary.</summary>
    private static string Formula(KernelSpec spec, string input)
    {
        string normalized = spec.HasMean
            ? $"({input} − mean) / sqrt(var + <see cref=\"Epsilon\"/>)"
            : $"{input} / sqrt(mean({input}²) + <see cref=\"Epsilon\"/>)";
        return "y = " + normalized + (spec.HasGamma ? " · gamma" : "") + (spec.HasBeta ? " + beta" : "");
    }

    private static string BackwardFormula(KernelSpec spec)
    {
        string g = spec.HasGamma ? "g = dy · gamma" : "g = dy";
        return spec.HasMean
            ? $"dx = rstd · (g − mean(g) − xhat · mean(g · xhat)) with {g}"
            : $"dx = rstd · (g − xhat · mean(g · xhat)) with xhat = x · rstd and {g}";
    }

    private static void WriteParamDocs(SourceWriter writer, KernelSpec spec, string[] names, bool backward)
    {
        string statistic = spec.HasMean ? "var" : "mean(x²)";
        foreach (string name in names)
        {
            string text = (name, backward) switch
            {
                ("x", false) => names.Contains("residual") ? "Input, rows × <see cref=\"HiddenSize\"/>, row-major; may be <paramref name=\"sum\"/> or <paramref name=\"y\"/> itself." : "Input, rows × <see cref=\"HiddenSize\"/>, row-major.",
                ("x", true) => "The forward input (for the fused residual form, its <c>sum</c>).",
                ("residual", _) => "The residual added to <paramref name=\"x\"/>, same length; may be <paramref name=\"sum\"/> or <paramref name=\"y\"/> itself.",
                ("gamma", _) => "Scale, <see cref=\"HiddenSize\"/> values.",
                ("beta", _) => "Shift, <see cref=\"HiddenSize\"/> values.",
                ("sum", _) => "Output x + residual, same length as <paramref name=\"x\"/>: the norm's input, kept for the backward pass.",
                ("y", _) => names.Contains("residual")
                    ? "Output, same length as <paramref name=\"x\"/>; may be <paramref name=\"x\"/> or <paramref name=\"residual\"/> itself, not <paramref name=\"sum\"/>."
                    : "Output, same length as <paramref name=\"x\"/>; may be <paramref name=\"x\"/> itself.",
                ("mean", false) => "Per-row mean, one value per row.",
                ("mean", true) => "Per-row mean saved by the forward pass; its length is checked, the row's centre is recomputed from <paramref name=\"x\"/>.",
                ("rstd", false) => $"Per-row 1 / sqrt({statistic} + <see cref=\"Epsilon\"/>), one value per row.",
                ("rstd", true) => $"Per-row 1 / sqrt({statistic} + <see cref=\"Epsilon\"/>) saved by the forward pass.",
                ("dy", _) => "Gradient of the loss with respect to y, rows × <see cref=\"HiddenSize\"/>.",
                ("dx", _) => "Gradient with respect to x, same length as <paramref name=\"x\"/>.",
                ("dgamma", _) => "Gradient with respect to gamma, overwritten.",
                ("dbeta", _) => "Gradient with respect to beta, overwritten.",
                _ => throw new System.ArgumentException("No documentation for parameter " + name, nameof(names)),
            };
            writer.WriteDoc($"<param name=\"{name}\">{text}</param>");
        }
    }
}
