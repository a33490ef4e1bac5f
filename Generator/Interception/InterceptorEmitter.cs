using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using NormGen.Generator.Upgrade;

namespace NormGen.Generator.Interception;

/// <summary>
/// InterceptorGroup -> the C# text of its interceptors: a file-local class whose methods carry
/// <c>[InterceptsLocation]</c> for each call and forward to the hidden kernel class written into the same file by
/// the <see cref="Emitter"/>. Every character of the interceptors' output is written here.
/// </summary>
internal static class InterceptorEmitter
{
    private const int MaxLineLength = 120;

    private static readonly string GeneratedCode =
        $"[GeneratedCode(\"{Emitter.GeneratorName}\", \"{Emitter.GeneratorVersion}\")]";

    public static InterceptionText Emit(InterceptorGroup group, CancellationToken cancellationToken = default)
    {
        KernelKey kernel = group.Kernel;
        string className = kernel.ClassName;
        var writer = new SourceWriter();
        writer.WriteLine();
        writer.OpenBlock($"namespace {InterceptionOptions.Namespace}");
        writer.WriteLine("using System.CodeDom.Compiler;");
        writer.WriteLine("using System.Runtime.CompilerServices;");
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Redirects the calls of the generic path listed below, whose hidden size is the constant {Int(kernel.HiddenSize)},");
        writer.WriteLine($"/// to <see cref=\"{className}\"/> above: the kernel that <c>{kernel.Attribute}</c> declares,");
        writer.WriteLine("/// so the same checks, the same exceptions and the same bits. The project opted in with NormGenInterceptCalls.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(GeneratedCode);
        writer.OpenBlock($"file static class {className}Interceptors");
        for (int i = 0; i < group.Methods.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i > 0)
                writer.WriteLine();
            WriteMethod(writer, className, kernel, group.Methods[i]);
        }
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();
        WriteAttributeDeclaration(writer);
        return new InterceptionText(className, writer.ToString());
    }

    private static void WriteMethod(SourceWriter writer, string className, KernelKey kernel, InterceptorMethod method)
    {
        string[] forwarded = method.Parameters
            .Select(p => p.Name)
            .Where(name => name is not GenericCallParser.HiddenSizeParameter and not GenericCallParser.EpsilonParameter)
            .ToArray();
        bool hasEpsilon = method.Parameters.Any(p => p.Name == GenericCallParser.EpsilonParameter);
        // <c>, not a cref: the member has overloads, and a cref without a signature is ambiguous (CS0419 under
        // GenerateDocumentationFile).
        writer.WriteLine($"/// <summary>NormGen.{method.GenericType}.{method.GenericMember} -> <c>{className}.{method.TargetMember}</c>.");
        writer.WriteLine(hasEpsilon
            ? $"/// At every call below hiddenSize is {Int(kernel.HiddenSize)} and epsilon is {KernelNaming.EpsilonLiteral(kernel.Epsilon)}, built into the kernel.</summary>"
            : $"/// At every call below hiddenSize is {Int(kernel.HiddenSize)}, built into the kernel.</summary>");
        foreach (InterceptedLocation location in method.Locations)
        {
            writer.WriteLine($"// {location.Display}");
            WriteInterceptsLocation(writer, location);
        }
        writer.WriteLine(GeneratedCode);
        writer.WriteLine($"public static void {method.Name}(");
        writer.Indent();
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterInfo parameter = method.Parameters[i];
            writer.WriteLine($"{parameter.Type} {parameter.Name}{(i == method.Parameters.Count - 1 ? ")" : ",")}");
        }
        writer.WriteLine($"=> {className}.{method.TargetMember}({string.Join(", ", forwarded)});");
        writer.Unindent();
    }

    /// <summary><c>[InterceptsLocation(1, "data")]</c>, the data split into concatenated pieces if the line would be too long.</summary>
    private static void WriteInterceptsLocation(SourceWriter writer, InterceptedLocation location)
    {
        string head = $"[InterceptsLocation({Int(location.Version)}, ";
        string single = $"{head}\"{location.Data}\")]";
        // The class body is two levels deep (namespace, class): 8 spaces.
        if (8 + single.Length <= MaxLineLength)
        {
            writer.WriteLine(single);
            return;
        }
        writer.WriteLine(head.TrimEnd());
        writer.Indent();
        const int pieceLength = MaxLineLength - 12 - 6;   // 12 spaces, the quotes, " +" or ")]"
        var pieces = new List<string>();
        for (int start = 0; start < location.Data.Length; start += pieceLength)
            pieces.Add(location.Data.Substring(start, System.Math.Min(pieceLength, location.Data.Length - start)));
        for (int i = 0; i < pieces.Count; i++)
            writer.WriteLine(i == pieces.Count - 1 ? $"\"{pieces[i]}\")]" : $"\"{pieces[i]}\" +");
        writer.Unindent();
    }

    /// <summary>The compiler recognizes the attribute by name; a file-local declaration per file (as the .NET
    /// configuration-binding generator writes it) keeps it out of the user's API and clashes with nothing.</summary>
    private static void WriteAttributeDeclaration(SourceWriter writer)
    {
        writer.OpenBlock("namespace System.Runtime.CompilerServices");
        writer.WriteLine("/// <summary>Tells the compiler to call the method it marks instead of the call at the location given.</summary>");
        writer.WriteLine(GeneratedCode.Replace("[GeneratedCode(", "[global::System.CodeDom.Compiler.GeneratedCode("));
        writer.WriteLine("[global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]");
        writer.OpenBlock("file sealed class InterceptsLocationAttribute : global::System.Attribute");
        writer.WriteLine("/// <summary>A location in the form <c>SemanticModel.GetInterceptableLocation</c> gives.</summary>");
        writer.WriteLine("/// <param name=\"version\">The encoding of <paramref name=\"data\"/>.</param>");
        writer.WriteLine("/// <param name=\"data\">The file's checksum, the call's position and the file's name.</param>");
        writer.OpenBlock("public InterceptsLocationAttribute(int version, string data)");
        writer.WriteLine("_ = version;");
        writer.WriteLine("_ = data;");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.CloseBlock();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
