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
        private readonly KernelSpec _spec;
        private readonly int _hiddenSize;

        /// <param name="writer">Where the text goes.</param>
        /// <param name="path">The path's plan.</param>
        /// <param name="spec">The variant and hidden size.</param>
        /// <param name="residual">Whether the forward kernel written is the fused residual form.</param>
        /// <param name="nonTemporal">With <paramref name="residual"/>: whether it is the form that writes sum and y with
        /// non-temporal stores (<see cref="PathPlan.NonTemporalResidual"/>).</param>
        public PathEmitter(SourceWriter writer, PathPlan path, KernelSpec spec, bool residual = false, bool nonTemporal = false)
        {
            _writer = writer;
            _path = path;
            _v = VectorSyntax.For(path.Isa);
            _spec = spec;
            _hiddenSize = spec.HiddenSize;
            _residual = residual;
            _nonTemporal = residual && nonTemporal;
        }

        /// <summary>Whether the kernel being written is the fused residual form: stage 1 reads x and residual and
        /// writes sum, and every later pass reads sum.</summary>
        private readonly bool _residual;

        /// <summary>Whether the fused residual kernel being written is the non-temporal form: no pass reads sum back
        /// (a line just written around the cache would come from memory), so every pass recomputes x + residual from
        /// the two input rows, which stay in L1; the last stage writes sum and y with non-temporal stores.</summary>
        private readonly bool _nonTemporal;

        /// <summary>The row the passes after stage 1 read: x, or sum in the fused residual form.</summary>
        private string InputRow => L(_residual ? "sumRow" : "xRow");

        /// <summary>x + residual at <paramref name="at"/>, the fused form's sum as a float add of two loads.</summary>
        private string InputSum(string at) => $"{_v.Load(L("xRow"), at)} + {_v.Load(L("residualRow"), at)}";

        /// <summary>The scalar x + residual at <paramref name="at"/>.</summary>
        private string ScalarInputSum(string at) => $"{ScalarLoad(L("xRow"), at)} + {ScalarLoad(L("residualRow"), at)}";

        /// <summary>The input vector at <paramref name="at"/> as the passes after stage 1 read it: a load of
        /// <see cref="InputRow"/>, or (x + residual) in the non-temporal form (the same float add stage 1 did).</summary>
        private string LoadInput(string at) => _nonTemporal ? $"({InputSum(at)})" : _v.Load(InputRow, at);

        /// <summary>The scalar input at <paramref name="at"/>, as <see cref="LoadInput"/>.</summary>
        private string ScalarInput(string at) => _nonTemporal ? $"({ScalarInputSum(at)})" : ScalarLoad(InputRow, at);

        /// <summary>Where the non-temporal form prefetches later rows: in LayerNorm's second pass, which reads only
        /// L1; RMSNorm has no second pass and prefetches while it stores sum. Measured at 4096×768, LayerNorm's
        /// stores loop was the worse place (1.09× against about 1.4×).</summary>
        private bool PrefetchWhileStoringSum => !_spec.HasMean;

        private bool Resident => _path.Strategy == RowStrategy.RegisterResident;

        private string N => Int(_hiddenSize) + "f";

        /// <summary>The suffix of the current row's locals: "" for one row per iteration, "A" and "B" for two.</summary>
        private string _s = "";

        /// <summary>The current row's name for a local.</summary>
        private string L(string name) => name + _s;

        /// <summary>The current row's index expression.</summary>
        private string RowIndex => _s == "B" ? "row + 1" : "row";

        /// <summary>The current row's vector local <paramref name="vector"/>, or its scalar on the scalar path.</summary>
        private string VectorName(string vector, string scalar) => _v.IsScalar ? L(scalar) : L(vector);

        /// <summary>
        /// The row loop. With two rows per iteration (<see cref="PathPlan.ForwardRowsPerIteration"/>), a loop over pairs of rows runs each stage for
        /// row A, then for row B, then the next stage; a last odd row runs alone. Each row's arithmetic is the same
        /// either way, so a row's result does not depend on its neighbour.
        /// </summary>
        private void EmitRowLoop(Action[] stages, int rowsPerIteration)
        {
            if (rowsPerIteration == 2)
            {
                _writer.WriteLine("int row = 0;");
                _writer.WriteLine("// Two independent rows per iteration: row B's work fills the latency of row A's reductions, divides and sqrt.");
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

        public void EmitForward()
        {
            bool residual = _residual;
            string name = (residual ? _nonTemporal ? "ForwardResidualNonTemporal" : "ForwardResidual" : "Forward") + _v.Suffix;
            string[] spans = residual ? ResidualKernelSlots : ForwardKernelSlots;
            _writer.WriteLine(_nonTemporal
                ? $"/// <summary>Fused residual forward rows on {PathName}, sum and y written with non-temporal stores: {DescribePath(_path, _hiddenSize)}.</summary>"
                : residual
                ? $"/// <summary>Fused residual forward rows on {PathName}: {DescribePath(_path, _hiddenSize)}.</summary>"
                : $"/// <summary>Forward rows on {PathName}: {DescribePath(_path, _hiddenSize)}.</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.OpenBlock($"public static void {name}({Parameters.Declaration(spans, backward: false, memory: false)}, int rows)");
            if (residual && !_nonTemporal && _path.NonTemporalResidual)
            {
                _writer.WriteLine("// A call too large for the cache writes sum and y around it (NonTemporalStores.MinimumElements).");
                _writer.OpenBlock("if (global::NormGen.NonTemporalStores.Pays(x, residual, sum, y))");
                _writer.WriteLine($"ForwardResidualNonTemporal{_v.Suffix}({string.Join(", ", spans)}, rows);");
                _writer.WriteLine("return;");
                _writer.CloseBlock();
            }
            WriteReferences(Present(residual ? new[] { "x", "residual", "gamma", "beta", "sum", "y" } : new[] { "x", "gamma", "beta", "y" }));
            _writer.WriteLine("bool saveStatistics = !rstd.IsEmpty;");
            Action firstStage = () =>
            {
                WriteRowReferences(residual ? new[] { "x", "residual", "sum", "y" } : new[] { "x", "y" });
                _writer.WriteLine();
                if (_spec.HasMean)
                    EmitRoughCentre(residual
                        ? $"sum = x + residual{(_nonTemporal ? "" : ", stored")}; pivot = sum[0]; centre = pivot + Σ(sum − pivot) / N, rounded to float"
                        : "pivot = x[0]; centre = pivot + Σ(x − pivot) / N, rounded to float");
                else
                    EmitSumOfSquares();
            };
            Action[] stages = _spec.HasMean
                ? new Action[]
                {
                    firstStage,
                    () =>
                    {
                        EmitCentreCorrection(withSquares: true);
                        _writer.WriteLine($"float {L("variance")} = global::System.MathF.Max({L("sumSquares")} / {N} - {L("offset")} * {L("offset")}, 0f);");
                    },
                    () =>
                    {
                        _writer.WriteLine("// Scalar math: rstd = 1 / sqrt(var + eps), an exact square root and a divide");
                        _writer.WriteLine($"float {L("inverseStd")} = 1f / global::System.MathF.Sqrt({L("variance")} + {Float(_spec.Epsilon)});");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitNormalize,
                    EmitSaveStatistics,
                }
                : new Action[]
                {
                    firstStage,
                    () =>
                    {
                        _writer.WriteLine("// Scalar math: rstd = 1 / sqrt(Σx² / N + eps), an exact square root and a divide");
                        _writer.WriteLine($"float {L("inverseStd")} = 1f / global::System.MathF.Sqrt({L("sumSquares")} / {N} + {Float(_spec.Epsilon)});");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitScale,
                    EmitSaveStatistics,
                };
            EmitRowLoop(stages, _nonTemporal ? 1 : _path.ForwardRowsPerIteration);
            if (_nonTemporal)
                _writer.WriteLine("global::NormGen.NonTemporalStores.Fence();");
            _writer.CloseBlock();
        }

        /// <summary>The spans of <paramref name="candidates"/> this variant has.</summary>
        private string[] Present(string[] candidates) =>
            System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Where(candidates, new Parameters(_spec).Has));

        /// <summary>The affine step on a normalized value: · gamma + beta, · gamma, or nothing.</summary>
        private string Affine(string normalized, string at, bool scalar)
        {
            string gamma = scalar ? ScalarLoad("gammaRef", at) : _v.Load("gammaRef", at);
            string beta = scalar ? ScalarLoad("betaRef", at) : _v.Load("betaRef", at);
            if (_spec.HasBeta)
                return scalar ? $"{normalized} * {gamma} + {beta}" : _v.MultiplyAdd(normalized, gamma, beta);
            return _spec.HasGamma ? $"{normalized} * {gamma}" : normalized;
        }

        private string AffineMath => (_spec.HasGamma ? " · gamma" : "") + (_spec.HasBeta ? " + beta" : "");

        /// <summary>LayerNorm forward stage 4: y.</summary>
        private void EmitNormalize()
        {
            string centre = VectorName("vCentre", "centre"), offset = VectorName("vOffset", "offset"), rstd = VectorName("vRstd", "inverseStd");
            string input = InputRow, yRow = L("yRow");
            _writer.WriteLine($"// Scalar math: y = ({(_residual ? "sum" : "x")} − centre − offset) · rstd{AffineMath}");
            if (_nonTemporal)
            {
                EmitNonTemporalOutputs(at => Affine($"({LoadInput(at)} - {centre} - {offset}) * {rstd}", at, scalar: false));
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string centred = Resident ? $"{L("e" + Int(k))} - {offset}" : $"{_v.Load(input, at)} - {centre} - {offset}";
                _writer.WriteLine(_v.Store(Affine($"({centred}) * {rstd}", at, scalar: false), yRow, at));
            });
            ForEachTail((at, j) =>
            {
                string centred = Resident ? $"{L("eTail" + Int(j))} - {L("offset")}" : $"{ScalarLoad(input, at)} - {L("centre")} - {L("offset")}";
                _writer.WriteLine($"{ScalarLoad(yRow, at)} = {Affine($"({centred}) * {L("inverseStd")}", at, scalar: true)};");
            });
        }

        /// <summary>RMSNorm forward stage 3: y.</summary>
        private void EmitScale()
        {
            string rstd = VectorName("vRstd", "inverseStd");
            string input = InputRow, yRow = L("yRow");
            _writer.WriteLine($"// Scalar math: y = {(_residual ? "sum" : "x")} · rstd · gamma");
            if (_nonTemporal)
            {
                EmitNonTemporalOutputs(at => Affine($"{LoadInput(at)} * {rstd}", at, scalar: false));
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string value = Resident ? L("x" + Int(k)) : _v.Load(input, at);
                _writer.WriteLine(_v.Store(Affine($"{value} * {rstd}", at, scalar: false), yRow, at));
            });
            ForEachTail((at, j) =>
            {
                string value = Resident ? L("xTail" + Int(j)) : ScalarLoad(input, at);
                _writer.WriteLine($"{ScalarLoad(yRow, at)} = {Affine($"{value} * {L("inverseStd")}", at, scalar: true)};");
            });
        }

        /// <summary>
        /// The non-temporal form's output stage: sum, then y (<paramref name="yAt"/> gives y's vector at an offset).
        /// Each is stored as whole vectors at the partition aligned to its own row, non-temporally, and the lanes before
        /// and after that partition are taken from the vectors at 0 and N − W with ordinary stores (those cache lines
        /// are shared with the neighbouring rows). Every element is the same vector arithmetic at any partition, so the
        /// results are bit-identical to the ordinary kernel's.
        /// </summary>
        private void EmitNonTemporalOutputs(Func<string, string> yAt)
        {
            _writer.WriteLine("// sum and y as whole vectors at their rows' aligned partitions, non-temporally; the lanes before and after with ordinary stores");
            EmitNonTemporalRow("sum", InputSum, prefetch: PrefetchWhileStoringSum);
            EmitNonTemporalRow("y", yAt, prefetch: false);
        }

        private void EmitNonTemporalRow(string output, Func<string, string> valueAt, bool prefetch)
        {
            string row = L(output + "Row"), start = L(output + "Start"), at = L(output + "At");
            string width = Int(_path.Width), last = Int(_hiddenSize - _path.Width);
            const string Stores = "global::NormGen.NonTemporalStores";
            _writer.WriteLine($"nuint {start} = {Stores}.Misalignment(ref {row}, {width});");
            _writer.WriteLine($"nuint {at} = {start};");
            _writer.OpenBlock($"for (; {at} <= {last}; {at} += {width})");
            if (prefetch)
                EmitPrefetchAhead(at);
            _writer.WriteLine($"{Stores}.Store({valueAt(at)}, ref {row}, {at});");
            _writer.CloseBlock();
            _writer.WriteLine($"{Stores}.StoreLanes({valueAt("0")}, ref {row}, 0, {start});");
            _writer.WriteLine($"{Stores}.StoreLanes({valueAt(last)}, ref {Unsafe}.Add(ref {row}, {last}), {at} - {last}, {width});");
        }

        /// <summary>Prefetches x and residual at <paramref name="at"/> in the row <see cref="Planner.PrefetchRowsAhead"/> ahead
        /// (past the last row it is a wasted hint); where, <see cref="PrefetchWhileStoringSum"/> says.</summary>
        private void EmitPrefetchAhead(string at)
        {
            _writer.WriteLine($"global::NormGen.NonTemporalStores.Prefetch(ref {L("xRow")}, {Int(Planner.PrefetchRowsAhead(_hiddenSize) * _hiddenSize)} + {at});");
            _writer.WriteLine($"global::NormGen.NonTemporalStores.Prefetch(ref {L("residualRow")}, {Int(Planner.PrefetchRowsAhead(_hiddenSize) * _hiddenSize)} + {at});");
        }

        private void EmitSaveStatistics()
        {
            _writer.OpenBlock("if (saveStatistics)");
            if (_spec.HasMean)
                _writer.WriteLine($"mean[{RowIndex}] = {L("centre")} + {L("offset")};");
            _writer.WriteLine($"rstd[{RowIndex}] = {L("inverseStd")};");
            _writer.CloseBlock();
        }

        public void EmitBackward()
        {
            string terms = (_spec.HasGamma, _spec.HasBeta) switch
            {
                (true, true) => " Adds each row's terms to dgamma and dbeta, in row order.",
                (true, false) => " Adds each row's terms to dgamma, in row order.",
                _ => "",
            };
            _writer.WriteLine($"/// <summary>Backward rows on {PathName}: {DescribePath(_path, _hiddenSize)}.{terms}</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.OpenBlock($"public static void Backward{_v.Suffix}({Parameters.Declaration(BackwardKernelSlots, backward: true, memory: false)}, int rows)");
            WriteReferences(Present(new[] { "dy", "x", "gamma", "dx", "dgamma", "dbeta" }));
            Action[] stages = _spec.HasMean
                ? new Action[]
                {
                    () =>
                    {
                        WriteRowReferences("dy", "x", "dx");
                        _writer.WriteLine();
                        EmitRoughCentre("the forward centre, recomputed from x: pivot = x[0]; centre = pivot + Σ(x − pivot) / N, rounded to float");
                    },
                    () =>
                    {
                        EmitCentreCorrection(withSquares: false);
                        _writer.WriteLine($"float {L("inverseStd")} = rstd[{RowIndex}];");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitGradientReduction,
                    EmitInputGradient,
                }
                : new Action[]
                {
                    () =>
                    {
                        WriteRowReferences("dy", "x", "dx");
                        _writer.WriteLine($"float {L("inverseStd")} = rstd[{RowIndex}];");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitGradientReduction,
                    EmitInputGradient,
                };
            EmitRowLoop(stages, rowsPerIteration: 1);
            _writer.CloseBlock();
        }

        /// <summary>The current row's xhat for vector <paramref name="k"/> at <paramref name="at"/>: (x − centre − offset) · rstd, or x · rstd for RMSNorm.</summary>
        private string VectorXhat(string at, int k)
        {
            string rstd = VectorName("vRstd", "inverseStd");
            if (!_spec.HasMean)
                return $"{_v.Load(L("xRow"), at)} * {rstd}";
            string centre = VectorName("vCentre", "centre"), offset = VectorName("vOffset", "offset");
            string centred = Resident ? $"{L("e" + Int(k))} - {offset}" : $"{_v.Load(L("xRow"), at)} - {centre} - {offset}";
            return $"({centred}) * {rstd}";
        }

        private string TailXhat(string at, int j)
        {
            if (!_spec.HasMean)
                return $"{ScalarLoad(L("xRow"), at)} * {L("inverseStd")}";
            string centred = Resident ? $"{L("eTail" + Int(j))} - {L("offset")}" : $"{ScalarLoad(L("xRow"), at)} - {L("centre")} - {L("offset")}";
            return $"({centred}) * {L("inverseStd")}";
        }

        /// <summary>g = dy · gamma, or dy itself without gamma.</summary>
        private string Gradient(string dy, string at, bool scalar) =>
            !_spec.HasGamma ? dy : $"{dy} * {(scalar ? ScalarLoad("gammaRef", at) : _v.Load("gammaRef", at))}";

        /// <summary>Backward reduction stage: Σg (LayerNorm only) and Σg·xhat, and the row's terms added to dgamma and dbeta.</summary>
        private void EmitGradientReduction()
        {
            bool layerNorm = _spec.HasMean;
            string dyRow = L("dyRow");
            string math = (layerNorm ? "xhat = (x − centre − offset) · rstd; " : "xhat = x · rstd; ")
                + (_spec.HasGamma ? "g = dy · gamma; " : "g = dy; ")
                + (layerNorm ? "Σg; Σg·xhat" : "Σg·xhat")
                + (_spec.HasGamma ? "; dgamma += dy · xhat" : "")
                + (_spec.HasBeta ? "; dbeta += dy" : "");
            _writer.WriteLine($"// Scalar math: {math}");
            if (layerNorm)
                DeclareAccumulators(L("sumG"));
            DeclareAccumulators(L("sumGXhat"));
            ForEachVector((at, k, a, first) =>
            {
                string kk = Int(k);
                _writer.WriteLine($"var {L("xhat" + kk)} = {VectorXhat(at, k)};");
                _writer.WriteLine($"var {L("dy" + kk)} = {_v.Load(dyRow, at)};");
                string g = L("dy" + kk);
                if (_spec.HasGamma)
                {
                    g = L("g" + kk);
                    _writer.WriteLine($"var {g} = {Gradient(L("dy" + kk), at, scalar: false)};");
                }
                if (layerNorm)
                    Accumulate(L("sumG"), a, first, g);
                AccumulateProduct(L("sumGXhat"), a, first, g, L("xhat" + kk));
                if (_spec.HasGamma)
                    _writer.WriteLine(_v.Store(_v.MultiplyAdd(L("dy" + kk), L("xhat" + kk), _v.Load("dgammaRef", at)), "dgammaRef", at));
                if (_spec.HasBeta)
                    _writer.WriteLine(_v.Store($"{_v.Load("dbetaRef", at)} + {L("dy" + kk)}", "dbetaRef", at));
            });
            if (layerNorm)
                _writer.WriteLine($"float {L("sumG")} = {_v.Sum(Fold(L("sumG")))};");
            _writer.WriteLine($"float {L("sumGXhat")} = {_v.Sum(Fold(L("sumGXhat")))};");
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                _writer.WriteLine($"float {L("xhatTail" + jj)} = {TailXhat(at, j)};");
                _writer.WriteLine($"float {L("dyTail" + jj)} = {ScalarLoad(dyRow, at)};");
                _writer.WriteLine($"float {L("gTail" + jj)} = {Gradient(L("dyTail" + jj), at, scalar: true)};");
                if (layerNorm)
                    _writer.WriteLine($"{L("sumG")} += {L("gTail" + jj)};");
                _writer.WriteLine($"{L("sumGXhat")} += {L("gTail" + jj)} * {L("xhatTail" + jj)};");
                if (_spec.HasGamma)
                    _writer.WriteLine($"{ScalarLoad("dgammaRef", at)} += {L("dyTail" + jj)} * {L("xhatTail" + jj)};");
                if (_spec.HasBeta)
                    _writer.WriteLine($"{ScalarLoad("dbetaRef", at)} += {L("dyTail" + jj)};");
            });
            if (layerNorm)
            {
                _writer.WriteLine($"float {L("meanG")} = {L("sumG")} / {N};");
                Broadcast("vMeanG", L("meanG"));
            }
            _writer.WriteLine($"float {L("meanGXhat")} = {L("sumGXhat")} / {N};");
            Broadcast("vNegMeanGXhat", "-" + L("meanGXhat"));
        }

        /// <summary>Backward's last stage: dx.</summary>
        private void EmitInputGradient()
        {
            bool layerNorm = _spec.HasMean;
            string rstd = VectorName("vRstd", "inverseStd");
            string dyRow = L("dyRow"), dxRow = L("dxRow");
            string meanG = VectorName("vMeanG", "meanG");
            string negMeanGXhat = _v.IsScalar ? "-" + L("meanGXhat") : L("vNegMeanGXhat");
            _writer.WriteLine(layerNorm
                ? "// Scalar math: dx = rstd · (g − mean(g) − xhat · mean(g · xhat))"
                : "// Scalar math: dx = rstd · (g − xhat · mean(g · xhat))");
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string xhat = Resident ? L("xhat" + kk) : VectorXhat(at, k);
                string g = Resident ? L(_spec.HasGamma ? "g" + kk : "dy" + kk) : Gradient(_v.Load(dyRow, at), at, scalar: false);
                string centredGradient = _v.MultiplyAdd(xhat, negMeanGXhat, layerNorm ? $"{g} - {meanG}" : g);
                string grouped = _v.IsScalar ? $"({centredGradient})" : centredGradient;
                _writer.WriteLine(_v.Store($"{grouped} * {rstd}", dxRow, at));
            });
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string meanTerm = layerNorm ? $" - {L("meanG")}" : "";
                _writer.WriteLine($"{ScalarLoad(dxRow, at)} = ({L("gTail" + jj)}{meanTerm} - {L("xhatTail" + jj)} * {L("meanGXhat")}) * {L("inverseStd")};");
            });
        }

        private string PathName => _v.IsScalar ? "the scalar path" : _path.Isa.ToString();

        /// <summary>
        /// Stage 1 of both kernels: a rough centre from the deviations from the pivot x[0]; declares
        /// <c>centre</c> and its broadcast (and keeps the row in x{k} when register-resident).
        /// </summary>
        private void EmitRoughCentre(string math)
        {
            _writer.WriteLine($"// Scalar math: {math}");
            if (Resident)
                _writer.WriteLine("// The row is register-resident: loaded once here, reused by every pass below.");
            _writer.WriteLine(_residual
                ? $"float {L("pivot")} = {L("xRow")} + {L("residualRow")};"
                : $"float {L("pivot")} = {L("xRow")};");
            string pivot = Broadcast("vPivot", L("pivot"));
            DeclareAccumulators(L("sumDeviations"));
            ForEachVector((at, k, a, first) => Accumulate(L("sumDeviations"), a, first, $"{FirstPassVector(at, k)} - {pivot}"));
            _writer.WriteLine($"float {L("sumDeviations")} = {_v.Sum(Fold(L("sumDeviations")))};");
            ForEachTail((at, j) => _writer.WriteLine($"{L("sumDeviations")} += {FirstPassTail(at, j)} - {L("pivot")};"));
            _writer.WriteLine($"float {L("centre")} = {L("pivot")} + {L("sumDeviations")} / {N};");
            Broadcast("vCentre", L("centre"));
        }

        /// <summary>RMSNorm stage 1: Σx² (of sum = x + residual in the fused form); declares <c>sumSquares</c>.</summary>
        private void EmitSumOfSquares()
        {
            _writer.WriteLine(_residual ? $"// Scalar math: sum = x + residual{(_nonTemporal ? "" : ", stored")}; Σsum²" : "// Scalar math: Σx²");
            if (Resident)
                _writer.WriteLine("// The row is register-resident: loaded once here, reused by the pass below.");
            DeclareAccumulators(L("sumSquares"));
            ForEachVector((at, k, a, first) =>
            {
                string value = FirstPassVector(at, k);
                if (!Resident && !_residual)
                {
                    // Load once into a local: the product reads it twice.
                    _writer.WriteLine($"var {L("x" + Int(k))} = {value};");
                    value = L("x" + Int(k));
                }
                AccumulateProduct(L("sumSquares"), a, first, value, value);
            });
            _writer.WriteLine($"float {L("sumSquares")} = {_v.Sum(Fold(L("sumSquares")))};");
            ForEachTail((at, j) =>
            {
                string value = FirstPassTail(at, j);
                if (!Resident && !_residual)
                {
                    _writer.WriteLine($"float {L("xTail" + Int(j))} = {value};");
                    value = L("xTail" + Int(j));
                }
                _writer.WriteLine($"{L("sumSquares")} += {value} * {value};");
            });
        }

        /// <summary>
        /// The first pass's value of vector <paramref name="k"/>. A register-resident row declares it as the local x{k}, which
        /// later passes reuse; the fused residual form declares x{k} = x + residual and stores it to sum. Otherwise the load itself.
        /// </summary>
        private string FirstPassVector(string at, int k)
        {
            string local = L("x" + Int(k));
            if (_residual)
            {
                _writer.WriteLine($"var {local} = {InputSum(at)};");
                if (!_nonTemporal)
                    _writer.WriteLine(_v.Store(local, L("sumRow"), at));
                return local;
            }
            if (!Resident)
                return _v.Load(L("xRow"), at);
            _writer.WriteLine($"var {local} = {_v.Load(L("xRow"), at)};");
            return local;
        }

        private string FirstPassTail(string at, int j)
        {
            string local = L("xTail" + Int(j));
            if (_residual)
            {
                _writer.WriteLine($"float {local} = {ScalarInputSum(at)};");
                if (!_nonTemporal)
                    _writer.WriteLine($"{ScalarLoad(L("sumRow"), at)} = {local};");
                return local;
            }
            if (!Resident)
                return ScalarLoad(L("xRow"), at);
            _writer.WriteLine($"float {local} = {ScalarLoad(L("xRow"), at)};");
            return local;
        }

        /// <summary>
        /// Stage 2, the corrected two-pass algorithm: Σe (and Σe² for the forward pass) for e = x − centre,
        /// which are small wherever the row lies, even when the pivot was far from the mean. Declares
        /// <c>offset</c> = Σe / N and its broadcast and, with squares, <c>sumSquares</c>.
        /// </summary>
        private void EmitCentreCorrection(bool withSquares)
        {
            string centre = VectorName("vCentre", "centre");
            _writer.WriteLine(withSquares
                ? "// Scalar math: e = x − centre; offset = Σe / N; var = Σe² / N − offset²; the mean is centre + offset"
                : "// Scalar math: e = x − centre; offset = Σe / N (as the forward pass did)");
            DeclareAccumulators(L("sumCentred"));
            if (withSquares)
                DeclareAccumulators(L("sumSquares"));
            ForEachVector((at, k, a, first) =>
            {
                string e = L("e" + Int(k));
                _writer.WriteLine($"var {e} = {(Resident ? L("x" + Int(k)) : LoadInput(at))} - {centre};");
                if (_nonTemporal && !PrefetchWhileStoringSum)
                    EmitPrefetchAhead(at);
                Accumulate(L("sumCentred"), a, first, e);
                if (withSquares)
                    AccumulateProduct(L("sumSquares"), a, first, e, e);
            });
            _writer.WriteLine($"float {L("sumCentred")} = {_v.Sum(Fold(L("sumCentred")))};");
            if (withSquares)
                _writer.WriteLine($"float {L("sumSquares")} = {_v.Sum(Fold(L("sumSquares")))};");
            ForEachTail((at, j) =>
            {
                string e = L("eTail" + Int(j));
                _writer.WriteLine($"float {e} = {(Resident ? L("xTail" + Int(j)) : ScalarInput(at))} - {L("centre")};");
                _writer.WriteLine($"{L("sumCentred")} += {e};");
                if (withSquares)
                    _writer.WriteLine($"{L("sumSquares")} += {e} * {e};");
            });
            _writer.WriteLine($"float {L("offset")} = {L("sumCentred")} / {N};");
            Broadcast("vOffset", L("offset"));
        }

        private void WriteReferences(params string[] spans)
        {
            foreach (string span in spans)
                _writer.WriteLine($"ref float {span}Ref = ref {MemoryMarshal}.GetReference({span});");
        }

        private void WriteRowReferences(params string[] spans)
        {
            string row = _s == "B" ? "(nuint)(row + 1)" : "(nuint)row";
            foreach (string span in spans)
                _writer.WriteLine($"ref float {L(span + "Row")} = ref {Unsafe}.Add(ref {span}Ref, {row} * {Int(_hiddenSize)});");
        }

        /// <summary>Declares the current row's broadcast of <paramref name="scalar"/> and returns its name (the scalar itself on the scalar path).</summary>
        private string Broadcast(string name, string scalar)
        {
            if (_v.IsScalar)
                return scalar;
            _writer.WriteLine($"var {L(name)} = {_v.Broadcast(scalar)};");
            return L(name);
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
