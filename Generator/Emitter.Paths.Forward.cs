using System;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>The forward kernels: statistics, rstd, y and the saved statistics.</summary>
    private sealed partial class PathEmitter
    {
        public void EmitForward()
        {
            bool residual = _residual;
            string name = ForwardKernelName(residual, _nonTemporal) + _v.Suffix;
            string[] spans = residual ? ResidualKernelSlots : ForwardKernelSlots;
            string outputs = residual ? "sum and y" : "y";
            string what = (residual ? "Fused residual forward rows" : "Forward rows") + $" on {PathName}"
                + (_nonTemporal ? $", {outputs} written with non-temporal stores" : "");
            _writer.WriteDoc($"<summary>{what}: {DescribePath(_path, _hiddenSize)}.</summary>");
            _writer.WriteLine(GeneratedCodeAttribute);
            _writer.WriteList($"public static void {name}(", Parameters.KernelDeclarations(spans, backward: false), ")",
                onePerLine: false);
            _writer.OpenBlock();
            WriteReferences(Present(residual ? new[] { "x", "residual", "gamma", "beta", "sum", "y" } : new[] { "x", "gamma", "beta", "y" }));
            _writer.WriteLine("bool saveStatistics = !rstd.IsEmpty;");
            Action rowReferences = () =>
            {
                WriteRowReferences(residual ? new[] { "x", "residual", "sum", "y" } : new[] { "x", "y" });
                _writer.WriteLine();
            };
            Action[] stages;
            if (!_spec.HasMean)
            {
                stages = new Action[]
                {
                    () => { rowReferences(); EmitSumOfSquares(); },
                    () =>
                    {
                        _writer.WriteComment("Scalar math: rstd = 1 / sqrt(Σx² / N + eps), an exact square root and a divide");
                        LetFloat(L("inverseStd"), $"1f / MathF.Sqrt({L("sumSquares")} / {N} + {Float(_spec.Epsilon)})");
                        Broadcast("vRstd", L("inverseStd"));
                    },
                    EmitScale,
                    EmitSaveStatistics,
                };
            }
            else if (_path.OnePassStatistics)
            {
                stages = new Action[] { () => { rowReferences(); EmitOnePassStatistics(); }, EmitOnePassGuard, EmitRstd, EmitNormalize, EmitSaveStatistics };
            }
            else
            {
                string input = residual ? "sum" : "x";
                string stored = residual ? $"sum = x + residual{(_nonTemporal ? "" : ", stored")}; " : "";
                stages = new Action[]
                {
                    () =>
                    {
                        rowReferences();
                        EmitRoughCentre($"{stored}pivot = {input}[0]; centre = pivot + Σ({input} − pivot) / N, rounded to float");
                    },
                    () =>
                    {
                        EmitCentreCorrection(withSquares: true);
                        LetFloat(L("variance"), $"MathF.Max({L("sumSquares")} / {N} - {L("offset")} * {L("offset")}, 0f)");
                    },
                    EmitRstd,
                    EmitNormalize,
                    EmitSaveStatistics,
                };
            }
            EmitRowLoop(stages, _nonTemporal ? 1 : _path.ForwardRowsPerIteration);
            if (_nonTemporal)
                _writer.WriteLine("NonTemporalStores.Fence();");
            _writer.CloseBlock();
        }

        /// <summary>The kernel's input vector at <paramref name="at"/> in a non-temporal output stage: x, or x + residual
        /// recomputed into input{suffix} (the same float add as stage 1, since sum is not read back).</summary>
        private string NonTemporalInput(string at, string suffix) =>
            _residual ? Let("input" + suffix, InputSum(at)) : _v.Load(L("xRow"), at);

        /// <summary>LayerNorm's rstd from the variance.</summary>
        private void EmitRstd()
        {
            _writer.WriteComment("Scalar math: rstd = 1 / sqrt(var + eps), an exact square root and a divide");
            LetFloat(L("inverseStd"), $"1f / MathF.Sqrt({L("variance")} + {Float(_spec.Epsilon)})");
            Broadcast("vRstd", L("inverseStd"));
        }

        /// <summary>
        /// LayerNorm forward stage 1 on a one-pass path: Σd and Σd² for d = v − pivot, the pivot the row's first element
        /// (v is x, or sum = x + residual, which this pass stores). Declares <c>centre</c> (the pivot, for now),
        /// <c>offset</c> and <c>variance</c>; a register-resident row keeps v in x{k}.
        /// </summary>
        private void EmitOnePassStatistics()
        {
            string v = _residual ? "sum" : "x";
            string stored = _residual ? $"sum = x + residual{(_nonTemporal ? "" : ", stored")}; " : "";
            _writer.WriteComment($"Scalar math: {stored}pivot = {v}[0]; d = {v} − pivot; offset = Σd / N; "
                + "var = Σd² / N − offset², in one pass");
            if (Resident)
                _writer.WriteComment("The row is register-resident: loaded once here, reused by every pass below.");
            LetFloat(L("pivot"), _residual ? $"{L("xRow")} + {L("residualRow")}" : L("xRow"));
            string pivot = Broadcast("vPivot", L("pivot"));
            DeclareAccumulators(L("sumDeviations"));
            DeclareAccumulators(L("sumSquares"));
            ForEachVector((at, k, a, first) =>
            {
                string d = Let(L("d" + Int(k)), $"{FirstPassVector(at, k)} - {pivot}");
                if (_nonTemporal && !PrefetchWhileStoringSum)
                    EmitPrefetchAhead(at);
                Accumulate(L("sumDeviations"), a, first, d);
                AccumulateProduct(L("sumSquares"), a, first, d, d);
            });
            LetFloat(L("sumDeviations"), _v.Sum(Fold(L("sumDeviations"))));
            LetFloat(L("sumSquares"), _v.Sum(Fold(L("sumSquares"))));
            ForEachTail((at, j) =>
            {
                string d = LetFloat(L("dTail" + Int(j)), $"{FirstPassTail(at, j)} - {L("pivot")}");
                _writer.WriteLine($"{L("sumDeviations")} += {d};");
                _writer.WriteLine($"{L("sumSquares")} += {d} * {d};");
            });
            LetFloat(L("centre"), L("pivot"));
            LetFloat(L("offset"), $"{L("sumDeviations")} / {N}");
            LetFloat(L("variance"), $"{L("sumSquares")} / {N} - {L("offset")} * {L("offset")}");
        }

        /// <summary>
        /// LayerNorm forward stage 2 on a one-pass path: the guard, and the corrected two-pass form where it rejects the
        /// one-pass statistics (a pivot far from the mean, or a NaN or ∞ in the row). The fallback is the two-pass
        /// kernel's arithmetic exactly, from its rough centre pivot + offset; it declares the broadcasts of the row's
        /// (centre, offset) after it.
        /// </summary>
        private void EmitOnePassGuard()
        {
            string centre = L("centre"), offset = L("offset"), variance = L("variance");
            _writer.WriteComment("Scalar math: keep (pivot, offset) unless the pivot is far from the mean (offset² > 3 var, "
                + "|offset| > 8 (1 + |mean|), or NaN): then centre = pivot + offset, rounded to float, and the corrected "
                + "two-pass form over e = x − centre");
            _writer.OpenBlock($"if (!StatisticsGuards.OnePassHolds({L("pivot")}, {offset}, {variance}))");
            _writer.WriteLine($"{centre} = {L("pivot")} + {offset};");
            string roughCentre = Broadcast("vRoughCentre", centre);
            DeclareAccumulators(L("sumCentred"));
            DeclareAccumulators(L("squaresCentred"));
            ForEachVector((at, k, a, first) =>
            {
                // The non-temporal form recomputes x + residual (the same float add as stage 1) instead of reading sum.
                string input = Resident ? L("x" + Int(k))
                    : _nonTemporal && _residual ? Let(L("input" + Int(k)), InputSum(at))
                    : _v.Load(InputRow, at);
                string e = Let(L("e" + Int(k)), $"{input} - {roughCentre}");
                Accumulate(L("sumCentred"), a, first, e);
                AccumulateProduct(L("squaresCentred"), a, first, e, e);
            });
            LetFloat(L("sumCentred"), _v.Sum(Fold(L("sumCentred"))));
            LetFloat(L("squaresCentred"), _v.Sum(Fold(L("squaresCentred"))));
            ForEachTail((at, j) =>
            {
                string e = LetFloat(L("eTail" + Int(j)), $"{(Resident ? L("xTail" + Int(j)) : ScalarInput(at))} - {centre}");
                _writer.WriteLine($"{L("sumCentred")} += {e};");
                _writer.WriteLine($"{L("squaresCentred")} += {e} * {e};");
            });
            _writer.WriteLine($"{offset} = {L("sumCentred")} / {N};");
            _writer.WriteAssignment(variance, $"MathF.Max({L("squaresCentred")} / {N} - {offset} * {offset}, 0f)");
            _writer.CloseBlock();
            Broadcast("vCentre", centre);
            Broadcast("vOffset", offset);
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
                    string input = NonTemporalInput(at, suffix);
                    string xhat = Let("xhat" + suffix, $"({input} - {centre} - {offset}) * {rstd}");
                    return AffineVector(xhat, at, suffix);
                });
                return;
            }
            ForEachVector((at, k, _, _) =>
            {
                string kk = Int(k);
                string centred = !Resident ? $"{_v.Load(input, at)} - {centre} - {offset}"
                    : _path.OnePassStatistics ? $"{L("x" + kk)} - {centre} - {offset}"
                    : $"{L("e" + kk)} - {offset}";
                string xhat = Let(L("xhat" + kk), $"({centred}) * {rstd}");
                string y = Let(L("y" + kk), AffineVector(xhat, at, kk));
                _writer.WriteLine(_v.Store(y, yRow, at));
            });
            ForEachTail((at, j) =>
            {
                string centred = !Resident ? $"{ScalarLoad(input, at)} - {L("centre")} - {L("offset")}"
                    : _path.OnePassStatistics ? $"{L("xTail" + Int(j))} - {L("centre")} - {L("offset")}"
                    : $"{L("eTail" + Int(j))} - {L("offset")}";
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
                    string xhat = Let("xhat" + suffix, $"{NonTemporalInput(at, suffix)} * {rstd}");
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

        private void EmitSaveStatistics()
        {
            _writer.OpenBlock("if (saveStatistics)");
            if (_spec.HasMean)
                _writer.WriteLine($"mean[{RowIndex}] = {L("centre")} + {L("offset")};");
            _writer.WriteLine($"rstd[{RowIndex}] = {L("inverseStd")};");
            _writer.CloseBlock();
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
                if (_nonTemporal && !PrefetchWhileStoringSum)
                    EmitPrefetchAhead(at);
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
                string input = Resident ? L("x" + Int(k)) : _v.Load(InputRow, at);
                string e = Let(L("e" + Int(k)), $"{input} - {centre}");
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
    }
}
