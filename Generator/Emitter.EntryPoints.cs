using System;
using System.Collections.Generic;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

/// <summary>The bodies of the public members, in the kernels namespace: each checks its arguments, then runs the
/// row kernel of the widest path the hardware accelerates.</summary>
internal static partial class Emitter
{
    private static void EmitEntryPoints(SourceWriter writer, KernelPlan plan)
    {
        KernelSpec spec = plan.Spec;
        var parameters = new Parameters(spec);
        writer.WriteDoc($"<summary>The bodies of <c>{TargetName(spec)}</c>'s members: each checks its arguments, then "
            + "runs the rows on the widest path the hardware accelerates.</summary>");
        writer.WriteDoc("<remarks>No member is inlined into its public namesake: each is the JIT's root of its own "
            + "compilation, so its inlining budget is its own, and the argument checks (the general Validation with "
            + "constant parts) fold into a few compares. Inlined into a one-line public member, they overran that member's "
            + "small budget and became a chain of calls (1×384 forward: 88 ns against the generic path's 56).</remarks>");
        writer.WriteLine(GeneratedCodeAttribute);
        writer.OpenBlock($"file static class {EntryPointsClass(spec)}");
        writer.WriteLine($"private const int HiddenSize = {Int(spec.HiddenSize)};");
        writer.WriteLine($"private const float Epsilon = {Float(spec.Epsilon)};");

        foreach (bool statistics in new[] { false, true })
            WriteForwardEntryPoint(writer, plan, "Forward", parameters.Forward(residual: false, statistics), parallel: false);
        WriteBackwardEntryPoint(writer, plan, parameters.Backward(), parallel: false);
        foreach (bool statistics in new[] { false, true })
            WriteForwardEntryPoint(writer, plan, "ForwardResidual", parameters.Forward(residual: true, statistics), parallel: false);
        foreach (bool statistics in new[] { false, true })
            WriteForwardEntryPoint(writer, plan, "ForwardParallel", parameters.Forward(residual: false, statistics), parallel: true);
        WriteBackwardEntryPoint(writer, plan, parameters.Backward(), parallel: true);
        writer.CloseBlock();
    }

    private static void WriteForwardEntryPoint(SourceWriter writer, KernelPlan plan, string name, string[] names, bool parallel)
    {
        bool residual = names.Contains("residual");
        WriteEntryPointHeader(writer, name, names, backward: false, parallel);
        writer.WriteAssignment("const NormParts parts", Parameters.Parts(names, backward: false));
        string[] checkedSpans = Parameters.Arguments(ForwardValidationSlots, names, parallel ? ".Span" : "");
        writer.WriteList("int rows = Validation.Forward(", With("parts", checkedSpans, "HiddenSize", "Epsilon"), ");",
            onePerLine: false);
        string[] kernelArguments = Parameters.Arguments(residual ? ResidualKernelSlots : ForwardKernelSlots, names);
        string span = parallel ? ".Span" : "";
        Func<PathPlan, bool> hasNonTemporal = residual ? path => path.NonTemporalResidual : path => path.NonTemporal;
        string pays = residual
            ? "NonTemporalStores.Pays(x, residual, sum, y)"
            : $"NonTemporalStores.Pays(x{span}, default, y{span})";
        WriteNonTemporalChoice(writer, plan, hasNonTemporal, pays);
        if (parallel)
            WriteSchedulerDispatch(writer, plan, "Forward", With(null, kernelArguments, "rows", "HiddenSize", "degreeOfParallelism"));
        else
            WriteDispatch(writer, plan, residual ? "ForwardResidual" : "Forward", hasNonTemporal, With(null, kernelArguments, "rows"));
        writer.CloseBlock();
    }

    private static void WriteBackwardEntryPoint(SourceWriter writer, KernelPlan plan, string[] names, bool parallel)
    {
        string name = parallel ? "BackwardParallel" : "Backward";
        WriteEntryPointHeader(writer, name, names, backward: true, parallel);
        writer.WriteAssignment("const NormParts parts", Parameters.Parts(names, backward: true));
        string[] checkedSpans = Parameters.Arguments(BackwardValidationSlots, names, parallel ? ".Span" : "");
        writer.WriteList("int rows = Validation.Backward(", With("parts", checkedSpans, "HiddenSize"), ");", onePerLine: false);
        string[] kernelArguments = Parameters.Arguments(BackwardKernelSlots, names);
        string span = parallel ? ".Span" : "";
        WriteNonTemporalChoice(writer, plan, path => path.NonTemporal, $"NonTemporalStores.Pays(x{span}, dy{span}, dx{span})");
        WriteSchedulerDispatch(writer, plan, "Backward", parallel
            ? With(null, kernelArguments, "rows", "HiddenSize", "degreeOfParallelism")
            : With(null, kernelArguments, "rows", "HiddenSize"));
        writer.CloseBlock();
    }

