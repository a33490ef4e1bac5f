namespace NormGen;

/// <summary>Which learned parameters a LayerNorm variant has, as a type whose flags the JIT folds into constants.</summary>
internal interface IAffine
{
    /// <summary>Whether there is a scale gamma (and a dgamma).</summary>
    static abstract bool Scale { get; }

    /// <summary>Whether there is a shift beta (and a dbeta).</summary>
    static abstract bool Shift { get; }
}

/// <summary>y = xhat · gamma + beta: the full LayerNorm.</summary>
internal readonly struct ScaleAndShift : IAffine
{
    public static bool Scale => true;
    public static bool Shift => true;
}

/// <summary>y = xhat · gamma: LayerNorm without bias.</summary>
internal readonly struct ScaleOnly : IAffine
{
    public static bool Scale => true;
    public static bool Shift => false;
}

/// <summary>y = xhat: LayerNorm without an elementwise affine transform.</summary>
internal readonly struct NoAffine : IAffine
{
    public static bool Scale => false;
    public static bool Shift => false;
}
