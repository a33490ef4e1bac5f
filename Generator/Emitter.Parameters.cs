using System.Collections.Generic;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>The order of the general Validation.Forward's span arguments; absent ones are passed as <c>default</c>.</summary>
    private static readonly string[] ForwardValidationSlots = { "x", "residual", "gamma", "beta", "sum", "y", "mean", "rstd" };

    /// <summary>The order of the general Validation.Backward's span arguments.</summary>
    private static readonly string[] BackwardValidationSlots = { "dy", "x", "gamma", "mean", "rstd", "dx", "dgamma", "dbeta" };

    /// <summary>The row kernels' parameters: the same for every variant, so one IRowKernel shape serves them all;
    /// a span the variant does not have is passed as <c>default</c> and never read.</summary>
    private static readonly string[] ForwardKernelSlots = { "x", "gamma", "beta", "y", "mean", "rstd" };

    private static readonly string[] ResidualKernelSlots = { "x", "residual", "gamma", "beta", "sum", "y", "mean", "rstd" };

    private static readonly string[] BackwardKernelSlots = { "dy", "x", "gamma", "mean", "rstd", "dx", "dgamma", "dbeta" };

    /// <summary>Which spans a variant's public members take, in order. Every member list is derived from the spec
    /// here, so the signatures, the docs, the checks and the kernel calls cannot disagree.</summary>
    private sealed class Parameters
    {
        private readonly KernelSpec _spec;

        public Parameters(KernelSpec spec) => _spec = spec;

        /// <summary>Whether the variant has the span <paramref name="name"/> at all (gamma, beta and their gradients
        /// may be absent).</summary>
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
            return parts.Count == 0 ? "NormParts.None" : string.Join(" | ", parts.Select(p => "NormParts." + p));
        }

        /// <summary>The arguments for <paramref name="slots"/>: the parameter (with <paramref name="suffix"/>, e.g.
        /// ".Span") where the member has it, else <c>default</c>.</summary>
        public static string[] Arguments(string[] slots, string[] names, string suffix = "") =>
            slots.Select(slot => names.Contains(slot) ? slot + suffix : "default").ToArray();

        public static bool IsOutput(string name, bool backward) =>
            backward ? name is "dx" or "dgamma" or "dbeta" : name is "sum" or "y" or "mean" or "rstd";

        /// <summary>"type name" for each of <paramref name="names"/>, the types <c>global::</c>-qualified when
        /// <paramref name="qualified"/> (in the user's namespace).</summary>
        public static List<string> Declarations(string[] names, bool backward, bool memory, bool qualified) =>
            names.Select(name => $"{Type(name, backward, memory, qualified)} {name}").ToList();

        /// <summary>A row kernel's parameters: <paramref name="slots"/>, then the row count.</summary>
        public static List<string> KernelDeclarations(string[] slots, bool backward)
        {
            List<string> declarations = Declarations(slots, backward, memory: false, qualified: false);
            declarations.Add("int rows");
            return declarations;
        }

        /// <summary>The cref form of a member's parameter list, e.g. <c>global::System.ReadOnlySpan{float}, ...</c>.</summary>
        public static string Cref(string[] names, bool backward, bool memory) =>
            string.Join(", ", names.Select(name => Type(name, backward, memory, qualified: true).Replace("<float>", "{float}")));

        private static string Type(string name, bool backward, bool memory, bool qualified)
        {
            string type = IsOutput(name, backward) ? (memory ? "Memory<float>" : "Span<float>")
                : (memory ? "ReadOnlyMemory<float>" : "ReadOnlySpan<float>");
            return qualified ? "global::System." + type : type;
        }
    }
}
