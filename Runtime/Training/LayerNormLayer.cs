using System;

namespace NormGen;

/// <summary>
/// A LayerNorm layer for training: it owns gamma (initialised to 1), beta (0) and their
/// gradients, keeps each row's mean and rstd from <c>Forward</c> for <c>Backward</c>,
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

    /// <summary>y = LayerNorm(x) · Gamma + Beta; keeps the row statistics for <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</summary>
    /// <param name="x">Input, rows × <see cref="HiddenSize"/>.</param>
    /// <param name="y">Output, same length; may be <paramref name="x"/> only if Backward is not needed.</param>
    public void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        int rows = BeginForward(x.Length);
        ForwardKernel(x, Gamma, Beta, y, SavedMean, SavedRstd);
        EndForward(rows);
    }

    /// <summary>Checks x's length and sizes the saved statistics for its rows; the statistics count as lost until
    /// <see cref="EndForward"/> (if the kernel refuses the call, there is nothing to go backward through).</summary>
    private protected int BeginForward(int length)
    {
        if (length % HiddenSize != 0)
            throw new ArgumentException($"The length of x must be a multiple of the hidden size {HiddenSize}, but it is {length}.", "x");
        int rows = length / HiddenSize;
        if (_mean.Length != rows)
        {
            _mean = new float[rows];
            _rstd = new float[rows];
        }
        _savedRows = -1;
        return rows;
    }

    /// <summary>The statistics of <paramref name="rows"/> rows are saved for Backward.</summary>
    private protected void EndForward(int rows) => _savedRows = rows;

    /// <summary>The per-row mean the last Forward saved.</summary>
    private protected float[] SavedMean => _mean;

    /// <summary>The per-row rstd the last Forward saved.</summary>
    private protected float[] SavedRstd => _rstd;

    /// <summary>Computes dx and adds this call's gradients to <see cref="GammaGrad"/> and <see cref="BetaGrad"/>.</summary>
    /// <param name="dy">Gradient with respect to the forward output.</param>
    /// <param name="x">The input of the last <see cref="Forward"/> call, unchanged.</param>
    /// <param name="dx">Gradient with respect to <paramref name="x"/>.</param>
    /// <exception cref="InvalidOperationException">No Forward came first, or it had another row count.</exception>
    public void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        CheckBackward(x.Length);
        BackwardKernel(dy, x, Gamma, _mean, _rstd, dx, _dgammaScratch, _dbetaScratch);
        AccumulateGradients();
    }

    /// <summary>Checks that a Forward of x's row count came first.</summary>
    private protected void CheckBackward(int length)
    {
        if (_savedRows < 0)
            throw new InvalidOperationException("Backward needs the statistics of a Forward call; call Forward first.");
        if (length != _savedRows * HiddenSize)
            throw new InvalidOperationException(
                $"Backward got {length / (double)HiddenSize:0.##} rows but the last Forward had {_savedRows}; pass the same input as that Forward.");
    }

    /// <summary>This call's dgamma and dbeta, which the kernel writes here before they are added to the gradients.</summary>
    private protected float[] GammaGradScratch => _dgammaScratch;

    /// <summary>This call's dbeta.</summary>
    private protected float[] BetaGradScratch => _dbetaScratch;

    /// <summary>Adds this call's dgamma and dbeta to <see cref="GammaGrad"/> and <see cref="BetaGrad"/>.</summary>
    private protected void AccumulateGradients()
    {
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

    /// <summary>y = LayerNorm(x) · Gamma + Beta on half activations, with the float master weights Gamma and Beta;
    /// keeps the row statistics (float) for <see cref="Backward(ReadOnlySpan{Half}, ReadOnlySpan{Half}, Span{Half})"/>.
    /// Each y is within 1 ulp of half of the exact result.</summary>
    /// <param name="x">Input, rows × <see cref="LayerNormLayerBase.HiddenSize"/>.</param>
    /// <param name="y">Output, same length; may be <paramref name="x"/> only if Backward is not needed.</param>
    public void Forward(ReadOnlySpan<Half> x, Span<Half> y)
    {
        int rows = BeginForward(x.Length);
        LayerNorm.Forward(x, Gamma, Beta, y, SavedMean, SavedRstd, HiddenSize, Epsilon);
        EndForward(rows);
    }

    /// <summary>y = LayerNorm(x) · Gamma + Beta on bfloat16 activations, with the float master weights Gamma and
    /// Beta; keeps the row statistics (float) for
    /// <see cref="Backward(ReadOnlySpan{BFloat16}, ReadOnlySpan{BFloat16}, Span{BFloat16})"/>. Each y is within 1 ulp
    /// of bfloat16 of the exact result.</summary>
    /// <param name="x">Input, rows × <see cref="LayerNormLayerBase.HiddenSize"/>.</param>
    /// <param name="y">Output, same length; may be <paramref name="x"/> only if Backward is not needed.</param>
    public void Forward(ReadOnlySpan<BFloat16> x, Span<BFloat16> y)
    {
        int rows = BeginForward(x.Length);
        LayerNorm.Forward(x, Gamma, Beta, y, SavedMean, SavedRstd, HiddenSize, Epsilon);
        EndForward(rows);
    }

    /// <summary>dx in half, and this call's dgamma and dbeta added (in float) to
    /// <see cref="LayerNormLayerBase.GammaGrad"/> and <see cref="LayerNormLayerBase.BetaGrad"/>.</summary>
    /// <param name="dy">Gradient with respect to the forward output.</param>
    /// <param name="x">The input of the last half Forward call, unchanged.</param>
    /// <param name="dx">Gradient with respect to <paramref name="x"/>.</param>
    /// <exception cref="InvalidOperationException">No Forward came first, or it had another row count.</exception>
    public void Backward(ReadOnlySpan<Half> dy, ReadOnlySpan<Half> x, Span<Half> dx)
    {
        CheckBackward(x.Length);
        LayerNorm.Backward(dy, x, Gamma, SavedMean, SavedRstd, dx, GammaGradScratch, BetaGradScratch, HiddenSize);
        AccumulateGradients();
    }

    /// <summary>dx in bfloat16, and this call's dgamma and dbeta added (in float) to
    /// <see cref="LayerNormLayerBase.GammaGrad"/> and <see cref="LayerNormLayerBase.BetaGrad"/>.</summary>
    /// <param name="dy">Gradient with respect to the forward output.</param>
    /// <param name="x">The input of the last bfloat16 Forward call, unchanged.</param>
    /// <param name="dx">Gradient with respect to <paramref name="x"/>.</param>
    /// <exception cref="InvalidOperationException">No Forward came first, or it had another row count.</exception>
    public void Backward(ReadOnlySpan<BFloat16> dy, ReadOnlySpan<BFloat16> x, Span<BFloat16> dx)
    {
        CheckBackward(x.Length);
        LayerNorm.Backward(dy, x, Gamma, SavedMean, SavedRstd, dx, GammaGradScratch, BetaGradScratch, HiddenSize);
        AccumulateGradients();
    }

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
