// The linked NormGen.Tests sources are written for xunit 2, where ITestOutputHelper lives in Xunit.Abstractions;
// xunit.v3 moved it to Xunit. This empty namespace lets their `using Xunit.Abstractions;` compile unchanged here.
namespace Xunit.Abstractions
{
    internal static class XunitV2Compatibility
    {
    }
}
