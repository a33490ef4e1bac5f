using System.Collections.Generic;
using System.Linq;

namespace NormGen.Tests;

/// <summary>Every implementation of the kernel family; a family test runs over each.</summary>
public static class FamilyEngines
{
    public static readonly FamilyEngine Reference = new ReferenceFamilyEngine();

    /// <summary>Every engine a family test runs over.</summary>
    public static readonly FamilyEngine[] All =
    [
        Reference,
        new GenericFamilyEngine(),
        new GeneratedFamilyEngine(),
    ];

    /// <summary>Every engine except the reference, i.e. those compared against it.</summary>
    public static IEnumerable<FamilyEngine> UnderTest => All.Where(e => e != Reference);

    public static FamilyEngine ByName(string name) => All.Single(e => e.Name == name);
}
