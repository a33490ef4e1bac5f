using System;

namespace NormGen;

/// <summary>
/// A LayerNorm layer for training: it owns gamma (initialised to 1), beta (0) and their
/// gradients, keeps each row's mean and rstd from <see cref="Forward"/> for <see cref="Backward"/>,
/// and accumulates gradients across Backward calls until <see cref="ZeroGrad"/>.
/// </summary>
/// <remarks>
/// Backward takes the forward input again rather than keeping a copy of it: the caller has it,
/// and a copy would cost a pass over memory. After the first call with a given row count,
/// Forward and Backward allocate nothing.
/// </remarks>
public abstract class LayerNormLayerBase
{
    private float[] _mean = [];
    private float[] _rstd = [];
    private float[] _dgammaScratch;
    private float[] _dbetaScratch;
    private int _savedRows = -1;

    /// <summary>Creates the parameters for <paramref name="hiddenSize"/> features.</summary>
    /// <param name="hiddenSize">Features per row.</param>
    protected LayerNormLayerBase(int hiddenSize)
    {
        Validation.HiddenSize(hiddenSize);
        HiddenSize = hiddenSize;
        Gamma = new float[hiddenSize];
        Gamma.AsSpan().Fill(1f);
        Beta = new float[hiddenSize];
        GammaGrad = new float[hiddenSize];
        BetaGrad = new float[hiddenSize];
        _dgammaScratch = new float[hiddenSize];
        _dbetaScratch = new float[hiddenSize];
    }

    /// <summary>Features per row.</summary>
    public int HiddenSize { get; }

    /// <summary>The learned scale, initialised to 1.</summary>
    public float[] Gamma { get; }

    /// <summary>The learned shift, initialised to 0.</summary>
    public float[] Beta { get; }

    /// <summary>Σ over Backward calls since <see cref="ZeroGrad"/> of dLoss/dGamma.</summary>
    public float[] GammaGrad { get; }

    /// <summary>Σ over Backward calls since <see cref="ZeroGrad"/> of dLoss/dBeta.</summary>
    public float[] BetaGrad { get; }

    /// <summary>y = LayerNorm(x) · Gamma + Beta; keeps the row statistics for <see cref="Backward"/>.</summary>
    /// <param name="x">Input, rows × <see cref="HiddenSize"/>.</param>
    /// <param name="y">Output, same length; may be <paramref name="x"/> only if Backward is not needed.</param>
    public void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length % HiddenSize != 0)
            throw new ArgumentException($"The length of x must be a multiple of the hidden size {HiddenSize}, but it is {x.Length}.", nameof(x));
        int rows = x.Length / HiddenSize;
        if (_mean.Length != rows)
        {
            _mean = new float[rows];
            _rstd = new float[rows];
        }
        _savedRows = -1;    // if the kernel refuses the call, there is nothing to go backward through
        ForwardKernel(x, Gamma, Beta, y, _mean, _rstd);
        _savedRows = rows;
    }

    /// <summary>Computes dx and adds this call's gradients to <see cref="GammaGrad"/> and <see cref="BetaGrad"/>.</summary>
    /// <param name="dy">Gradient with respect to the forward output.</param>
    /// <param name="x">The input of the last <see cref="Forward"/> call, unchanged.</param>
    /// <param name="dx">Gradient with respect to <paramref name="x"/>.</param>
    /// <exception cref="InvalidOperationException">No Forward came first, or it had another row count.</exception>
    public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        if (_savedRows < 0)
            throw new InvalidOperationException("Backward needs the statistics of a Forward call; call Forward first.");
        if (x.Length != _savedRows * HiddenSize)
            throw new InvalidOperationException(
                $"Backward got {x.Length / (double)HiddenSize:0.##} rows but the last Forward had {_savedRows}; pass the same input as that Forward.");
        BackwardKernel(dy, x, Gamma, _mean, _rstd, dx, _dgammaScratch, _dbetaScratch);
        for (int i = 0; i < HiddenSize; i++)
        {
            GammaGrad[i] += _dgammaScratch[i];
            BetaGrad[i] += _dbetaScratch[i];
        }
    }

    /// <summary>Sets <see cref="GammaGrad"/> and <see cref="BetaGrad"/> to zero.</summary>
    public void ZeroGrad()
    {
        Array.Clear(GammaGrad);
        Array.Clear(BetaGrad);
    }

    /// <summary>The kernel's forward with statistics.</summary>
    private protected abstract void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd);

    /// <summary>The kernel's backward.</summary>
    private protected abstract void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);
}

/// <summary>A LayerNorm layer on the generic path, for a hidden size known only at run time.</summary>
public sealed class LayerNormLayer : LayerNormLayerBase
{
    /// <summary>Creates the layer.</summary>
    /// <param name="hiddenSize">Features per row; positive.</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    public LayerNormLayer(int hiddenSize, float epsilon = 1e-5f) : base(hiddenSize)
    {
        Validation.Epsilon(epsilon);
        Epsilon = epsilon;
    }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    private protected override void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, HiddenSize, Epsilon);

    private protected override void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta) =>
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, HiddenSize);
}

/// <summary>A LayerNorm layer on a generated kernel, e.g. <c>LayerNormLayer&lt;BertNorm.Kernel&gt;</c>.</summary>
/// <typeparam name="TKernel">The generated kernel's nested <c>Kernel</c> type.</typeparam>
public sealed class LayerNormLayer<TKernel> : LayerNormLayerBase where TKernel : ILayerNormKernel
{
    /// <summary>Creates the layer with TKernel's hidden size.</summary>
    public LayerNormLayer() : base(TKernel.HiddenSize) { }

    /// <summary>TKernel's epsilon.</summary>
    public static float Epsilon => TKernel.Epsilon;

    private protected override void ForwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd) =>
        TKernel.Forward(x, gamma, beta, y, mean, rstd);

    private protected override void BackwardKernel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta) =>
        TKernel.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta);
}
