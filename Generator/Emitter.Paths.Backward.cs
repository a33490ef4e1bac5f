using System;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>The backward kernels: the gradient sums, dx, and the row's terms of dgamma and dbeta.</summary>
    private sealed partial class PathEmitter
    {
        public void EmitBackward()
        {
            string terms = (_spec.HasGamma, _spec.HasBeta) switch
            {
                (true, true) => " Adds each row's terms to dgamma and dbeta, in row order.",
                (true, false) => " Adds each row's terms to dgamma, in row order.",
                _ => "",
            };
            string what = $"Backward rows on {PathName}" + (_nonTemporal ? ", dx written with non-temporal stores" : "");
            _writer.WriteDoc($"<summary>{what}: {DescribePath(_path, _hiddenSize)}.{terms}</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            string name = "Backward" + (_nonTemporal ? "NonTemporal" : "") + _v.Suffix;
            _writer.WriteList($"public static void {name}(", Parameters.KernelDeclarations(BackwardKernelSlots, backward: true),
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
                        EmitPivotSums();
                    },
                    EmitPivotGuard,
                    EmitLayerNormInputGradient,
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
            // No fence after a non-temporal dx: RowScheduler fences once per thread at the end of the call.
            EmitRowLoop(stages, rowsPerIteration: 1);
            _writer.CloseBlock();
        }

        /// <summary>Whether this backward kernel keeps the row (x and dy) in locals across its passes.</summary>
        private bool BackwardResident => Resident && _path.BackwardRegisterResident;

        /// <summary>The vector of x at <paramref name="at"/>: the register-resident x{k}, or a load.</summary>
        private string BackwardX(string at, int k) => BackwardResident ? L("x" + Int(k)) : _v.Load(L("xRow"), at);

        /// <summary>
        /// LayerNorm backward pass 1, about the saved mean as the pivot: Σg, Σg·d, Σd and Σd² for d = x − pivot and
        /// g = dy · gamma (dy without gamma). Declares <c>pivot</c>, <c>inverseStd</c>, the sums,
        /// <c>correction</c> = Σd / N, how far the pivot is from the row's mean, and <c>spread</c> = Σd² / N −
        /// correction², the row's variance about it (for the guard); a register-resident row keeps x{k} and dy{k}.
        /// </summary>
        private void EmitPivotSums()
        {
            _writer.WriteComment($"Scalar math: pivot = the saved mean; d = x − pivot; {(_spec.HasGamma ? "g = dy · gamma" : "g = dy")}; "
                + "Σg; Σg·d; Σd; Σd²");
            if (BackwardResident)
                _writer.WriteComment("The row is register-resident: x and dy are loaded once here, reused by the passes below.");
            LetFloat(L("pivot"), $"mean[{RowIndex}]");
            LetFloat(L("inverseStd"), $"rstd[{RowIndex}]");
            if (!_v.IsScalar)
                _writer.WriteLine($"var {L("vPivot")} = {_v.Broadcast(L("pivot"))};");
            string pivot = VectorName("vPivot", "pivot");
            DeclareAccumulators(L("sumG"));
            DeclareAccumulators(L("sumGD"));
            bool paired = _path.PairedPivotSums;
            int deviationAccumulators = paired ? _path.Accumulators / 2 : _path.Accumulators;
            DeclareAccumulators(L("sumD"), deviationAccumulators);
            DeclareAccumulators(L("sumDD"), deviationAccumulators);
            if (paired)
                _writer.WriteComment("Σd and Σd² take the vectors in pairs, two accumulators each, so that every sum stays "
                    + "in a register");
            (string D, int Accumulator)? unpaired = null;
            ForEachVector((at, k, a, first) =>
            {
                string kk = Int(k);
                string x = BackwardResident ? Let(L("x" + kk), _v.Load(L("xRow"), at)) : _v.Load(L("xRow"), at);
                string dyLoad = _v.Load(L("dyRow"), at);
                string dy = BackwardResident ? Let(L("dy" + kk), dyLoad) : dyLoad;
                string d = Let(L("d" + kk), $"{x} - {pivot}");
                string g = _spec.HasGamma || !BackwardResident ? Let(L("g" + kk), Gradient(dy, at, scalar: false)) : dy;
                Accumulate(L("sumG"), a, first, g);
                AccumulateProduct(L("sumGD"), a, first, g, d);
                if (!paired)
                {
                    Accumulate(L("sumD"), a, first, d);
                    AccumulateProduct(L("sumDD"), a, first, d, d);
                }
                else if (a % 2 == 0)
                {
                    unpaired = (d, a / 2);
                }
                else
                {
                    string previous = unpaired!.Value.D;
                    unpaired = null;
                    Accumulate(L("sumD"), a / 2, first, Let(L("dPair" + kk), $"{previous} + {d}"));
                    string squares = Let(L("ddPair" + kk), _v.MultiplyAdd(d, d, $"{previous} * {previous}"));
                    Accumulate(L("sumDD"), a / 2, first, squares);
                }
            });
            if (unpaired is { } last)
            {
                // An odd last vector: its accumulator already holds a pair.
                Accumulate(L("sumD"), last.Accumulator, false, last.D);
                AccumulateProduct(L("sumDD"), last.Accumulator, false, last.D, last.D);
            }
            LetFloat(L("sumG"), _v.Sum(Fold(L("sumG"))));
            LetFloat(L("sumGD"), _v.Sum(Fold(L("sumGD"))));
            LetFloat(L("sumD"), _v.Sum(Fold(L("sumD"), deviationAccumulators)));
            LetFloat(L("sumDD"), _v.Sum(Fold(L("sumDD"), deviationAccumulators)));
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string d = LetFloat(L("dTail" + jj), $"{ScalarLoad(L("xRow"), at)} - {L("pivot")}");
                string g = LetFloat(L("gTail" + jj), Gradient(ScalarLoad(L("dyRow"), at), at, scalar: true));
                _writer.WriteLine($"{L("sumG")} += {g};");
                _writer.WriteLine($"{L("sumGD")} += {g} * {d};");
                _writer.WriteLine($"{L("sumD")} += {d};");
                _writer.WriteLine($"{L("sumDD")} += {d} * {d};");
            });
            LetFloat(L("correction"), $"{L("sumD")} / {N}");
            LetFloat(L("spread"), $"{L("sumDD")} / {N} - {L("correction")} * {L("correction")}");
        }

        /// <summary>
        /// LayerNorm backward: the guard on the pivot and, where it rejects the saved mean (far from the row's, NaN or ∞),
        /// the row centred from x alone, as the forward pass's fallback centres it: a rough centre from x[0], then Σg·d
        /// and Σd again about it (Σg does not depend on the pivot). Then the gradient means and their broadcasts.
        /// </summary>
        private void EmitPivotGuard()
        {
            string pivot = L("pivot"), correction = L("correction"), inverseStd = L("inverseStd");
            _writer.WriteComment("Scalar math: keep the saved mean as the pivot unless it is far from the row's mean "
                + "((correction · rstd)² > 3, correction² > 3 · spread, or NaN): then pivot = x[0] + Σ(x − x[0]) / N, "
                + "rounded to float, and Σg·d and Σd again");
            _writer.OpenBlock($"if (!StatisticsGuards.PivotHolds({correction}, {inverseStd}, {L("spread")}))");
            LetFloat(L("roughPivot"), L("xRow"));
            string roughPivot = Broadcast("vRoughPivot", L("roughPivot"));
            DeclareAccumulators(L("sumRough"));
            ForEachVector((at, k, a, first) => Accumulate(L("sumRough"), a, first, $"{BackwardX(at, k)} - {roughPivot}"));
            LetFloat(L("sumRough"), _v.Sum(Fold(L("sumRough"))));
            ForEachTail((at, j) => _writer.WriteLine($"{L("sumRough")} += {ScalarLoad(L("xRow"), at)} - {L("roughPivot")};"));
            _writer.WriteLine($"{pivot} = {L("roughPivot")} + {L("sumRough")} / {N};");
            if (!_v.IsScalar)
                _writer.WriteLine($"{L("vPivot")} = {_v.Broadcast(pivot)};");
            string vPivot = VectorName("vPivot", "pivot");
            DeclareAccumulators(L("sumGDAgain"));
            DeclareAccumulators(L("sumDAgain"));
            ForEachVector((at, k, a, first) =>
            {
                string kk = Int(k);
                string d = Let(L("dAgain" + kk), $"{BackwardX(at, k)} - {vPivot}");
                string dy = BackwardResident ? L("dy" + kk) : _v.Load(L("dyRow"), at);
                string g = _spec.HasGamma || !BackwardResident ? Let(L("gAgain" + kk), Gradient(dy, at, scalar: false)) : dy;
                AccumulateProduct(L("sumGDAgain"), a, first, g, d);
                Accumulate(L("sumDAgain"), a, first, d);
            });
            _writer.WriteLine($"{L("sumGD")} = {_v.Sum(Fold(L("sumGDAgain")))};");
            _writer.WriteLine($"{L("sumD")} = {_v.Sum(Fold(L("sumDAgain")))};");
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string d = LetFloat(L("dAgainTail" + jj), $"{ScalarLoad(L("xRow"), at)} - {pivot}");
                _writer.WriteLine($"{L("sumGD")} += {L("gTail" + jj)} * {d};");
                _writer.WriteLine($"{L("sumD")} += {d};");
            });
            _writer.WriteLine($"{correction} = {L("sumD")} / {N};");
            _writer.CloseBlock();
            _writer.WriteComment("Scalar math: mean(g); mean(g · xhat) = rstd · (Σg·d − correction · Σg) / N");
            LetFloat(L("meanG"), $"{L("sumG")} / {N}");
            LetFloat(L("meanGXhat"), $"({L("sumGD")} - {correction} * {L("sumG")}) * {inverseStd} / {N}");
            Broadcast("vRstd", inverseStd);
            Broadcast("vCorrection", correction);
            Broadcast("vMeanG", L("meanG"));
            Broadcast("vNegMeanGXhat", "-" + L("meanGXhat"));
        }

        /// <summary>
        /// LayerNorm backward pass 2: dx, and the row's terms of dgamma and dbeta (they need xhat, which needs the
        /// correction pass 1 found). Per vector: xhat{s}, dy{s}, gamma{s}, dx{s}, dgamma{s}, dbeta{s}; the non-temporal
        /// form writes dx around the cache at dx's aligned partition, and dgamma and dbeta with ordinary stores there.
        /// </summary>
        private void EmitLayerNormInputGradient()
        {
            _writer.WriteComment("Scalar math: xhat = (x − pivot − correction) · rstd; dx = rstd · (g − mean(g) − xhat · "
                + $"mean(g · xhat)){(_spec.HasGamma ? "; dgamma += dy · xhat" : "")}{(_spec.HasBeta ? "; dbeta += dy" : "")}");
            if (_nonTemporal)
            {
                _writer.WriteComment("dx as whole vectors at its row's aligned partition, non-temporally; the lanes before and "
                    + "after with ordinary stores");
                // The inputs 2 rows ahead are prefetched here, as the generic path does (its backward: 0.59–0.90 of the
                // time at the large shapes).
                EmitNonTemporalRow("dx", (at, suffix) => LayerNormGradientTerms(_v.Load(L("xRow"), at), _v.Load(L("dyRow"), at), null, at, suffix),
                    prefetch: true, prefetchGradient: true);
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string x = BackwardX(at, k);
                string dy = BackwardResident ? L("dy" + kk) : _v.Load(L("dyRow"), at);
                string? g = BackwardResident && _spec.HasGamma ? L("g" + kk) : null;
                (string Value, string Row)[] terms = LayerNormGradientTerms(x, dy, g, at, kk);
                string dx = Let(L("dx" + kk), terms[0].Value);
                _writer.WriteLine(_v.Store(dx, L("dxRow"), at));
                foreach ((string value, string row) in terms.Skip(1))
                    _writer.WriteLine(_v.Store(value, row, at));
            });
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string xhat = LetFloat(L("xhatTail" + jj),
                    $"({ScalarLoad(L("xRow"), at)} - {L("pivot")} - {L("correction")}) * {L("inverseStd")}");
                string centredGradient = $"{L("gTail" + jj)} - {L("meanG")} - {xhat} * {L("meanGXhat")}";
                _writer.WriteAssignment(ScalarLoad(L("dxRow"), at), $"({centredGradient}) * {L("inverseStd")}");
                if (_spec.HasGamma || _spec.HasBeta)
                {
                    string dy = LetFloat(L("dyTail" + jj), ScalarLoad(L("dyRow"), at));
                    if (_spec.HasGamma)
                        _writer.WriteLine($"{ScalarLoad("dgammaRef", at)} += {dy} * {xhat};");
                    if (_spec.HasBeta)
                        _writer.WriteLine($"{ScalarLoad("dbetaRef", at)} += {dy};");
                }
            });
        }

        /// <summary>
        /// Writes xhat, g − mean(g) and the parameter loads for one vector of backward pass 2 (locals with
        /// <paramref name="suffix"/>; g is <paramref name="residentG"/> where pass 1 kept it) and returns dx's value,
        /// then the new dgamma and dbeta vectors with their rows.
        /// </summary>
        private (string Value, string Row)[] LayerNormGradientTerms(string x, string dy, string? residentG, string at, string suffix)
        {
            string vPivot = VectorName("vPivot", "pivot"), correction = VectorName("vCorrection", "correction");
            string rstd = VectorName("vRstd", "inverseStd"), meanG = VectorName("vMeanG", "meanG");
            string negMeanGXhat = _v.IsScalar ? "-" + L("meanGXhat") : L("vNegMeanGXhat");
            string xhat = Let(L("xhat" + suffix), $"({x} - {vPivot} - {correction}) * {rstd}");
            // A load is named once, since dgamma and dbeta read it again; a register-resident dy is already a local.
            if (dy.Contains("("))
                dy = Let(L("dy" + suffix), dy);
            string g = residentG ?? (_spec.HasGamma ? $"{dy} * {Let(L("gamma" + suffix), _v.Load("gammaRef", at))}" : dy);
            string centredG = Let(L("gCentred" + suffix), $"{g} - {meanG}");
            string centredGradient = _v.MultiplyAdd(xhat, negMeanGXhat, centredG);
            var terms = new System.Collections.Generic.List<(string, string)>
            {
                ($"{(_v.IsScalar ? $"({centredGradient})" : centredGradient)} * {rstd}", L("dxRow")),
            };
            if (_spec.HasGamma)
                terms.Add((_v.MultiplyAdd(dy, xhat, Let(L("dgamma" + suffix), _v.Load("dgammaRef", at))), "dgammaRef"));
            if (_spec.HasBeta)
                terms.Add(($"{Let(L("dbeta" + suffix), _v.Load("dbetaRef", at))} + {dy}", "dbetaRef"));
            return terms.ToArray();
        }

        /// <summary>RMSNorm's xhat = x · rstd for vector <paramref name="k"/> at <paramref name="at"/>.</summary>
        private string VectorXhat(string at, int k) => $"{_v.Load(L("xRow"), at)} * {VectorName("vRstd", "inverseStd")}";

        /// <summary>RMSNorm's xhat for the tail element at <paramref name="at"/>.</summary>
        private string TailXhat(string at) => $"{ScalarLoad(L("xRow"), at)} * {L("inverseStd")}";

        /// <summary>g = dy · gamma, or dy itself without gamma.</summary>
        private string Gradient(string dy, string at, bool scalar) =>
            !_spec.HasGamma ? dy : $"{dy} * {(scalar ? ScalarLoad("gammaRef", at) : _v.Load("gammaRef", at))}";

        /// <summary>RMSNorm backward pass 1: Σg·xhat, and the row's terms added to dgamma.</summary>
        private void EmitGradientReduction()
        {
            string dyRow = L("dyRow");
            _writer.WriteComment("Scalar math: xhat = x · rstd; g = dy · gamma; Σg·xhat; dgamma += dy · xhat");
            DeclareAccumulators(L("sumGXhat"));
            ForEachVector((at, k, a, first) =>
            {
                string kk = Int(k);
                string xhat = Let(L("xhat" + kk), VectorXhat(at, k));
                string dy = Let(L("dy" + kk), _v.Load(dyRow, at));
                string g = Let(L("g" + kk), Gradient(dy, at, scalar: false));
                AccumulateProduct(L("sumGXhat"), a, first, g, xhat);
                string dgamma = Let(L("dgamma" + kk), _v.Load("dgammaRef", at));
                _writer.WriteLine(_v.Store(_v.MultiplyAdd(dy, xhat, dgamma), "dgammaRef", at));
            });
            LetFloat(L("sumGXhat"), _v.Sum(Fold(L("sumGXhat"))));
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string xhat = LetFloat(L("xhatTail" + jj), TailXhat(at));
                string dy = LetFloat(L("dyTail" + jj), ScalarLoad(dyRow, at));
                string g = LetFloat(L("gTail" + jj), Gradient(dy, at, scalar: true));
                _writer.WriteLine($"{L("sumGXhat")} += {g} * {xhat};");
                _writer.WriteLine($"{ScalarLoad("dgammaRef", at)} += {dy} * {xhat};");
            });
            LetFloat(L("meanGXhat"), $"{L("sumGXhat")} / {N}");
            Broadcast("vNegMeanGXhat", "-" + L("meanGXhat"));
        }

        /// <summary>RMSNorm backward pass 2: dx. A register-resident row reuses pass 1's xhat and g; other rows
        /// recompute them as xhatAgain and gAgain (keeping them would spill); the non-temporal form writes dx around the
        /// cache at its row's aligned partition.</summary>
        private void EmitInputGradient()
        {
            string rstd = VectorName("vRstd", "inverseStd");
            string dyRow = L("dyRow"), dxRow = L("dxRow");
            string negMeanGXhat = _v.IsScalar ? "-" + L("meanGXhat") : L("vNegMeanGXhat");
            _writer.WriteComment("Scalar math: dx = rstd · (g − xhat · mean(g · xhat))");
            if (_nonTemporal)
            {
                _writer.WriteComment("dx as whole vectors at its row's aligned partition, non-temporally; the lanes before and "
                    + "after with ordinary stores");
                EmitNonTemporalRow("dx", (at, suffix) =>
                {
                    string xhat = Let("xhat" + suffix, $"{_v.Load(L("xRow"), at)} * {rstd}");
                    string g = Let("g" + suffix, Gradient(_v.Load(dyRow, at), at, scalar: false));
                    return new[] { ($"{_v.MultiplyAdd(xhat, negMeanGXhat, g)} * {rstd}", "") };
                }, prefetch: true, prefetchGradient: true);
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string xhat = Resident ? L("xhat" + kk) : Let(L("xhatAgain" + kk), VectorXhat(at, k));
                string g = Resident
                    ? L("g" + kk)
                    : Let(L("gAgain" + kk), Gradient(_v.Load(dyRow, at), at, scalar: false));
                string centredGradient = _v.MultiplyAdd(xhat, negMeanGXhat, g);
                string grouped = _v.IsScalar ? $"({centredGradient})" : centredGradient;
                string dx = Let(L("dx" + kk), $"{grouped} * {rstd}");
                _writer.WriteLine(_v.Store(dx, dxRow, at));
            });
            ForEachTail((at, j) =>
            {
                string jj = Int(j);
                string centredGradient = $"{L("gTail" + jj)} - {L("xhatTail" + jj)} * {L("meanGXhat")}";
                _writer.WriteAssignment(ScalarLoad(dxRow, at), $"({centredGradient}) * {L("inverseStd")}");
            });
        }
    }
}
