using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace NormGen.Samples.Training;

/// <summary>
/// A deep residual stack, transformer style: h ← h + GELU(Linear(norm(h))) in every block,
/// then a final norm and a linear readout. With <c>norm</c> = LayerNorm it is a pre-LN stack, with the final
/// LayerNorm that pre-LN transformers put before their head; without it, norm is the identity.
/// </summary>
internal sealed class ResidualNetwork
{
    private readonly int _width;
    private readonly Linear[] _linears;
    private readonly LayerNormLayerBase?[] _norms;
    private readonly LayerNormLayerBase? _finalNorm;
    private readonly Linear _readout;

    // Per block, what backward needs: the block input h, the normalized input a, the pre-activation z.
    private readonly float[][] _h, _a, _z;
    private readonly float[] _final;
    private readonly float[] _scratch, _dz, _da, _dNorm, _dh, _output, _dOutput;

    public ResidualNetwork(int width, int depth, int batch, int outputs, Func<LayerNormLayerBase>? makeNorm, Random random)
    {
        _width = width;
        double initStd = Math.Sqrt(2.0 / width);     // He initialisation, the usual choice before GELU
        _linears = new Linear[depth];
        _norms = new LayerNormLayerBase?[depth];
        for (int k = 0; k < depth; k++)
        {
            _linears[k] = new Linear(width, width, initStd, random);
            _norms[k] = makeNorm?.Invoke();
        }
        _finalNorm = makeNorm?.Invoke();
        _readout = new Linear(width, outputs, Math.Sqrt(1.0 / width), random);
        _final = new float[batch * width];

        _h = Buffers(depth + 1, batch * width);
        _a = Buffers(depth, batch * width);
        _z = Buffers(depth, batch * width);
        _scratch = new float[batch * width];
        _dz = new float[batch * width];
        _da = new float[batch * width];
        _dNorm = new float[batch * width];
        _dh = new float[batch * width];
        _output = new float[batch * outputs];
        _dOutput = new float[batch * outputs];
    }

    public int Depth => _linears.Length;

    public IReadOnlyList<(float[] Parameter, float[] Gradient)> Parameters()
    {
        var parameters = new List<(float[], float[])>();
        for (int k = 0; k < Depth; k++)
        {
            parameters.Add((_linears[k].Weight, _linears[k].WeightGrad));
            parameters.Add((_linears[k].Bias, _linears[k].BiasGrad));
            if (_norms[k] is { } norm)
            {
                parameters.Add((norm.Gamma, norm.GammaGrad));
                parameters.Add((norm.Beta, norm.BetaGrad));
            }
        }
        if (_finalNorm is not null)
        {
            parameters.Add((_finalNorm.Gamma, _finalNorm.GammaGrad));
            parameters.Add((_finalNorm.Beta, _finalNorm.BetaGrad));
        }
        parameters.Add((_readout.Weight, _readout.WeightGrad));
        parameters.Add((_readout.Bias, _readout.BiasGrad));
        return parameters;
    }

    /// <summary>‖dLoss/dW‖ of block <paramref name="block"/>'s linear layer, after <see cref="TrainStep"/>.</summary>
    public double WeightGradientNorm(int block) => TensorPrimitives.Norm(_linears[block].WeightGrad);

    /// <summary>Forward, mean-squared-error loss and backward on one batch; returns the loss.</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        foreach (var (_, gradient) in Parameters())
            Array.Clear(gradient);

        // Forward.
        inputs.CopyTo(_h[0]);
        for (int k = 0; k < Depth; k++)
        {
            float[] a = _a[k];
            if (_norms[k] is { } norm) norm.Forward(_h[k], a);
            else _h[k].CopyTo(a, 0);
            _linears[k].Forward(a, _z[k]);
            Gelu.Forward(_z[k], _scratch);
            TensorPrimitives.Add(_h[k], _scratch, _h[k + 1]);
        }
        if (_finalNorm is not null) _finalNorm.Forward(_h[Depth], _final);
        else _h[Depth].CopyTo(_final, 0);
        _readout.Forward(_final, _output);

        // Loss = mean((output − target)²); dLoss/doutput = 2 (output − target) / count.
        TensorPrimitives.Subtract(_output, targets, _dOutput);
        float loss = TensorPrimitives.SumOfSquares(_dOutput) / _dOutput.Length;
        TensorPrimitives.Multiply(_dOutput, 2f / _dOutput.Length, _dOutput);

        // Backward: dh flows down the residual path; each block adds its branch's gradient.
        float[] dh = _dh;
        _readout.Backward(_dOutput, _final, _dNorm);
        if (_finalNorm is not null) _finalNorm.Backward(_dNorm, _h[Depth], dh);
        else _dNorm.CopyTo(dh, 0);
        for (int k = Depth - 1; k >= 0; k--)
        {
            Gelu.Backward(dh, _z[k], _dz);
            _linears[k].Backward(_dz, _a[k], _da);
            if (_norms[k] is { } norm)
            {
                norm.Backward(_da, _h[k], _dNorm);
                TensorPrimitives.Add(dh, _dNorm, dh);
            }
            else
            {
                TensorPrimitives.Add(dh, _da, dh);
            }
        }
        return loss;
    }

    private static float[][] Buffers(int count, int length)
    {
        var buffers = new float[count][];
        for (int i = 0; i < count; i++) buffers[i] = new float[length];
        return buffers;
    }
}
