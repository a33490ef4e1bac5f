using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using NormGen.Generator.Model;
using NormGen.Generator.Upgrade;

namespace NormGen.Generator.Interception;

/// <summary>
/// The calls -> which hidden kernels to generate and which interceptor forwards each call to which kernel member.
/// Also the <see cref="KernelSpec"/> of each hidden kernel, so the ordinary <see cref="Planner"/> and
/// <see cref="Emitter"/> write it exactly as they write a <c>[LayerNorm(N)]</c> class.
/// </summary>
internal static class InterceptionPlanner
{
    /// <summary>Groups the calls by kernel, then by intercepted overload.</summary>
    /// <remarks>A member without an epsilon (the backward members) computes the same bits for every epsilon, so
    /// its calls join a kernel of the same variant and size that forward calls already need (the one with the
    /// smallest epsilon, for determinism) rather than adding a kernel of their own.</remarks>
    public static ImmutableArray<InterceptorGroup> Group(ImmutableArray<InterceptableCall> calls, CancellationToken cancellationToken)
    {
        if (calls.IsDefaultOrEmpty)
            return ImmutableArray<InterceptorGroup>.Empty;

        var epsilonsInUse = calls
            .Where(c => c.Call.Epsilon is not null)
            .GroupBy(c => (c.Call.Variant, c.Call.HiddenSize))
            .ToDictionary(g => g.Key, g => g.Min(c => c.Call.Epsilon!.Value));

        KernelKey KernelOf(GenericCall call)
        {
            float epsilon = call.Epsilon
                ?? (epsilonsInUse.TryGetValue((call.Variant, call.HiddenSize), out float used) ? used : KernelNaming.DefaultEpsilon);
            return new KernelKey(call.Variant, call.HiddenSize, epsilon);
        }

        var groups = new List<InterceptorGroup>();
        foreach (var kernel in calls.GroupBy(c => KernelOf(c.Call)).OrderBy(g => g.Key.ClassName, System.StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var methods = new List<InterceptorMethod>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            var overloads = kernel
                .GroupBy(c => (c.Call.GenericType, c.Call.GenericMember, c.Call.TargetMember, c.Parameters))
                .OrderBy(g => g.Key.GenericMember, System.StringComparer.Ordinal)
                .ThenBy(g => g.Key.Parameters.Count);
            foreach (var overload in overloads)
            {
                string name = overload.Key.GenericMember + "_" + overload.Key.Parameters.Count.ToString(CultureInfo.InvariantCulture);
                for (int suffix = 2; !names.Add(name); suffix++)
                    name = overload.Key.GenericMember + "_" + overload.Key.Parameters.Count.ToString(CultureInfo.InvariantCulture) + "_" + suffix.ToString(CultureInfo.InvariantCulture);
                InterceptedLocation[] locations = overload
                    .Select(c => c.Location)
                    .Distinct()
                    .ToArray();
                methods.Add(new InterceptorMethod(
                    name, overload.Key.GenericType, overload.Key.GenericMember, overload.Key.TargetMember,
                    overload.Key.Parameters, new EquatableArray<InterceptedLocation>(locations)));
            }
            groups.Add(new InterceptorGroup(kernel.Key, new EquatableArray<InterceptorMethod>(methods.ToArray())));
        }
        return groups.ToImmutableArray();
    }

    /// <summary>The file of one hidden kernel and its interceptors, e.g. <c>Interception.LayerNorm768.g.cs</c>. A user's
    /// class gets <c>Namespace.Type.LayerNorm.g.cs</c> or <c>.RmsNorm.g.cs</c>, which no class name here ends with.</summary>
    public static string HintName(string className) => "Interception." + className + ".g.cs";

    /// <summary>The hidden kernel class: file-local in <see cref="InterceptionOptions.Namespace"/>, so the user's code
    /// never sees it and two projects never clash; the interceptors are written into the same file.</summary>
    public static KernelSpec Spec(KernelKey kernel, CancellationToken cancellationToken = default) =>
        new(
            InterceptionOptions.Namespace,
            EquatableArray<TypeDeclarationInfo>.Empty,
            new TypeDeclarationInfo("file static partial", "class", kernel.ClassName),
            "file",
            IsStatic: true,
            kernel.HiddenSize,
            kernel.Epsilon,
            kernel.Variant == KernelVariant.RmsNorm ? NormKind.RmsNorm : NormKind.LayerNorm,
            HasGamma: kernel.Variant != KernelVariant.LayerNormNoAffine,
            HasBeta: kernel.Variant == KernelVariant.LayerNorm);
}
