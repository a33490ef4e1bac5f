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
        writer.WriteDoc("<remarks>Every member is inlined into its public namesake, so a call costs the checks and the "
            + "row kernel, nothing more.</remarks>");
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
        if (parallel)
            WriteSchedulerDispatch(writer, plan, "Forward", With(null, kernelArguments, "rows", "HiddenSize", "degreeOfParallelism"));
        else
            WriteDispatch(writer, plan, residual ? "ForwardResidual" : "Forward", With(null, kernelArguments, "rows"));
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
        WriteSchedulerDispatch(writer, plan, "Backward", parallel
            ? With(null, kernelArguments, "rows", "HiddenSize", "degreeOfParallelism")
            : With(null, kernelArguments, "rows", "HiddenSize"));
        writer.CloseBlock();
    }

    /// <summary>The attributes and signature of an entry point, and its opening brace; a parallel one first checks the
    /// degree of parallelism.</summary>
    private static void WriteEntryPointHeader(SourceWriter writer, string name, string[] names, bool backward, bool parallel)
    {
        List<string> declarations = Parameters.Declarations(names, backward, memory: parallel, qualified: false);
        if (parallel)
            declarations.Add("int degreeOfParallelism");
        writer.WriteLine();
        writer.WriteLine(GeneratedCodeAttribute);
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
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

    /// <summary>A call of the path's row kernel, e.g. <c>LayerNormKernels.Forward256(...)</c>, on each path.</summary>
    private static void WriteDispatch(SourceWriter writer, KernelPlan plan, string kernel, List<string> arguments) =>
        WriteDispatch(writer, plan, path =>
            writer.WriteList($"{KernelsClass(plan.Spec)}.{kernel}{VectorSyntax.For(path.Isa).Suffix}(", arguments, ");",
                onePerLine: false));

    /// <summary>A call of the runtime's RowScheduler with the path's <see cref="RowKernelName"/> struct.</summary>
    private static void WriteSchedulerDispatch(SourceWriter writer, KernelPlan plan, string method, List<string> arguments) =>
        WriteDispatch(writer, plan, path =>
            writer.WriteList($"RowScheduler.{method}(", With($"default({RowKernelName(path)})", arguments.ToArray()), ");",
                onePerLine: false));

    /// <summary>The <c>if (VectorN.IsHardwareAccelerated) … else …</c> ladder over the plan's paths, widest first.</summary>
    private static void WriteDispatch(SourceWriter writer, KernelPlan plan, Action<PathPlan> writeCall)
    {
        for (int i = 0; i < plan.Paths.Count; i++)
        {
            PathPlan path = plan.Paths[i];
            if (path.Isa == VectorIsa.Scalar && i == 0)
            {
                writeCall(path);
                continue;
            }
            writer.WriteLine(path.Isa == VectorIsa.Scalar
                ? "else"
                : $"{(i == 0 ? "" : "else ")}if ({path.Isa}.IsHardwareAccelerated)");
            writer.Indent();
            writeCall(path);
            writer.Unindent();
        }
    }
}
