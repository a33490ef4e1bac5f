using System;
using System.Numerics.Tensors;

namespace NormGen.Samples.SentenceEmbeddings.Model;

/// <summary>
/// One way to compute the model's LayerNorms (384 features, epsilon 1e-12): the generated kernel, NormGen's
/// generic path, or a TensorPrimitives composition. The encoder takes one, so the three can be timed in the same
/// model on the same activations.
/// </summary>
internal abstract class NormEngine
{
    public abstract string Name { get; }

    /// <summary>y = LayerNorm(x) · gamma + beta, row by row; y may be x.</summary>
    public abstract void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y);

    /// <summary>sum = x + residual, y = LayerNorm(sum) · gamma + beta; y may be residual.</summary>
    public abstract void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> sum, Span<float> y);

    public static NormEngine Generated { get; } = new GeneratedEngine();
    public static NormEngine Generic { get; } = new GenericEngine();
    public static NormEngine TensorPrimitivesComposition { get; } = new TensorPrimitivesEngine();
    public static NormEngine[] All => [Generated, Generic, TensorPrimitivesComposition];

    private sealed class GeneratedEngine : NormEngine
    {
        public override string Name => "generated kernel (MiniLmNorm)";

        public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
            Span<float> y) => MiniLmNorm.Forward(x, gamma, beta, y);

        public override void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual,
            ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y)
            => MiniLmNorm.ForwardResidual(x, residual, gamma, beta, sum, y);
    }

    private sealed class GenericEngine : NormEngine
    {
        public override string Name => "generic path (NormGen.LayerNorm)";

        public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
            Span<float> y) => LayerNorm.Forward(x, gamma, beta, y, BertConfig.Hidden, BertConfig.Epsilon);

        public override void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual,
            ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y)
            => LayerNorm.ForwardResidual(x, residual, gamma, beta, sum, y, BertConfig.Hidden, BertConfig.Epsilon);
    }

    /// <summary>LayerNorm as a .NET developer would compose it from TensorPrimitives: a centred two-pass variance.</summary>
    private sealed class TensorPrimitivesEngine : NormEngine
    {
        private const int N = BertConfig.Hidden;

        public override string Name => "TensorPrimitives composition";

        public override void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
            Span<float> y)
        {
            for (int r = 0; r < x.Length / N; r++)
            {
                ReadOnlySpan<float> xr = x.Slice(r * N, N);
                Span<float> yr = y.Slice(r * N, N);
                float mean = TensorPrimitives.Sum(xr) / N;
                TensorPrimitives.Subtract(xr, mean, yr);                         // y = x − mean
                float variance = TensorPrimitives.SumOfSquares(yr) / N;
                float rstd = 1 / MathF.Sqrt(variance + BertConfig.Epsilon);
                TensorPrimitives.Multiply(yr, rstd, yr);                         // y = xhat
                TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);          // y = xhat · gamma + beta
            }
        }

        public override void ForwardResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual,
            ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y)
        {
            TensorPrimitives.Add(x, residual, sum);
            Forward(sum, gamma, beta, y);
        }
    }
}
