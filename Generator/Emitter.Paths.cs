using System;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>How one instruction set spells the vector operations. The scalar path is a "vector" of one float,
    /// so every path comes from the same <see cref="PathEmitter"/> code.</summary>
    private sealed class VectorSyntax
    {
        private static readonly VectorSyntax V512 = new("512", "global::System.Runtime.Intrinsics.Vector512");
        private static readonly VectorSyntax V256 = new("256", "global::System.Runtime.Intrinsics.Vector256");
        private static readonly VectorSyntax V128 = new("128", "global::System.Runtime.Intrinsics.Vector128");
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

        public string Zero => _static is null ? "0f" : $"{_static}<float>.Zero";

        public string Load(string reference, string offset) =>
            _static is null ? $"{Unsafe}.Add(ref {reference}, {offset})" : $"{_static}.LoadUnsafe(ref {reference}, {offset})";

        public string Store(string value, string reference, string offset) =>
            _static is null ? $"{Unsafe}.Add(ref {reference}, {offset}) = {value};" : $"{_static}.StoreUnsafe({value}, ref {reference}, {offset});";

        public string Broadcast(string scalar) => _static is null ? scalar : $"{_static}.Create({scalar})";

        /// <summary>left · right + addend: an FMA where the hardware has one (MultiplyAddEstimate), else a multiply and an add.</summary>
        public string MultiplyAdd(string left, string right, string addend) =>
            _static is null
                ? $"{left} * {right} + {(addend.IndexOf(' ') >= 0 ? "(" + addend + ")" : addend)}"
                : $"{_static}.MultiplyAddEstimate({left}, {right}, {addend})";

        public string Sum(string vector) => _static is null ? vector : $"{_static}.Sum({vector})";
    }

    /// <summary>Writes the forward and backward kernel of one <see cref="PathPlan"/>.</summary>
    private sealed class PathEmitter
    {
        private readonly SourceWriter _writer;
        private readonly PathPlan _path;
        private readonly VectorSyntax _v;
        private readonly int _hiddenSize;
        private readonly float _epsilon;

        public PathEmitter(SourceWriter writer, PathPlan path, int hiddenSize, float epsilon)
        {
            _writer = writer;
            _path = path;
            _v = VectorSyntax.For(path.Isa);
            _hiddenSize = hiddenSize;
            _epsilon = epsilon;
        }

        private bool Resident => _path.Strategy == RowStrategy.RegisterResident;

        private string N => Int(_hiddenSize) + "f";

        public void EmitForward()
        {
            _writer.WriteLine($"/// <summary>Forward rows on {PathName}: {DescribePath(_path, _hiddenSize)}.</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.OpenBlock($"public static void Forward{_v.Suffix}({ReadOnlySpan} x, {ReadOnlySpan} gamma, {ReadOnlySpan} beta, {Span} y, {Span} mean, {Span} rstd, int rows)");
            WriteReferences("x", "gamma", "beta", "y");
            _writer.WriteLine("bool saveStatistics = !mean.IsEmpty;");
            _writer.OpenBlock("for (int row = 0; row < rows; row++)");
            WriteRowReferences("x", "y");
            _writer.WriteLine();

            string centre = EmitRoughCentre("pivot = x[0]; centre = pivot + Σ(x − pivot) / N, rounded to float");
            _writer.WriteLine();

            string offset = EmitCentreCorrection(centre, withSquares: true);
            _writer.WriteLine($"float variance = global::System.MathF.Max(sumSquares / {N} - offset * offset, 0f);");
            _writer.WriteLine();

            _writer.WriteLine("// Scalar math: rstd = 1 / sqrt(var + eps), an exact square root and a divide");
            _writer.WriteLine($"float inverseStd = 1f / global::System.MathF.Sqrt(variance + {Float(_epsilon)});");
            string rstd = Broadcast("vRstd", "inverseStd");
            _writer.WriteLine();

            _writer.WriteLine("// Scalar math: y = (x − centre − offset) · rstd · gamma + beta");
            ForEachVector((at, k, _, _) =>
            {
                string centred = Resident ? $"e{k} - {offset}" : $"{_v.Load("xRow", at)} - {centre} - {offset}";
                string y = _v.MultiplyAdd($"({centred}) * {rstd}", _v.Load("gammaRef", at), _v.Load("betaRef", at));
                _writer.WriteLine(_v.Store(y, "yRow", at));
            });
            ForEachTail((at, j) =>
            {
                string centred = Resident ? $"eTail{j} - offset" : $"{ScalarLoad("xRow", at)} - centre - offset";
                _writer.WriteLine($"{ScalarLoad("yRow", at)} = ({centred}) * inverseStd * {ScalarLoad("gammaRef", at)} + {ScalarLoad("betaRef", at)};");
            });
            _writer.WriteLine();

            _writer.OpenBlock("if (saveStatistics)");
            _writer.WriteLine("mean[row] = centre + offset;");
            _writer.WriteLine("rstd[row] = inverseStd;");
            _writer.CloseBlock();
            _writer.CloseBlock();
            _writer.CloseBlock();
        }

        public void EmitBackward()
        {
            _writer.WriteLine($"/// <summary>Backward rows on {PathName}: {DescribePath(_path, _hiddenSize)}. Accumulates into dgamma and dbeta, which the caller cleared.</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.OpenBlock($"public static void Backward{_v.Suffix}({ReadOnlySpan} dy, {ReadOnlySpan} x, {ReadOnlySpan} gamma, {ReadOnlySpan} rstd, {Span} dx, {Span} dgamma, {Span} dbeta, int rows)");
            WriteReferences("dy", "x", "gamma", "dx", "dgamma", "dbeta");
            _writer.OpenBlock("for (int row = 0; row < rows; row++)");
            WriteRowReferences("dy", "x", "dx");
            _writer.WriteLine();

            string centre = EmitRoughCentre("the forward centre, recomputed from x: pivot = x[0]; centre = pivot + Σ(x − pivot) / N, rounded to float");
            _writer.WriteLine();
            string offset = EmitCentreCorrection(centre, withSquares: false);
            _writer.WriteLine("float inverseStd = rstd[row];");
            string rstd = Broadcast("vRstd", "inverseStd");
            _writer.WriteLine();

            _writer.WriteLine("// Scalar math: xhat = (x − centre − offset) · rstd; g = dy · gamma; Σg; Σg·xhat; dgamma += dy · xhat; dbeta += dy");
            DeclareAccumulators("sumG");
            DeclareAccumulators("sumGXhat");
            ForEachVector((at, k, a, first) =>
            {
                string centred = Resident ? $"e{k} - {offset}" : $"{_v.Load("xRow", at)} - {centre} - {offset}";
                _writer.WriteLine($"var xhat{k} = ({centred}) * {rstd};");
                _writer.WriteLine($"var dy{k} = {_v.Load("dyRow", at)};");
                _writer.WriteLine($"var g{k} = dy{k} * {_v.Load("gammaRef", at)};");
                Accumulate("sumG", a, first, $"g{k}");
                AccumulateProduct("sumGXhat", a, first, $"g{k}", $"xhat{k}");
                _writer.WriteLine(_v.Store(_v.MultiplyAdd($"dy{k}", $"xhat{k}", _v.Load("dgammaRef", at)), "dgammaRef", at));
                _writer.WriteLine(_v.Store($"{_v.Load("dbetaRef", at)} + dy{k}", "dbetaRef", at));
            });
            _writer.WriteLine($"float sumG = {_v.Sum(Fold("sumG"))};");
            _writer.WriteLine($"float sumGXhat = {_v.Sum(Fold("sumGXhat"))};");
            ForEachTail((at, j) =>
            {
                string centred = Resident ? $"eTail{j} - offset" : $"{ScalarLoad("xRow", at)} - centre - offset";
                _writer.WriteLine($"float xhatTail{j} = ({centred}) * inverseStd;");
                _writer.WriteLine($"float dyTail{j} = {ScalarLoad("dyRow", at)};");
                _writer.WriteLine($"float gTail{j} = dyTail{j} * {ScalarLoad("gammaRef", at)};");
                _writer.WriteLine($"sumG += gTail{j};");
                _writer.WriteLine($"sumGXhat += gTail{j} * xhatTail{j};");
                _writer.WriteLine($"{ScalarLoad("dgammaRef", at)} += dyTail{j} * xhatTail{j};");
                _writer.WriteLine($"{ScalarLoad("dbetaRef", at)} += dyTail{j};");
            });
            _writer.WriteLine($"float meanG = sumG / {N};");
            _writer.WriteLine($"float meanGXhat = sumGXhat / {N};");
            string meanG = Broadcast("vMeanG", "meanG");
            string negMeanGXhat = Broadcast("vNegMeanGXhat", "-meanGXhat");
            _writer.WriteLine();

            _writer.WriteLine("// Scalar math: dx = rstd · (g − mean(g) − xhat · mean(g · xhat))");
            ForEachVector((at, k, _, _) =>
            {
                string xhat = Resident ? $"xhat{k}" : $"({_v.Load("xRow", at)} - {centre} - {offset}) * {rstd}";
                string g = Resident ? $"g{k}" : $"{_v.Load("dyRow", at)} * {_v.Load("gammaRef", at)}";
                string centredGradient = _v.MultiplyAdd(xhat, negMeanGXhat, $"{g} - {meanG}");
                string grouped = _v.IsScalar ? $"({centredGradient})" : centredGradient;
                _writer.WriteLine(_v.Store($"{grouped} * {rstd}", "dxRow", at));
            });
            ForEachTail((at, j) =>
                _writer.WriteLine($"{ScalarLoad("dxRow", at)} = (gTail{j} - meanG - xhatTail{j} * meanGXhat) * inverseStd;"));
            _writer.CloseBlock();
            _writer.CloseBlock();
        }

        private string PathName => _v.IsScalar ? "the scalar path" : _path.Isa.ToString();

        /// <summary>
        /// Stage 1 of both kernels: a rough centre from the deviations from the pivot x[0]; declares
        /// <c>centre</c> (and keeps the row in x{k} when register-resident). Returns the centre's broadcast.
        /// </summary>
        private string EmitRoughCentre(string math)
        {
            _writer.WriteLine($"// Scalar math: {math}");
            if (Resident)
                _writer.WriteLine("// The row is register-resident: loaded once here, reused by every pass below.");
            _writer.WriteLine("float pivot = xRow;");
            string pivot = Broadcast("vPivot", "pivot");
            DeclareAccumulators("sum");
            ForEachVector((at, k, a, first) =>
            {
                if (Resident)
                {
                    _writer.WriteLine($"var x{k} = {_v.Load("xRow", at)};");
                    Accumulate("sum", a, first, $"x{k} - {pivot}");
                }
                else
                {
                    Accumulate("sum", a, first, $"{_v.Load("xRow", at)} - {pivot}");
                }
            });
            _writer.WriteLine($"float sum = {_v.Sum(Fold("sum"))};");
            ForEachTail((at, j) =>
            {
                if (Resident)
                {
                    _writer.WriteLine($"float xTail{j} = {ScalarLoad("xRow", at)};");
                    _writer.WriteLine($"sum += xTail{j} - pivot;");
                }
                else
                {
                    _writer.WriteLine($"sum += {ScalarLoad("xRow", at)} - pivot;");
                }
            });
            _writer.WriteLine($"float centre = pivot + sum / {N};");
            return Broadcast("vCentre", "centre");
        }

        /// <summary>
        /// Stage 2, the corrected two-pass algorithm: Σe (and Σe² for the forward pass) for e = x − centre,
        /// which are small wherever the row lies, even when the pivot was far from the mean. Declares
        /// <c>offset</c> = Σe / N and, with squares, <c>sumSquares</c>; returns the offset's broadcast.
        /// </summary>
        private string EmitCentreCorrection(string centre, bool withSquares)
        {
            _writer.WriteLine(withSquares
                ? "// Scalar math: e = x − centre; offset = Σe / N; var = Σe² / N − offset²; the mean is centre + offset"
                : "// Scalar math: e = x − centre; offset = Σe / N (as the forward pass did)");
            DeclareAccumulators("sumCentred");
            if (withSquares)
                DeclareAccumulators("sumSquares");
            ForEachVector((at, k, a, first) =>
            {
                _writer.WriteLine($"var e{k} = {(Resident ? $"x{k}" : _v.Load("xRow", at))} - {centre};");
                Accumulate("sumCentred", a, first, $"e{k}");
                if (withSquares)
                    AccumulateProduct("sumSquares", a, first, $"e{k}", $"e{k}");
            });
            _writer.WriteLine($"float sumCentred = {_v.Sum(Fold("sumCentred"))};");
            if (withSquares)
                _writer.WriteLine($"float sumSquares = {_v.Sum(Fold("sumSquares"))};");
            ForEachTail((at, j) =>
            {
                _writer.WriteLine($"float eTail{j} = {(Resident ? $"xTail{j}" : ScalarLoad("xRow", at))} - centre;");
                _writer.WriteLine($"sumCentred += eTail{j};");
                if (withSquares)
                    _writer.WriteLine($"sumSquares += eTail{j} * eTail{j};");
            });
            _writer.WriteLine($"float offset = sumCentred / {N};");
            return Broadcast("vOffset", "offset");
        }

        private void WriteReferences(params string[] spans)
        {
            foreach (string span in spans)
                _writer.WriteLine($"ref float {span}Ref = ref {MemoryMarshal}.GetReference({span});");
        }

        private void WriteRowReferences(params string[] spans)
        {
            foreach (string span in spans)
                _writer.WriteLine($"ref float {span}Row = ref {Unsafe}.Add(ref {span}Ref, (nuint)row * {Int(_hiddenSize)});");
        }

        /// <summary>Declares a broadcast of <paramref name="scalar"/> and returns its name (the scalar itself on the scalar path).</summary>
        private string Broadcast(string name, string scalar)
        {
            if (_v.IsScalar)
                return scalar;
            _writer.WriteLine($"var {name} = {_v.Broadcast(scalar)};");
            return name;
        }

        /// <summary>Streaming loops start from zeroed accumulators; unrolled code initializes each with its first term.</summary>
        private void DeclareAccumulators(string prefix)
        {
            if (_path.Strategy != RowStrategy.Streaming)
                return;
            for (int a = 0; a < _path.Accumulators; a++)
                _writer.WriteLine($"var {prefix}{a} = {_v.Zero};");
        }

        private void Accumulate(string prefix, int accumulator, bool first, string term) =>
            _writer.WriteLine(first ? $"var {prefix}{accumulator} = {term};" : $"{prefix}{accumulator} += {term};");

        private void AccumulateProduct(string prefix, int accumulator, bool first, string left, string right) =>
            _writer.WriteLine(first
                ? $"var {prefix}{accumulator} = {left} * {right};"
                : $"{prefix}{accumulator} = {_v.MultiplyAdd(left, right, prefix + Int(accumulator))};");

        /// <summary>The accumulators added pairwise: (a0 + a1) + (a2 + a3).</summary>
        private string Fold(string prefix) => Fold(prefix, 0, _path.Accumulators, topLevel: true);

        private static string Fold(string prefix, int from, int to, bool topLevel)
        {
            if (to - from == 1)
                return prefix + Int(from);
            int middle = from + (to - from + 1) / 2;
            string sum = $"{Fold(prefix, from, middle, false)} + {Fold(prefix, middle, to, false)}";
            return topLevel ? sum : "(" + sum + ")";
        }

        /// <summary>
        /// Calls <paramref name="body"/> for every whole vector of the row with (offset expression, local-name index,
        /// accumulator, whether this is the accumulator's first term). Streaming plans get a constant-trip-count loop
        /// over <see cref="PathPlan.LoopUnroll"/> vectors, then the remainder unrolled; other plans are fully unrolled.
        /// </summary>
        private void ForEachVector(Action<string, int, int, bool> body)
        {
            int width = _path.Width;
            int first = 0;
            if (_path.Strategy == RowStrategy.Streaming)
            {
                _writer.OpenBlock($"for (nuint i = 0; i < {Int(_path.LoopVectors * width)}; i += {Int(_path.LoopUnroll * width)})");
                for (int u = 0; u < _path.LoopUnroll; u++)
                    body(u == 0 ? "i" : $"i + {Int(u * width)}", u, u % _path.Accumulators, false);
                _writer.CloseBlock();
                first = _path.LoopVectors;
            }
            for (int k = first; k < _path.FullVectors; k++)
            {
                bool firstTerm = _path.Strategy != RowStrategy.Streaming && k < _path.Accumulators;
                body(Int(k * width), k, k % _path.Accumulators, firstTerm);
            }
        }

        /// <summary>Calls <paramref name="body"/> for each tail element with (constant index, tail index).</summary>
        private void ForEachTail(Action<string, int> body)
        {
            int start = _path.FullVectors * _path.Width;
            for (int j = 0; j < _path.Tail; j++)
                body(Int(start + j), j);
        }

        private static string ScalarLoad(string reference, string offset) => $"{Unsafe}.Add(ref {reference}, {offset})";
    }
}
