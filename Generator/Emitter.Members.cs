using System.Collections.Generic;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    private const string ReadOnlyMemory = "global::System.ReadOnlyMemory<float>";
    private const string Memory = "global::System.Memory<float>";
    private const string NormParts = "global::NormGen.NormParts";

    /// <summary>The order of the general Validation.Forward's span arguments; absent ones are passed as <c>default</c>.</summary>
    private static readonly string[] ForwardValidationSlots = { "x", "residual", "gamma", "beta", "sum", "y", "mean", "rstd" };

    /// <summary>The order of the general Validation.Backward's span arguments.</summary>
    private static readonly string[] BackwardValidationSlots = { "dy", "x", "gamma", "mean", "rstd", "dx", "dgamma", "dbeta" };

    /// <summary>The row kernels' parameters: the same for every variant, so one IRowKernel shape serves them all;
    /// a span the variant does not have is passed as <c>default</c> and never read.</summary>
    private static readonly string[] ForwardKernelSlots = { "x", "gamma", "beta", "y", "mean", "rstd" };

    private static readonly string[] ResidualKernelSlots = { "x", "residual", "gamma", "beta", "sum", "y", "mean", "rstd" };

    private static readonly string[] BackwardKernelSlots = { "dy", "x", "gamma", "rstd", "dx", "dgamma", "dbeta" };

    /// <summary>Which spans a variant's public members take, in order. Every member list is derived from the spec
    /// here, so the signatures, the docs, the checks and the kernel calls cannot disagree.</summary>
    private sealed class Parameters
    {
        private readonly KernelSpec _spec;

        public Parameters(KernelSpec spec) => _spec = spec;

        /// <summary>Whether the variant has the span <paramref name="name"/> at all (gamma, beta and their gradients may be absent).</summary>
        public bool Has(string name) => name switch
        {
            "gamma" or "dgamma" => _spec.HasGamma,
            "beta" or "dbeta" => _spec.HasBeta,
            "mean" => _spec.HasMean,
            _ => true,
        };

        public string[] Forward(bool residual, bool statistics)
        {
            var names = new List<string> { "x" };
            if (residual)
                names.Add("residual");
            if (_spec.HasGamma)
                names.Add("gamma");
            if (_spec.HasBeta)
                names.Add("beta");
            if (residual)
                names.Add("sum");
            names.Add("y");
            if (statistics && _spec.HasMean)
                names.Add("mean");
            if (statistics)
                names.Add("rstd");
            return names.ToArray();
        }

        public string[] Backward()
        {
            var names = new List<string> { "dy", "x" };
            if (_spec.HasGamma)
                names.Add("gamma");
            if (_spec.HasMean)
                names.Add("mean");
            names.Add("rstd");
            names.Add("dx");
            if (_spec.HasGamma)
                names.Add("dgamma");
            if (_spec.HasBeta)
                names.Add("dbeta");
            return names.ToArray();
        }

        /// <summary>The NormParts flags that tell Validation which optional spans <paramref name="names"/> has
        /// (backward always has rstd, so it carries no Rstd flag).</summary>
        public static string Parts(string[] names, bool backward)
        {
            var parts = new List<string>();
            if (names.Contains("gamma")) parts.Add("Gamma");
            if (names.Contains(backward ? "dbeta" : "beta")) parts.Add("Beta");
            if (names.Contains("mean")) parts.Add("Mean");
            if (!backward && names.Contains("rstd")) parts.Add("Rstd");
            if (names.Contains("residual")) parts.Add("Residual");
            return parts.Count == 0 ? $"{NormParts}.None" : string.Join(" | ", parts.Select(p => $"{NormParts}.{p}"));
        }

        /// <summary>The arguments for <paramref name="slots"/>: the parameter (with <paramref name="suffix"/>, e.g. ".Span") where the member has it, else <c>default</c>.</summary>
        public static string Arguments(string[] slots, string[] names, string suffix = "") =>
            string.Join(", ", slots.Select(slot => names.Contains(slot) ? slot + suffix : "default"));

        public static bool IsOutput(string name, bool backward) =>
            backward ? name is "dx" or "dgamma" or "dbeta" : name is "sum" or "y" or "mean" or "rstd";

        public static string Declaration(string[] names, bool backward, bool memory) =>
            string.Join(", ", names.Select(name => $"{Type(name, backward, memory)} {name}"));

        /// <summary>The cref form of a member's parameter list, e.g. <c>global::System.ReadOnlySpan{float}, ...</c>.</summary>
        public static string Cref(string[] names, bool backward, bool memory) =>
            string.Join(", ", names.Select(name => Type(name, backward, memory).Replace("<float>", "{float}")));

        private static string Type(string name, bool backward, bool memory) =>
            IsOutput(name, backward) ? (memory ? Memory : Span) : (memory ? ReadOnlyMemory : ReadOnlySpan);
    }

    private static void EmitPublicMembers(SourceWriter writer, KernelPlan plan)
    {
        KernelSpec spec = plan.Spec;
        var parameters = new Parameters(spec);
        writer.WriteLine("/// <summary>Features per row: the hidden size these kernels are specialized for.</summary>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public const int HiddenSize = {Int(spec.HiddenSize)};");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Added to the {(spec.HasMean ? "variance" : "mean square")} before the square root.</summary>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public const float Epsilon = {Float(spec.Epsilon)};");
        writer.WriteLine();

        string[] forward = parameters.Forward(residual: false, statistics: false);
        string[] forwardWithStatistics = parameters.Forward(residual: false, statistics: true);
        string[] backward = parameters.Backward();
        string forwardCref = $"Forward({Parameters.Cref(forward, false, false)})";
        string forwardWithStatisticsCref = $"Forward({Parameters.Cref(forwardWithStatistics, false, false)})";
        string backwardCref = "Backward";   // one overload

        writer.WriteLine($"/// <summary>{Formula(spec, "x")}, row by row, for rows of exactly {spec.HiddenSize} features.</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, forward, backward: false);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or an output partially overlaps an input.</exception>");
        WriteForwardMember(writer, plan, "Forward", forward);

        writer.WriteLine($"/// <summary>As <see cref=\"{forwardCref}\"/>,");
        writer.WriteLine($"/// and saves each row's {(spec.HasMean ? "mean and rstd = 1 / sqrt(var" : "rstd = 1 / sqrt(mean(x²)")} + <see cref=\"Epsilon\"/>) for <see cref=\"{backwardCref}\"/>.</summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, forwardWithStatistics, backward: false);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or an output overlaps an input.</exception>");
        WriteForwardMember(writer, plan, "Forward", forwardWithStatistics);

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Gradients of {(spec.HasMean ? "LayerNorm" : "RMSNorm")}. {BackwardFormula(spec)}{(spec.HasGamma ? ";" : ".")}");
        if (spec.HasGamma)
        {
            writer.WriteLine(spec.HasBeta
                ? "/// <paramref name=\"dgamma\"/> and <paramref name=\"dbeta\"/> are overwritten with Σ_rows dy · xhat and Σ_rows dy"
                : "/// <paramref name=\"dgamma\"/> is overwritten with Σ_rows dy · xhat");
            writer.WriteLine("/// (zero when there are no rows), summed over blocks of rows in float and the block sums in double, in a fixed order.");
        }
        writer.WriteLine("/// </summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, backward, backward: true);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or an output overlaps an input.</exception>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"public static void Backward({Parameters.Declaration(backward, true, false)})");
        writer.WriteLine($"int rows = global::NormGen.Validation.Backward({Parameters.Parts(backward, backward: true)}, {Parameters.Arguments(BackwardValidationSlots, backward)}, HiddenSize);");
        WriteSchedulerDispatch(writer, plan, "Backward", $"{Parameters.Arguments(BackwardKernelSlots, backward)}, rows, HiddenSize");
        writer.CloseBlock();
        writer.WriteLine();

        EmitResidualMembers(writer, plan, parameters, backwardCref);
        EmitParallelMembers(writer, plan, parameters, forwardCref, forwardWithStatisticsCref, backwardCref);
        if (spec.IsFullLayerNorm)
            EmitKernelType(writer, spec);
    }

    private static void WriteForwardMember(SourceWriter writer, KernelPlan plan, string name, string[] parameters)
    {
        bool residual = parameters.Contains("residual");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"public static void {name}({Parameters.Declaration(parameters, false, false)})");
        writer.WriteLine($"int rows = global::NormGen.Validation.Forward({Parameters.Parts(parameters, backward: false)}, {Parameters.Arguments(ForwardValidationSlots, parameters)}, HiddenSize, Epsilon);");
        WriteDispatch(writer, plan, residual ? "ForwardResidual" : "Forward",
            $"{Parameters.Arguments(residual ? ResidualKernelSlots : ForwardKernelSlots, parameters)}, rows");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>ForwardResidual: sum = x + residual and the norm of sum, one pass over memory per row.</summary>
    private static void EmitResidualMembers(SourceWriter writer, KernelPlan plan, Parameters parameters, string backwardCref)
    {
        KernelSpec spec = plan.Spec;
        string[] plain = parameters.Forward(residual: true, statistics: false);
        string[] withStatistics = parameters.Forward(residual: true, statistics: true);

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// The residual add fused into the norm: sum = x + residual, then {Formula(spec, "sum")}, row by row.");
        writer.WriteLine("/// Each row is read once from memory and sum and y are written once, where an add followed by Forward would");
        writer.WriteLine("/// write sum and read it back. sum and y are bit-identical to that add followed by Forward.");
        writer.WriteLine("/// </summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, plain, backward: false);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or an output partially overlaps an input.</exception>");
        WriteForwardMember(writer, plan, "ForwardResidual", plain);

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// As <see cref=\"ForwardResidual({Parameters.Cref(plain, false, false)})\"/>, and saves each row's {(spec.HasMean ? "mean and rstd" : "rstd")}.");
        writer.WriteLine("/// There is no separate backward for the fused form: the norm's input is <paramref name=\"sum\"/>, so call");
        writer.WriteLine($"/// <see cref=\"{backwardCref}\"/> with <paramref name=\"sum\"/> as x. The dx it returns is the gradient");
        writer.WriteLine("/// of both <paramref name=\"x\"/> and <paramref name=\"residual\"/> (add to it any gradient that reaches sum by another path).");
        writer.WriteLine("/// </summary>");
        WritePlanRemarks(writer, plan);
        WriteParamDocs(writer, spec, withStatistics, backward: false);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or an output overlaps an input.</exception>");
        WriteForwardMember(writer, plan, "ForwardResidual", withStatistics);
    }

    /// <summary>ForwardParallel and BackwardParallel: the same kernels, rows spread over threads by the runtime's RowScheduler.</summary>
    private static void EmitParallelMembers(
        SourceWriter writer, KernelPlan plan, Parameters parameters, string forwardCref, string forwardWithStatisticsCref, string backwardCref)
    {
        const string threadsRemark = "/// <param name=\"degreeOfParallelism\">The most threads to use, at least 1 (e.g. <see cref=\"global::System.Environment.ProcessorCount\"/>).</param>";
        const string outOfRange = "/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"degreeOfParallelism\"/> is less than 1.</exception>";
        KernelSpec spec = plan.Spec;
        string[] forward = parameters.Forward(residual: false, statistics: false);
        string[] forwardWithStatistics = parameters.Forward(residual: false, statistics: true);
        string[] backward = parameters.Backward();

        writer.WriteLine($"/// <summary>As <see cref=\"{forwardCref}\"/>,");
        writer.WriteLine("/// with the rows spread over up to <paramref name=\"degreeOfParallelism\"/> threads.</summary>");
        writer.WriteLine("/// <remarks>");
        writer.WriteLine("/// The buffers are <see cref=\"global::System.Memory{T}\"/> because a span cannot be shared with other threads; arrays convert implicitly.");
        writer.WriteLine("/// Rows are split into contiguous ranges, one per thread; a call with too little work for two threads runs serially.");
        writer.WriteLine("/// Every output is bit-identical to the serial call's, for any degree of parallelism.");
        writer.WriteLine("/// </remarks>");
        WriteParamDocs(writer, spec, forward, backward: false);
        writer.WriteLine(threadsRemark);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A buffer has the wrong length, or an output partially overlaps an input.</exception>");
        writer.WriteLine(outOfRange);
        WriteForwardParallelMember(writer, plan, forward);

        writer.WriteLine($"/// <summary>As <see cref=\"{forwardWithStatisticsCref}\"/>,");
        writer.WriteLine("/// with the rows spread over up to <paramref name=\"degreeOfParallelism\"/> threads.</summary>");
        writer.WriteLine($"/// <remarks>See <see cref=\"ForwardParallel({Parameters.Cref(forward, false, true)}, int)\"/>.</remarks>");
        WriteParamDocs(writer, spec, forwardWithStatistics, backward: false);
        writer.WriteLine(threadsRemark);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A buffer has the wrong length, or an output overlaps an input.</exception>");
        writer.WriteLine(outOfRange);
        WriteForwardParallelMember(writer, plan, forwardWithStatistics);

        writer.WriteLine($"/// <summary>As <see cref=\"{backwardCref}\"/>, with the rows spread over up to <paramref name=\"degreeOfParallelism\"/> threads.</summary>");
        writer.WriteLine("/// <remarks>");
        if (spec.HasGamma)
            writer.WriteLine($"/// {(spec.HasBeta ? "dgamma and dbeta are" : "dgamma is")} reduced from fixed blocks of rows combined in a fixed order, so every output is bit-identical");
        else
            writer.WriteLine("/// Each row's dx is computed by the same code whichever thread runs it, so every output is bit-identical");
        writer.WriteLine("/// to the serial call's, for any degree of parallelism. A call with too little work for two threads runs serially.");
        writer.WriteLine("/// </remarks>");
        WriteParamDocs(writer, spec, backward, backward: true);
        writer.WriteLine(threadsRemark);
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A buffer has the wrong length, or an output overlaps an input.</exception>");
        writer.WriteLine(outOfRange);
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"public static void BackwardParallel({Parameters.Declaration(backward, true, true)}, int degreeOfParallelism)");
        writer.WriteLine("global::NormGen.Validation.DegreeOfParallelism(degreeOfParallelism);");
        writer.WriteLine($"int rows = global::NormGen.Validation.Backward({Parameters.Parts(backward, backward: true)}, {Parameters.Arguments(BackwardValidationSlots, backward, ".Span")}, HiddenSize);");
        WriteSchedulerDispatch(writer, plan, "Backward", $"{Parameters.Arguments(BackwardKernelSlots, backward)}, rows, HiddenSize, degreeOfParallelism");
        writer.CloseBlock();
        writer.WriteLine();
    }

    private static void WriteForwardParallelMember(SourceWriter writer, KernelPlan plan, string[] parameters)
    {
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"public static void ForwardParallel({Parameters.Declaration(parameters, false, true)}, int degreeOfParallelism)");
        writer.WriteLine("global::NormGen.Validation.DegreeOfParallelism(degreeOfParallelism);");
        writer.WriteLine($"int rows = global::NormGen.Validation.Forward({Parameters.Parts(parameters, backward: false)}, {Parameters.Arguments(ForwardValidationSlots, parameters, ".Span")}, HiddenSize, Epsilon);");
        WriteSchedulerDispatch(writer, plan, "Forward", $"{Parameters.Arguments(ForwardKernelSlots, parameters)}, rows, HiddenSize, degreeOfParallelism");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>
    /// A nested type that implements ILayerNormKernel by forwarding to the class's members: a static
    /// class can't implement an interface, and generic code (LayerNormLayer&lt;T&gt;) needs a type argument.
    /// </summary>
    private static void EmitKernelType(SourceWriter writer, KernelSpec spec)
    {
        string owner = "global::" + (spec.Namespace is null ? "" : spec.Namespace + ".") + spec.QualifiedTypeName;
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// This kernel as a <see cref=\"global::NormGen.ILayerNormKernel\"/>, for generic code specialized by kernel,");
        writer.WriteLine($"/// e.g. <c>new global::NormGen.LayerNormLayer&lt;{spec.Type.Name}.Kernel&gt;()</c>.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"public sealed class Kernel : global::NormGen.ILayerNormKernel");
        writer.WriteLine("private Kernel() { }");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public static int HiddenSize => {owner}.HiddenSize;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public static float Epsilon => {owner}.Epsilon;");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public static void Forward({ReadOnlySpan} x, {ReadOnlySpan} gamma, {ReadOnlySpan} beta, {Span} y)");
        writer.WriteLine($"    => {owner}.Forward(x, gamma, beta, y);");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public static void Forward({ReadOnlySpan} x, {ReadOnlySpan} gamma, {ReadOnlySpan} beta, {Span} y, {Span} mean, {Span} rstd)");
        writer.WriteLine($"    => {owner}.Forward(x, gamma, beta, y, mean, rstd);");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine($"public static void Backward({ReadOnlySpan} dy, {ReadOnlySpan} x, {ReadOnlySpan} gamma, {ReadOnlySpan} mean, {ReadOnlySpan} rstd, {Span} dx, {Span} dgamma, {Span} dbeta)");
        writer.WriteLine($"    => {owner}.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);");
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
            writer.WriteLine($"/// <param name=\"{name}\">{text}</param>");
        }
    }
}
