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
    }
}
