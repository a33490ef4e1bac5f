using System;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>Writes the row kernels of one <see cref="PathPlan"/>: forward (plain, fused residual, non-temporal
    /// fused residual) and backward.</summary>
    /// <remarks>Each stage of a kernel writes one statement per idea: loads into named locals where a line would
    /// otherwise nest them, then the arithmetic, then the store. Every float operation and its order is part of the
    /// numerical contract, so a rewrite of the text here must keep them.</remarks>
    private sealed partial class PathEmitter
    {
        private readonly SourceWriter _writer;
        private readonly PathPlan _path;
        private readonly VectorSyntax _v;
        private readonly KernelSpec _spec;
        private readonly int _hiddenSize;

        /// <summary>Whether the kernel being written is the fused residual form: stage 1 reads x and residual and
        /// writes sum, and every later pass reads sum.</summary>
        private readonly bool _residual;

        /// <summary>Whether the kernel being written is a non-temporal form: its last stage writes the outputs with
        /// non-temporal stores. In the fused residual form no pass reads sum back (a line just written around the cache
        /// would come from memory), so every pass recomputes x + residual from the two input rows, which stay in
        /// L1.</summary>
        private readonly bool _nonTemporal;

        /// <summary>The suffix of the current row's locals: "" for one row per iteration, "A" and "B" for two.</summary>
        private string _s = "";

        /// <param name="writer">Where the text goes.</param>
        /// <param name="path">The path's plan.</param>
        /// <param name="spec">The variant and hidden size.</param>
        /// <param name="residual">Whether the forward kernel written is the fused residual form.</param>
        /// <param name="nonTemporal">Whether the kernel is the form that writes its outputs (sum and y, y, or dx) with
        /// non-temporal stores (<see cref="PathPlan.NonTemporalResidual"/>, <see cref="PathPlan.NonTemporal"/>).</param>
        public PathEmitter(SourceWriter writer, PathPlan path, KernelSpec spec, bool residual = false, bool nonTemporal = false)
        {
            _writer = writer;
            _path = path;
            _v = VectorSyntax.For(path.Isa);
            _spec = spec;
            _hiddenSize = spec.HiddenSize;
            _residual = residual;
            _nonTemporal = nonTemporal;
        }

        /// <summary>The row the passes after stage 1 read: x, or sum in the fused residual form.</summary>
        private string InputRow => L(_residual ? "sumRow" : "xRow");

        /// <summary>x + residual at <paramref name="at"/>, the fused form's sum as a float add of two loads.</summary>
        private string InputSum(string at) => $"{_v.Load(L("xRow"), at)} + {_v.Load(L("residualRow"), at)}";

        /// <summary>The scalar x + residual at <paramref name="at"/>.</summary>
        private string ScalarInputSum(string at) => $"{ScalarLoad(L("xRow"), at)} + {ScalarLoad(L("residualRow"), at)}";

        /// <summary>The scalar input at <paramref name="at"/> as the passes after stage 1 read it: a load of
        /// <see cref="InputRow"/>, or (x + residual) in the non-temporal form (the same float add stage 1 did).</summary>
        private string ScalarInput(string at) => _nonTemporal && _residual ? $"({ScalarInputSum(at)})" : ScalarLoad(InputRow, at);

        /// <summary>Where a non-temporal form prefetches later rows: in the statistics pass, except RMSNorm's fused
        /// form, which prefetches while it stores sum (its statistics pass also reads x and residual from memory, and
        /// measured no better there). Measured at 4096×768 before the one-pass statistics, LayerNorm's stores loop was
        /// the worse place for the fused form (1.09× against about 1.4×).</summary>
        private bool PrefetchWhileStoringSum => !_spec.HasMean && _residual;

        private bool Resident => _path.Strategy == RowStrategy.RegisterResident;

        private string N => Int(_hiddenSize) + "f";

        private string PathName => _v.IsScalar ? "the scalar path" : _path.Isa.ToString();

        /// <summary>The current row's name for a local.</summary>
        private string L(string name) => name + _s;

        /// <summary>The current row's index expression.</summary>
        private string RowIndex => _s == "B" ? "row + 1" : "row";

        /// <summary>The current row's vector local <paramref name="vector"/>, or its scalar on the scalar path.</summary>
        private string VectorName(string vector, string scalar) => _v.IsScalar ? L(scalar) : L(vector);

        /// <summary>Declares <c>var name = expression;</c> and returns the name.</summary>
        private string Let(string name, string expression)
        {
            _writer.WriteAssignment("var " + name, expression);
            return name;
        }

        /// <summary>Declares <c>float name = expression;</c> and returns the name.</summary>
        private string LetFloat(string name, string expression)
        {
            _writer.WriteAssignment("float " + name, expression);
            return name;
        }

        /// <summary>
        /// The row loop. With two rows per iteration (<see cref="PathPlan.ForwardRowsPerIteration"/>), a loop over
        /// pairs of rows runs each stage for row A, then for row B, then the next stage; a last odd row runs alone.
        /// Each row's arithmetic is the same either way, so a row's result does not depend on its neighbour.
        /// </summary>
        private void EmitRowLoop(Action[] stages, int rowsPerIteration)
        {
            if (rowsPerIteration == 2)
            {
                _writer.WriteLine("int row = 0;");
                _writer.WriteComment("Two independent rows per iteration: row B's work fills the latency of row A's "
                    + "reductions, divides and sqrt.");
                _writer.OpenBlock("for (; row + 1 < rows; row += 2)");
                for (int i = 0; i < stages.Length; i++)
                {
                    if (i > 0)
                        _writer.WriteLine();
                    _s = "A";
                    stages[i]();
                    _writer.WriteLine();
                    _s = "B";
                    stages[i]();
                }
                _s = "";
                _writer.CloseBlock();
                _writer.OpenBlock("if (row < rows)");
            }
            else
            {
                _writer.OpenBlock("for (int row = 0; row < rows; row++)");
            }
            for (int i = 0; i < stages.Length; i++)
            {
                if (i > 0)
                    _writer.WriteLine();
                stages[i]();
            }
            _writer.CloseBlock();
        }

        private void WriteReferences(params string[] spans)
        {
            foreach (string span in spans)
                _writer.WriteLine($"ref float {span}Ref = ref MemoryMarshal.GetReference({span});");
        }

        private void WriteRowReferences(params string[] spans)
        {
            string row = _s == "B" ? "(nuint)(row + 1)" : "(nuint)row";
            foreach (string span in spans)
                _writer.WriteLine($"ref float {L(span + "Row")} = ref Unsafe.Add(ref {span}Ref, {row} * {Int(_hiddenSize)});");
        }

        /// <summary>Declares the current row's broadcast of <paramref name="scalar"/> and returns its name (the scalar
        /// itself on the scalar path).</summary>
        private string Broadcast(string name, string scalar) => _v.IsScalar ? scalar : Let(L(name), _v.Broadcast(scalar));

        /// <summary>Streaming loops start from zeroed accumulators; unrolled code initializes each with its first term.</summary>
        private void DeclareAccumulators(string prefix) => DeclareAccumulators(prefix, _path.Accumulators);

        private void DeclareAccumulators(string prefix, int count)
        {
            if (_path.Strategy != RowStrategy.Streaming)
                return;
            for (int a = 0; a < count; a++)
                Let(prefix + Int(a), _v.Zero);
        }

        private void Accumulate(string prefix, int accumulator, bool first, string term) =>
            _writer.WriteLine(first ? $"var {prefix}{accumulator} = {term};" : $"{prefix}{accumulator} += {term};");

        private void AccumulateProduct(string prefix, int accumulator, bool first, string left, string right) =>
            _writer.WriteLine(first
                ? $"var {prefix}{accumulator} = {left} * {right};"
                : $"{prefix}{accumulator} = {_v.MultiplyAdd(left, right, prefix + Int(accumulator))};");

        /// <summary>The accumulators added pairwise: (a0 + a1) + (a2 + a3).</summary>
        private string Fold(string prefix) => Fold(prefix, _path.Accumulators);

        private static string Fold(string prefix, int count) => Fold(prefix, 0, count, topLevel: true);

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

        private static string ScalarLoad(string reference, string offset) => VectorSyntax.ScalarLoad(reference, offset);
    }
}