    /// <summary>The attributes and signature of an entry point, and its opening brace; a parallel one first checks the
    /// degree of parallelism. Not inlined: see the class's remarks in <see cref="EmitEntryPoints"/>.</summary>
    private static void WriteEntryPointHeader(SourceWriter writer, string name, string[] names, bool backward, bool parallel)
    {
        List<string> declarations = Parameters.Declarations(names, backward, memory: parallel, qualified: false);
        if (parallel)
            declarations.Add("int degreeOfParallelism");
        writer.WriteLine();
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine("[MethodImpl(MethodImplOptions.NoInlining)]");
        writer.WriteList($"public static void {name}(", declarations, ")", onePerLine: false);
        writer.OpenBlock();
        if (parallel)
            writer.WriteLine("Validation.DegreeOfParallelism(degreeOfParallelism);");
    }

    /// <summary><paramref name="first"/> (unless null), <paramref name="middle"/>, then <paramref name="last"/>.</summary>
    private static List<string> With(string? first, string[] middle, params string[] last)
    {
        var items = new List<string>();
        if (first is not null)
            items.Add(first);
        items.AddRange(middle);
        items.AddRange(last);
        return items;
    }

    /// <summary>Declares <c>nonTemporal</c>, whether the call writes its outputs around the cache, where a path has
    /// a non-temporal kernel for it.</summary>
    private static void WriteNonTemporalChoice(SourceWriter writer, KernelPlan plan, Func<PathPlan, bool> hasNonTemporal, string pays)
    {
        if (plan.Paths.Any(hasNonTemporal))
        {
            writer.WriteComment("A call too large for the cache writes its outputs around it (NonTemporalStores.MinimumElements).");
            writer.WriteLine($"bool nonTemporal = {pays};");
        }
    }

    /// <summary>A call of the path's row kernel, e.g. <c>LayerNormKernels.Forward256(...)</c>, on each path; where the
    /// path has a non-temporal form of the kernel, <c>nonTemporal</c> chooses between them.</summary>
    private static void WriteDispatch(
        SourceWriter writer, KernelPlan plan, string kernel, Func<PathPlan, bool> hasNonTemporal, List<string> arguments) =>
        WriteDispatch(writer, plan, hasNonTemporal, (path, nonTemporal) =>
            writer.WriteList($"{KernelsClass(plan.Spec)}.{kernel}{(nonTemporal ? "NonTemporal" : "")}{VectorSyntax.For(path.Isa).Suffix}(",
                arguments, ");", onePerLine: false));

    /// <summary>A call of the runtime's RowScheduler with the path's <see cref="RowKernelName"/> struct, or its
    /// non-temporal struct where <c>nonTemporal</c>.</summary>
    private static void WriteSchedulerDispatch(SourceWriter writer, KernelPlan plan, string method, List<string> arguments) =>
        WriteDispatch(writer, plan, path => path.NonTemporal, (path, nonTemporal) =>
            writer.WriteList($"RowScheduler.{method}(", With($"default({RowKernelName(path, nonTemporal)})", arguments.ToArray()), ");",
                onePerLine: false));

    /// <summary>
    /// The <c>if (VectorN.IsHardwareAccelerated) … else …</c> ladder over the plan's paths, widest first. A path with
    /// a non-temporal form gets <c>if (nonTemporal) … else …</c> inside its branch; every branch then has braces.
    /// </summary>
    private static void WriteDispatch(
        SourceWriter writer, KernelPlan plan, Func<PathPlan, bool> hasNonTemporal, Action<PathPlan, bool> writeCall)
    {
        bool braces = plan.Paths.Any(hasNonTemporal);
        for (int i = 0; i < plan.Paths.Count; i++)
        {
            PathPlan path = plan.Paths[i];
            if (path.Isa == VectorIsa.Scalar && i == 0)
            {
                writeCall(path, false);
                continue;
            }
            string condition = path.Isa == VectorIsa.Scalar
                ? "else"
                : $"{(i == 0 ? "" : "else ")}if ({path.Isa}.IsHardwareAccelerated)";
            if (braces)
                writer.OpenBlock(condition);
            else
            {
                writer.WriteLine(condition);
                writer.Indent();
            }
            if (hasNonTemporal(path))
            {
                writer.WriteLine("if (nonTemporal)");
                writer.Indent();
                writeCall(path, true);
                writer.Unindent();
                writer.WriteLine("else");
                writer.Indent();
                writeCall(path, false);
                writer.Unindent();
            }
            else
            {
                writeCall(path, false);
            }
            if (braces)
                writer.CloseBlock();
            else
                writer.Unindent();
        }
    }
}
