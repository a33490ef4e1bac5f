using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NormGen.Docs.Tests;

/// <summary>The documentation files: README.md and docs/*.md, found from the repository root.</summary>
internal static class Markdown
{
    /// <summary>The repository root: the first folder above the test's location that holds NormGen.sln.</summary>
    public static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NormGen.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"NormGen.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>README.md and every docs/*.md, as paths relative to the root with '/' separators.</summary>
    public static IReadOnlyList<string> Files()
    {
        var files = new List<string> { "README.md" };
        string docs = Path.Combine(Root, "docs");
        if (Directory.Exists(docs))
        {
            files.AddRange(Directory.GetFiles(docs, "*.md")
                .Select(path => "docs/" + Path.GetFileName(path))
                .OrderBy(path => path, StringComparer.Ordinal));
        }

        return files;
    }

    public static string[] Lines(string file) => File.ReadAllLines(Path.Combine(Root, file));

    /// <summary>Whether a line opens or closes a fenced code block (``` or ~~~, possibly indented).</summary>
    public static bool IsFence(string line, out string info)
    {
        string trimmed = line.TrimStart();
        if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
        {
            info = trimmed.TrimStart('`', '~').Trim();
            return true;
        }

        info = "";
        return false;
    }
}
