using System;

namespace NormGen;

/// <summary>
/// The 16-bit element types a generated kernel class also accepts, besides float: set it with
/// <c>[LayerNorm(4096, Storage = NormStorage.BFloat16)]</c> or on <see cref="RmsNormAttribute"/>. Flags: ask for
/// <c>NormStorage.Half | NormStorage.BFloat16</c> to get both.
/// </summary>
/// <remarks>
/// For each type asked for, the class gets the same members as for float, with x, y, residual, sum, dy and dx in that
/// type, and gamma and beta either in that type (as checkpoints store them) or in float (a trainer's master weights);
/// mean, rstd, dgamma and dbeta stay float. Rows are widened to float in registers on load, and each 16-bit output is
/// rounded once, to nearest even, on store. The float members are always generated; a type not asked for generates no
/// code.
/// </remarks>
[Flags]
public enum NormStorage
{
    /// <summary>Float rows only (the default).</summary>
    None = 0,

    /// <summary>Also IEEE 754 half precision rows (<see cref="System.Half"/>).</summary>
    Half = 1,

    /// <summary>Also bfloat16 rows (<see cref="T:NormGen.BFloat16"/>).</summary>
    BFloat16 = 2,
}
