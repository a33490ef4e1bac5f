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
    private sealed class PathEmitter
    {
        private readonly SourceWriter _writer;
        private readonly PathPlan _path;
        private readonly VectorSyntax _v;
        private readonly KernelSpec _spec;
        private readonly int _hiddenSize;

        /// <summary>Whether the kernel being written is the fused residual form: stage 1 reads x and residual and
        /// writes sum, and every later pass reads sum.</summary>
        private readonly bool _residual;

        /// <summary>Whether the fused residual kernel being written is the non-temporal form: no pass reads sum back
        /// (a line just written around the cache would come from memory), so every pass recomputes x + residual from
        /// the two input rows, which stay in L1; the last stage writes sum and y with non-temporal stores.</summary>
        private readonly bool _nonTemporal;

        /// <summary>The suffix of the current row's locals: "" for one row per iteration, "A" and "B" for two.</summary>
        private string _s = "";

        /// <param name="writer">Where the text goes.</param>
        /// <param name="path">The path's plan.</param>
        /// <param name="spec">The variant and hidden size.</param>
        /// <param name="residual">Whether the forward kernel written is the fused residual form.</param>
        /// <param name="nonTemporal">With <paramref name="residual"/>: whether it is the form that writes sum and y
        /// with non-temporal stores (<see cref="PathPlan.NonTemporalResidual"/>).</param>
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

        /// <summary>The row the passes after stage 1 read: x, or sum in the fused residual form.</summary>
        private string InputRow => L(_residual ? "sumRow" : "xRow");

        /// <summary>x + residual at <paramref name="at"/>, the fused form's sum as a float add of two loads.</summary>
        private string InputSum(string at) => $"{_v.Load(L("xRow"), at)} + {_v.Load(L("residualRow"), at)}";

        /// <summary>The scalar x + residual at <paramref name="at"/>.</summary>
        private string ScalarInputSum(string at) => $"{ScalarLoad(L("xRow"), at)} + {ScalarLoad(L("residualRow"), at)}";

        /// <summary>The scalar input at <paramref name="at"/> as the passes after stage 1 read it: a load of
        /// <see cref="InputRow"/>, or (x + residual) in the non-temporal form (the same float add stage 1 did).</summary>
        private string ScalarInput(string at) => _nonTemporal ? $"({ScalarInputSum(at)})" : ScalarLoad(InputRow, at);

        /// <summary>Where the non-temporal form prefetches later rows: in LayerNorm's second pass, which reads only
        /// L1; RMSNorm has no second pass and prefetches while it stores sum. Measured at 4096×768, LayerNorm's
        /// stores loop was the worse place (1.09× against about 1.4×).</summary>
        private bool PrefetchWhileStoringSum => !_spec.HasMean;

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

        public void EmitForward()
        {
            bool residual = _residual;
            string name = (residual ? _nonTemporal ? "ForwardResidualNonTemporal" : "ForwardResidual" : "Forward") + _v.Suffix;
            string[] spans = residual ? ResidualKernelSlots : ForwardKernelSlots;
            string what = _nonTemporal
                ? $"Fused residual forward rows on {PathName}, sum and y written with non-temporal stores"
                : residual ? $"Fused residual forward rows on {PathName}" : $"Forward rows on {PathName}";
            _writer.WriteDoc($"<summary>{what}: {DescribePath(_path, _hiddenSize)}.</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.WriteList($"public static void {name}(", Parameters.KernelDeclarations(spans, backward: false), ")",
                onePerLine: false);
            _writer.OpenBlock();
            if (residual && !_nonTemporal && _path.NonTemporalResidual)
            {
                _writer.WriteComment("A call too large for the cache writes sum and y around it "
                    + "(NonTemporalStores.MinimumElements).");
                _writer.OpenBlock("if (NonTemporalStores.Pays(x, residual, sum, y))");
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
                        ? $"sum = x + residual{(_nonTemporal ? "" : ", stored")}; pivot = sum[0]; "
                            + "centre = pivot + Σ(sum − pivot) / N, rounded to float"
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
                        LetFloat(L("variance"), $"MathF.Max({L("sumSquares")} / {N} - {L("offset")} * {L("offset")}, 0f)");
                    },
                    () =>
                    {
                        _writer.WriteComment("Scalar math: rstd = 1 / sqrt(var + eps), an exact square root and a divide");
                        LetFloat(L("inverseStd"), $"1f / MathF.Sqrt({L("variance")} + {Float(_spec.Epsilon)})");
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
                        _writer.WriteComment("Scalar math: rstd = 1 / sqrt(Σx² / N + eps), an exact square root and a divide");
                        LetFloat(L("inverseStd"), $"1f / MathF.Sqrt({L("sumSquares")} / {N} + {Float(_spec.Epsilon)})");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitScale,
                    EmitSaveStatistics,
                };
            EmitRowLoop(stages, _nonTemporal ? 1 : _path.ForwardRowsPerIteration);
            if (_nonTemporal)
                _writer.WriteLine("NonTemporalStores.Fence();");
            _writer.CloseBlock();
        }

        /// <summary>The spans of <paramref name="candidates"/> this variant has.</summary>
        private string[] Present(string[] candidates) => candidates.Where(new Parameters(_spec).Has).ToArray();

        /// <summary>
        /// The affine step on the normalized vector <paramref name="xhat"/>: declares gamma{suffix} and beta{suffix} as
        /// the variant has them and returns xhat · gamma + beta (an FMA), xhat · gamma, or xhat.
        /// </summary>
        private string AffineVector(string xhat, string at, string suffix)
        {
            if (!_spec.HasGamma)
                return xhat;
            string gamma = Let(L("gamma" + suffix), _v.Load("gammaRef", at));
            if (!_spec.HasBeta)
                return $"{xhat} * {gamma}";
            string beta = Let(L("beta" + suffix), _v.Load("betaRef", at));
            return _v.MultiplyAdd(xhat, gamma, beta);
        }

        /// <summary>The affine step on a normalized tail float: · gamma + beta, · gamma, or nothing.</summary>
        private string AffineTail(string xhat, string at)
        {
            if (!_spec.HasGamma)
                return xhat;
            string gamma = ScalarLoad("gammaRef", at);
            return _spec.HasBeta ? $"{xhat} * {gamma} + {ScalarLoad("betaRef", at)}" : $"{xhat} * {gamma}";
        }

        private string AffineMath => (_spec.HasGamma ? " · gamma" : "") + (_spec.HasBeta ? " + beta" : "");

        /// <summary>LayerNorm forward stage 4: y.</summary>
        private void EmitNormalize()
        {
            string centre = VectorName("vCentre", "centre"), offset = VectorName("vOffset", "offset");
            string rstd = VectorName("vRstd", "inverseStd");
            string input = InputRow, yRow = L("yRow");
            _writer.WriteComment($"Scalar math: y = ({(_residual ? "sum" : "x")} − centre − offset) · rstd{AffineMath}");
            if (_nonTemporal)
            {
                EmitNonTemporalOutputs((at, suffix) =>
                {
                    string sum = Let("input" + suffix, InputSum(at));
                    string xhat = Let("xhat" + suffix, $"({sum} - {centre} - {offset}) * {rstd}");
                    return AffineVector(xhat, at, suffix);
                });
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string centred = Resident ? $"{L("e" + kk)} - {offset}" : $"{_v.Load(input, at)} - {centre} - {offset}";
                string xhat = Let(L("xhat" + kk), $"({centred}) * {rstd}");
                string y = Let(L("y" + kk), AffineVector(xhat, at, kk));
                _writer.WriteLine(_v.Store(y, yRow, at));
            });
            ForEachTail((at, j) =>
            {
                string centred = Resident
                    ? $"{L("eTail" + Int(j))} - {L("offset")}"
                    : $"{ScalarLoad(input, at)} - {L("centre")} - {L("offset")}";
                string xhat = LetFloat(L("xhatTail" + Int(j)), $"({centred}) * {L("inverseStd")}");
                _writer.WriteAssignment(ScalarLoad(yRow, at), AffineTail(xhat, at));
            });
        }

        /// <summary>RMSNorm forward stage 3: y.</summary>
        private void EmitScale()
        {
            string rstd = VectorName("vRstd", "inverseStd");
            string input = InputRow, yRow = L("yRow");
            _writer.WriteComment($"Scalar math: y = {(_residual ? "sum" : "x")} · rstd · gamma");
            if (_nonTemporal)
            {
                EmitNonTemporalOutputs((at, suffix) =>
                {
                    string sum = Let("input" + suffix, InputSum(at));
                    string xhat = Let("xhat" + suffix, $"{sum} * {rstd}");
                    return AffineVector(xhat, at, suffix);
                });
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string value = Resident ? L("x" + kk) : _v.Load(input, at);
                string xhat = Let(L("xhat" + kk), $"{value} * {rstd}");
                string y = Let(L("y" + kk), AffineVector(xhat, at, kk));
                _writer.WriteLine(_v.Store(y, yRow, at));
            });
            ForEachTail((at, j) =>
            {
                string value = Resident ? L("xTail" + Int(j)) : ScalarLoad(input, at);
                string xhat = LetFloat(L("xhatTail" + Int(j)), $"{value} * {L("inverseStd")}");
                _writer.WriteAssignment(ScalarLoad(yRow, at), AffineTail(xhat, at));
            });
        }

        /// <summary>
        /// The non-temporal form's output stage: sum, then y (<paramref name="writeY"/> writes y's vector at an offset
        /// into locals with a suffix and returns its expression). Each is stored as whole vectors at the partition
        /// aligned to its own row, non-temporally, and the lanes before and after that partition are taken from the
        /// vectors at 0 and N − W with ordinary stores (those cache lines are shared with the neighbouring rows). Every
        /// element is the same vector arithmetic at any partition, so the results are bit-identical to the ordinary
        /// kernel's.
        /// </summary>
        private void EmitNonTemporalOutputs(Func<string, string, string> writeY)
        {
            _writer.WriteComment("sum and y as whole vectors at their rows' aligned partitions, non-temporally; the lanes "
                + "before and after with ordinary stores");
            EmitNonTemporalRow("sum", (at, suffix) => InputSum(at), prefetch: PrefetchWhileStoringSum);
            EmitNonTemporalRow("y", writeY, prefetch: false);
        }

        /// <summary>One output row of the non-temporal form. <paramref name="write"/> writes the value at an offset,
        /// with a suffix for its locals ("Aligned" in the loop, "First" and "Last" for the lanes around it), and returns
        /// the value's expression.</summary>
        private void EmitNonTemporalRow(string output, Func<string, string, string> write, bool prefetch)
        {
            string row = L(output + "Row"), start = L(output + "Start"), at = L(output + "At");
            string width = Int(_path.Width), last = Int(_hiddenSize - _path.Width);
            _writer.WriteLine($"nuint {start} = NonTemporalStores.Misalignment(ref {row}, {width});");
            _writer.WriteLine($"nuint {at} = {start};");
            _writer.OpenBlock($"for (; {at} <= {last}; {at} += {width})");
            if (prefetch)
                EmitPrefetchAhead(at);
            string aligned = Let(output + "Aligned", write(at, "Aligned"));
            _writer.WriteLine($"NonTemporalStores.Store({aligned}, ref {row}, {at});");
            _writer.CloseBlock();
            string first = Let(output + "First", write("0", "First"));
            _writer.WriteLine($"NonTemporalStores.StoreLanes({first}, ref {row}, 0, {start});");
            string final = Let(output + "Last", write(last, "Last"));
            _writer.WriteLine($"NonTemporalStores.StoreLanes({final}, ref Unsafe.Add(ref {row}, {last}), {at} - {last}, {width});");
        }

        /// <summary>Prefetches x and residual at <paramref name="at"/> in the row <see cref="Planner.PrefetchRowsAhead"/>
        /// ahead (past the last row it is a wasted hint); where, <see cref="PrefetchWhileStoringSum"/> says.</summary>
        private void EmitPrefetchAhead(string at)
        {
            string ahead = Int(Planner.PrefetchRowsAhead(_hiddenSize) * _hiddenSize);
            _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("xRow")}, {ahead} + {at});");
            _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("residualRow")}, {ahead} + {at});");
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
            _writer.WriteDoc($"<summary>Backward rows on {PathName}: {DescribePath(_path, _hiddenSize)}.{terms}</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.WriteList($"public static void Backward{_v.Suffix}(", Parameters.KernelDeclarations(BackwardKernelSlots, backward: true),
                ")", onePerLine: false);
            _writer.OpenBlock();
            WriteReferences(Present(new[] { "dy", "x", "gamma", "dx", "dgamma", "dbeta" }));
            Action[] stages = _spec.HasMean
                ? new Action[]
                {
                    () =>
                    {
                        WriteRowReferences("dy", "x", "dx");
                        _writer.WriteLine();
                        EmitRoughCentre("the forward centre, recomputed from x: pivot = x[0]; "
                            + "centre = pivot + Σ(x − pivot) / N, rounded to float");
                    },
                    () =>
                    {
                        EmitCentreCorrection(withSquares: false);
                        LetFloat(L("inverseStd"), $"rstd[{RowIndex}]");
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
                        LetFloat(L("inverseStd"), $"rstd[{RowIndex}]");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitGradientReduction,
                    EmitInputGradient,
                };
            EmitRowLoop(stages, rowsPerIteration: 1);
            _writer.CloseBlock();
        }

        /// <summary>The current row's xhat for vector <paramref name="k"/> at <paramref name="at"/>:
        /// (x − centre − offset) · rstd, or x · rstd for RMSNorm.</summary>
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
            string centred = Resident
                ? $"{L("eTail" + Int(j))} - {L("offset")}"
                : $"{ScalarLoad(L("xRow"), at)} - {L("centre")} - {L("offset")}";
            return $"({centred}) * {L("inverseStd")}";
        }

        /// <summary>g = dy · gamma, or dy itself without gamma.</summary>
        private string Gradient(string dy, string at, bool scalar) =>
            !_spec.HasGamma ? dy : $"{dy} * {(scalar ? ScalarLoad("gammaRef", at) : _v.Load("gammaRef", at))}";

        /// <summary>Backward reduction stage: Σg (LayerNorm only) and Σg·xhat, and the row's terms added to dgamma and
        /// dbeta.</summary>
        private void EmitGradientReduction()
        {
            bool layerNorm = _spec.HasMean;
            string dyRow = L("dyRow");
            string math = (layerNorm ? "xhat = (x − centre − offset) · rstd; " : "xhat = x · rstd; ")
                + (_spec.HasGamma ? "g = dy · gamma; " : "g = dy; ")
                + (layerNorm ? "Σg; Σg·xhat" : "Σg·xhat")
                + (_spec.HasGamma ? "; dgamma += dy · xhat" : "")
                + (_spec.HasBeta ? "; dbeta += dy" : "");
            _writer.WriteComment($"Scalar math: {math}");
            if (layerNorm)
                DeclareAccumulators(L("sumG"));
            DeclareAccumulators(L("sumGXhat"));
            ForEachVector((at, k, a, first) =>
            {
                string kk = Int(k);
                string xhat = Let(L("xhat" + kk), VectorXhat(at, k));
                string dy = Let(L("dy" + kk), _v.Load(dyRow, at));
                string g = _spec.HasGamma ? Let(L("g" + kk), Gradient(dy, at, scalar: false)) : dy;
                if (layerNorm)
                    Accumulate(L("sumG"), a, first, g);
                AccumulateProduct(L("sumGXhat"), a, first, g, xhat);
                if (_spec.HasGamma)
                {
                    string dgamma = Let(L("dgamma" + kk), _v.Load("dgammaRef", at));
                    _writer.WriteLine(_v.Store(_v.MultiplyAdd(dy, xhat, dgamma), "dgammaRef", at));
                }
                if (_spec.HasBeta)
                {
                    string dbeta = Let(L("dbeta" + kk), _v.Load("dbetaRef", at));
                    _writer.WriteLine(_v.Store($"{dbeta} + {dy}", "dbetaRef", at));
                }
            });
            if (layerNorm)
                LetFloat(L("sumG"), _v.Sum(Fold(L("sumG"))));
            LetFloat(L("sumGXhat"), _v.Sum(Fold(L("sumGXhat"))));
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string xhat = LetFloat(L("xhatTail" + jj), TailXhat(at, j));
                string dy = LetFloat(L("dyTail" + jj), ScalarLoad(dyRow, at));
                string g = LetFloat(L("gTail" + jj), Gradient(dy, at, scalar: true));
                if (layerNorm)
                    _writer.WriteLine($"{L("sumG")} += {g};");
                _writer.WriteLine($"{L("sumGXhat")} += {g} * {xhat};");
                if (_spec.HasGamma)
                    _writer.WriteLine($"{ScalarLoad("dgammaRef", at)} += {dy} * {xhat};");
                if (_spec.HasBeta)
                    _writer.WriteLine($"{ScalarLoad("dbetaRef", at)} += {dy};");
            });
            if (layerNorm)
            {
                LetFloat(L("meanG"), $"{L("sumG")} / {N}");
                Broadcast("vMeanG", L("meanG"));
            }
            LetFloat(L("meanGXhat"), $"{L("sumGXhat")} / {N}");
            Broadcast("vNegMeanGXhat", "-" + L("meanGXhat"));
        }

        /// <summary>Backward's last stage: dx. A register-resident row reuses the reduction stage's xhat and g; other
        /// rows recompute them as xhatAgain and gAgain (keeping them would spill).</summary>
        private void EmitInputGradient()
        {
            bool layerNorm = _spec.HasMean;
            string rstd = VectorName("vRstd", "inverseStd");
            string dyRow = L("dyRow"), dxRow = L("dxRow");
            string meanG = VectorName("vMeanG", "meanG");
            string negMeanGXhat = _v.IsScalar ? "-" + L("meanGXhat") : L("vNegMeanGXhat");
            _writer.WriteComment(layerNorm
                ? "Scalar math: dx = rstd · (g − mean(g) − xhat · mean(g · xhat))"
                : "Scalar math: dx = rstd · (g − xhat · mean(g · xhat))");
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string xhat = Resident ? L("xhat" + kk) : Let(L("xhatAgain" + kk), VectorXhat(at, k));
                string g = Resident
                    ? L(_spec.HasGamma ? "g" + kk : "dy" + kk)
                    : Let(L("gAgain" + kk), Gradient(_v.Load(dyRow, at), at, scalar: false));
                string centredGradient = _v.MultiplyAdd(xhat, negMeanGXhat, layerNorm ? $"{g} - {meanG}" : g);
                string grouped = _v.IsScalar ? $"({centredGradient})" : centredGradient;
                string dx = Let(L("dx" + kk), $"{grouped} * {rstd}");
                _writer.WriteLine(_v.Store(dx, dxRow, at));
            });
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string meanTerm = layerNorm ? $" - {L("meanG")}" : "";
                string centredGradient = $"{L("gTail" + jj)}{meanTerm} - {L("xhatTail" + jj)} * {L("meanGXhat")}";
                _writer.WriteAssignment(ScalarLoad(dxRow, at), $"({centredGradient}) * {L("inverseStd")}");
            });
        }

        /// <summary>
        /// Stage 1 of both kernels: a rough centre from the deviations from the pivot x[0]; declares
        /// <c>centre</c> and its broadcast (and keeps the row in x{k} when register-resident).
        /// </summary>
        private void EmitRoughCentre(string math)
        {
            _writer.WriteComment($"Scalar math: {math}");
            if (Resident)
                _writer.WriteComment("The row is register-resident: loaded once here, reused by every pass below.");
            LetFloat(L("pivot"), _residual ? $"{L("xRow")} + {L("residualRow")}" : L("xRow"));
            string pivot = Broadcast("vPivot", L("pivot"));
            DeclareAccumulators(L("sumDeviations"));
            ForEachVector((at, k, a, first) => Accumulate(L("sumDeviations"), a, first, $"{FirstPassVector(at, k)} - {pivot}"));
            LetFloat(L("sumDeviations"), _v.Sum(Fold(L("sumDeviations"))));
            ForEachTail((at, j) => _writer.WriteLine($"{L("sumDeviations")} += {FirstPassTail(at, j)} - {L("pivot")};"));
            LetFloat(L("centre"), $"{L("pivot")} + {L("sumDeviations")} / {N}");
            Broadcast("vCentre", L("centre"));
        }

        /// <summary>RMSNorm stage 1: Σx² (of sum = x + residual in the fused form); declares <c>sumSquares</c>.</summary>
        private void EmitSumOfSquares()
        {
            _writer.WriteComment(_residual
                ? $"Scalar math: sum = x + residual{(_nonTemporal ? "" : ", stored")}; Σsum²"
                : "Scalar math: Σx²");
            if (Resident)
                _writer.WriteComment("The row is register-resident: loaded once here, reused by the pass below.");
            DeclareAccumulators(L("sumSquares"));
            ForEachVector((at, k, a, first) =>
            {
                string value = FirstPassVector(at, k);
                if (!Resident && !_residual)
                {
                    // Load once into a local: the product reads it twice.
                    value = Let(L("x" + Int(k)), value);
                }
                AccumulateProduct(L("sumSquares"), a, first, value, value);
            });
            LetFloat(L("sumSquares"), _v.Sum(Fold(L("sumSquares"))));
            ForEachTail((at, j) =>
            {
                string value = FirstPassTail(at, j);
                if (!Resident && !_residual)
                    value = LetFloat(L("xTail" + Int(j)), value);
                _writer.WriteLine($"{L("sumSquares")} += {value} * {value};");
            });
        }

        /// <summary>
        /// The first pass's value of vector <paramref name="k"/>. A register-resident row declares it as the local x{k},
        /// which later passes reuse; the fused residual form declares x{k} = x + residual and stores it to sum.
        /// Otherwise the load itself.
        /// </summary>
        private string FirstPassVector(string at, int k)
        {
            string local = L("x" + Int(k));
            if (_residual)
            {
                Let(local, InputSum(at));
                if (!_nonTemporal)
                    _writer.WriteLine(_v.Store(local, L("sumRow"), at));
                return local;
            }
            return Resident ? Let(local, _v.Load(L("xRow"), at)) : _v.Load(L("xRow"), at);
        }

        private string FirstPassTail(string at, int j)
        {
            string local = L("xTail" + Int(j));
            if (_residual)
            {
                LetFloat(local, ScalarInputSum(at));
                if (!_nonTemporal)
                    _writer.WriteLine($"{ScalarLoad(L("sumRow"), at)} = {local};");
                return local;
            }
            return Resident ? LetFloat(local, ScalarLoad(L("xRow"), at)) : ScalarLoad(L("xRow"), at);
        }

        /// <summary>
        /// Stage 2, the corrected two-pass algorithm: Σe (and Σe² for the forward pass) for e = x − centre,
        /// which are small wherever the row lies, even when the pivot was far from the mean. Declares
        /// <c>offset</c> = Σe / N and its broadcast and, with squares, <c>sumSquares</c>.
        /// </summary>
        private void EmitCentreCorrection(bool withSquares)
        {
            string centre = VectorName("vCentre", "centre");
            _writer.WriteComment(withSquares
                ? "Scalar math: e = x − centre; offset = Σe / N; var = Σe² / N − offset²; the mean is centre + offset"
                : "Scalar math: e = x − centre; offset = Σe / N (as the forward pass did)");
            DeclareAccumulators(L("sumCentred"));
            if (withSquares)
                DeclareAccumulators(L("sumSquares"));
            ForEachVector((at, k, a, first) =>
            {
                // The non-temporal form recomputes x + residual (the same float add as stage 1) instead of reading sum.
                string input = Resident ? L("x" + Int(k))
                    : _nonTemporal ? Let(L("input" + Int(k)), InputSum(at))
                    : _v.Load(InputRow, at);
                string e = Let(L("e" + Int(k)), $"{input} - {centre}");
                if (_nonTemporal && !PrefetchWhileStoringSum)
                    EmitPrefetchAhead(at);
                Accumulate(L("sumCentred"), a, first, e);
                if (withSquares)
                    AccumulateProduct(L("sumSquares"), a, first, e, e);
            });
            LetFloat(L("sumCentred"), _v.Sum(Fold(L("sumCentred"))));
            if (withSquares)
                LetFloat(L("sumSquares"), _v.Sum(Fold(L("sumSquares"))));
            ForEachTail((at, j) =>
            {
                string e = LetFloat(L("eTail" + Int(j)), $"{(Resident ? L("xTail" + Int(j)) : ScalarInput(at))} - {L("centre")}");
                _writer.WriteLine($"{L("sumCentred")} += {e};");
                if (withSquares)
                    _writer.WriteLine($"{L("sumSquares")} += {e} * {e};");
            });
            LetFloat(L("offset"), $"{L("sumCentred")} / {N}");
            Broadcast("vOffset", L("offset"));
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
        private void DeclareAccumulators(string prefix)
        {
            if (_path.Strategy != RowStrategy.Streaming)
                return;
            for (int a = 0; a < _path.Accumulators; a++)
                Let(prefix + Int(a), _v.Zero);
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

        private static string ScalarLoad(string reference, string offset) => VectorSyntax.ScalarLoad(reference, offset);
    }
}
