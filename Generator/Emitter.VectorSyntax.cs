using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>How one instruction set spells the vector operations, with the short names of the kernels namespace.
    /// The scalar path is a "vector" of one float, so every path comes from the same <see cref="PathEmitter"/>
    /// code.</summary>
    private sealed class VectorSyntax
    {
        private static readonly VectorSyntax V512 = new("512", "Vector512");
        private static readonly VectorSyntax V256 = new("256", "Vector256");
        private static readonly VectorSyntax V128 = new("128", "Vector128");
        private static readonly VectorSyntax ScalarSyntax = new("Scalar", null);

        private readonly string? _static;

        private VectorSyntax(string suffix, string? staticClass)
        {
            Suffix = suffix;
            _static = staticClass;
        }

        public static VectorSyntax For(VectorIsa isa) => isa switch
        {
            VectorIsa.Vector512 => V512,
            VectorIsa.Vector256 => V256,
            VectorIsa.Vector128 => V128,
            _ => ScalarSyntax,
        };

        /// <summary>The kernel method name suffix: Forward256, BackwardScalar.</summary>
        public string Suffix { get; }

        public bool IsScalar => _static is null;

        /// <summary>The static vector class, e.g. <c>Vector256</c> (vector paths only).</summary>
        public string Static => _static ?? throw new System.InvalidOperationException("The scalar path has no vector class.");

        public string Zero => _static is null ? "0f" : $"{_static}<float>.Zero";

        public string Load(string reference, string offset) =>
            _static is null ? ScalarLoad(reference, offset) : $"{_static}.LoadUnsafe(ref {reference}, {offset})";

        public string Store(string value, string reference, string offset) =>
            _static is null
                ? $"{ScalarLoad(reference, offset)} = {value};"
                : $"{_static}.StoreUnsafe({value}, ref {reference}, {offset});";

        public string Broadcast(string scalar) => _static is null ? scalar : $"{_static}.Create({scalar})";

        /// <summary>left · right + addend: an FMA where the hardware has one (MultiplyAddEstimate), else a multiply and
        /// an add.</summary>
        public string MultiplyAdd(string left, string right, string addend) =>
            _static is null
                ? $"{left} * {right} + {(addend.IndexOf(' ') >= 0 ? "(" + addend + ")" : addend)}"
                : $"{_static}.MultiplyAddEstimate({left}, {right}, {addend})";

        public string Sum(string vector) => _static is null ? vector : $"{_static}.Sum({vector})";

        /// <summary>The float at <paramref name="offset"/> from <paramref name="reference"/>, as a variable.</summary>
        public static string ScalarLoad(string reference, string offset) => $"Unsafe.Add(ref {reference}, {offset})";
    }
}
