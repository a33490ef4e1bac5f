using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;

namespace NormGen.Tests;

/// <summary>
/// The generated kernels of the family: <see cref="GeneratedFamilyKernels"/> for RMSNorm and the LayerNorm options, and
/// <see cref="GeneratedKernels"/> for the full LayerNorm (its fused residual form). Kernels are fixed at build time,
/// so <see cref="Supports"/> is true only for the declared sizes and epsilons. Each call goes through a delegate bound
/// to the generated method with exactly the variant's parameters, so a signature that changes fails here.
/// </summary>
public sealed class GeneratedFamilyEngine : FamilyEngine
{
    private const float DefaultEpsilon = 1e-5f;

    private delegate void LayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y);
    private delegate void LayerNormForwardStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void LayerNormResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y);
    private delegate void LayerNormResidualStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void LayerNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta);

    private delegate void NoBiasForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y);
    private delegate void NoBiasForwardStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void NoBiasResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y);
    private delegate void NoBiasResidualStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void NoBiasBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma);

    private delegate void NoAffineForward(ReadOnlySpan<float> x, Span<float> y);
    private delegate void NoAffineForwardStatistics(ReadOnlySpan<float> x, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void NoAffineResidual(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y);
    private delegate void NoAffineResidualStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd);
    private delegate void NoAffineBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx);

    private delegate void RmsNormForwardStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, Span<float> rstd);
    private delegate void RmsNormResidualStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma, Span<float> sum, Span<float> y, Span<float> rstd);
    private delegate void RmsNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma);

    private static readonly ConcurrentDictionary<(Variant, int, float), Type?> Types = new();

    private static readonly ConcurrentDictionary<(Type, string, Type), Delegate> Delegates = new();

    public override string Name => "Generated";

    public override bool Supports(Variant v, int hiddenSize, float epsilon) => Find(v, hiddenSize, epsilon) is not null;

    public override void Forward(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        Type type = Get(v, hiddenSize, epsilon);
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: Bind<LayerNormForward>(type, "Forward")(x, gamma, beta, y); break;
            case Variant.LayerNorm: Bind<LayerNormForwardStatistics>(type, "Forward")(x, gamma, beta, y, mean, rstd); break;
            case Variant.LayerNormNoBias when plain: Bind<NoBiasForward>(type, "Forward")(x, gamma, y); break;
            case Variant.LayerNormNoBias: Bind<NoBiasForwardStatistics>(type, "Forward")(x, gamma, y, mean, rstd); break;
            case Variant.LayerNormNoAffine when plain: Bind<NoAffineForward>(type, "Forward")(x, y); break;
            case Variant.LayerNormNoAffine: Bind<NoAffineForwardStatistics>(type, "Forward")(x, y, mean, rstd); break;
            case Variant.RmsNorm when plain: Bind<NoBiasForward>(type, "Forward")(x, gamma, y); break;
            case Variant.RmsNorm: Bind<RmsNormForwardStatistics>(type, "Forward")(x, gamma, y, rstd); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    public override void ForwardResidual(Variant v, ReadOnlySpan<float> x, ReadOnlySpan<float> residual, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> sum, Span<float> y, Span<float> mean, Span<float> rstd, int hiddenSize, float epsilon)
    {
        Type type = Get(v, hiddenSize, epsilon);
        bool plain = WithoutStatistics(v, mean, rstd);
        switch (v)
        {
            case Variant.LayerNorm when plain: Bind<LayerNormResidual>(type, "ForwardResidual")(x, residual, gamma, beta, sum, y); break;
            case Variant.LayerNorm: Bind<LayerNormResidualStatistics>(type, "ForwardResidual")(x, residual, gamma, beta, sum, y, mean, rstd); break;
            case Variant.LayerNormNoBias when plain: Bind<NoBiasResidual>(type, "ForwardResidual")(x, residual, gamma, sum, y); break;
            case Variant.LayerNormNoBias: Bind<NoBiasResidualStatistics>(type, "ForwardResidual")(x, residual, gamma, sum, y, mean, rstd); break;
            case Variant.LayerNormNoAffine when plain: Bind<NoAffineResidual>(type, "ForwardResidual")(x, residual, sum, y); break;
            case Variant.LayerNormNoAffine: Bind<NoAffineResidualStatistics>(type, "ForwardResidual")(x, residual, sum, y, mean, rstd); break;
            case Variant.RmsNorm when plain: Bind<NoBiasResidual>(type, "ForwardResidual")(x, residual, gamma, sum, y); break;
            case Variant.RmsNorm: Bind<RmsNormResidualStatistics>(type, "ForwardResidual")(x, residual, gamma, sum, y, rstd); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    /// <summary>Backward has no epsilon; any kernel of the hidden size computes it, so the default-epsilon one is used.</summary>
    public override void Backward(Variant v, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int hiddenSize)
    {
        Type type = Get(v, hiddenSize, DefaultEpsilon);
        switch (v)
        {
            case Variant.LayerNorm: Bind<LayerNormBackward>(type, "Backward")(dy, x, gamma, mean, rstd, dx, dgamma, dbeta); break;
            case Variant.LayerNormNoBias: Bind<NoBiasBackward>(type, "Backward")(dy, x, gamma, mean, rstd, dx, dgamma); break;
            case Variant.LayerNormNoAffine: Bind<NoAffineBackward>(type, "Backward")(dy, x, mean, rstd, dx); break;
            case Variant.RmsNorm: Bind<RmsNormBackward>(type, "Backward")(dy, x, gamma, rstd, dx, dgamma); break;
            default: throw new ArgumentOutOfRangeException(nameof(v));
        }
    }

    /// <summary>The public static method <paramref name="name"/> of <paramref name="type"/> whose parameters are exactly
    /// those of <typeparamref name="TDelegate"/>, names included.</summary>
    private static TDelegate Bind<TDelegate>(Type type, string name) where TDelegate : Delegate =>
        (TDelegate)Delegates.GetOrAdd((type, name, typeof(TDelegate)), static key => Create<TDelegate>(key.Item1, key.Item2));

    private static TDelegate Create<TDelegate>(Type type, string name) where TDelegate : Delegate
    {
        ParameterInfo[] wanted = typeof(TDelegate).GetMethod("Invoke")!.GetParameters();
        MethodInfo method = type.GetMethods(BindingFlags.Public | BindingFlags.Static).SingleOrDefault(m => m.Name == name
            && m.GetParameters().Select(p => (p.ParameterType, p.Name)).SequenceEqual(wanted.Select(p => (p.ParameterType, p.Name))))
            ?? throw new MissingMethodException($"{type.Name}.{name} with the parameters of {typeof(TDelegate).Name}");
        return method.CreateDelegate<TDelegate>();
    }

    private static Type Get(Variant v, int hiddenSize, float epsilon) =>
        Find(v, hiddenSize, epsilon)
        ?? throw new NotSupportedException($"No generated {v} kernel for hidden size {hiddenSize} and epsilon {epsilon:R}; declare one in GeneratedFamilyKernels.cs.");

    private static Type? Find(Variant v, int hiddenSize, float epsilon) =>
        Types.GetOrAdd((v, hiddenSize, epsilon), static key =>
        {
            (Variant v, int n, float epsilon) = key;
            string suffix = epsilon == DefaultEpsilon ? "" : epsilon == 1e-3f ? "Epsilon1e3" : "?";
            string name = v == Variant.LayerNorm ? $"N{n}{suffix}" : $"{v}{n}{suffix}";
            Type owner = v == Variant.LayerNorm ? typeof(GeneratedKernels) : typeof(GeneratedFamilyKernels);
            return owner.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic);
        });
}
