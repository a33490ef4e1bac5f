namespace NormGen.Samples.Transformer;

/// <summary>Where a block's norms sit.</summary>
internal enum NormPlacement
{
    /// <summary>h ← h + f(norm(h)) for each branch f, and a final norm before the head (GPT-2 and later).</summary>
    Pre,

    /// <summary>h ← norm(h + f(h)) for each branch f, no final norm (the original Transformer).</summary>
    Post,
}
