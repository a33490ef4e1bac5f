using System;
using System.ComponentModel;

namespace NormGen;

/// <summary>
/// Which optional buffers a normalization call has, for the general checks in <see cref="Validation"/>.
/// A buffer whose part is absent is passed as <c>default</c> and not checked.
/// </summary>
/// <remarks>Public only so that generated code can call <see cref="Validation"/>; not meant for direct use.</remarks>
[Flags]
[EditorBrowsable(EditorBrowsableState.Never)]
public enum NormParts
{
    /// <summary>No optional buffer: x, y (forward) or dy, x, rstd, dx (backward) only.</summary>
    None = 0,

    /// <summary>The scale gamma (and, backward, its gradient dgamma).</summary>
    Gamma = 1,

    /// <summary>The shift beta (and, backward, its gradient dbeta).</summary>
    Beta = 2,

    /// <summary>The per-row mean, saved by forward and passed back to backward.</summary>
    Mean = 4,

    /// <summary>The per-row rstd saved by forward (backward always takes rstd).</summary>
    Rstd = 8,

    /// <summary>Forward only: a residual added to x, and the sum x + residual written out.</summary>
    Residual = 16,
}
