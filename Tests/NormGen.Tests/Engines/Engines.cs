using System.Collections.Generic;
using System.Linq;

namespace NormGen.Tests;

public static class Engines
{
    public static readonly Engine Reference = new ReferenceEngine();
    public static readonly Engine Generic = new GenericEngine();

    /// <summary>Every engine a numerics test runs over.</summary>
    public static readonly Engine[] All =
    [
        Reference,
        Generic,
        new GeneratedEngine(),
    ];

    /// <summary>Every engine except the reference, i.e. those compared against it.</summary>
    public static IEnumerable<Engine> UnderTest => All.Where(e => e != Reference);

    public static Engine ByName(string name) => All.Single(e => e.Name == name);
}
