// Every relative link and image of README.md and docs/*.md, [text](path) and ![alt](path), must point to a file or
// folder that exists, relative to the Markdown file. Links with a scheme (http:, https:, mailto:) and pure #anchors
// are not checked; a #fragment is stripped before the path is checked. Links inside code blocks and code spans are
// not links and are skipped.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NormGen.Docs.Tests;

public sealed partial class LinkTests
{
    // [text](target) or ![alt](target), with an optional "title"; the text may hold `code` but no nested brackets.
    [GeneratedRegex(@"!?\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex SchemePattern();

    /// <summary>Each relative link: the Markdown file, the line (1-based), the target as written.</summary>
    public static IEnumerable<(string File, int Line, string Target)> RelativeLinks()
    {
        foreach (string file in Markdown.Files())
        {
            string[] lines = Markdown.Lines(file);
            string? fence = null;
            for (int i = 0; i < lines.Length; i++)
            {
                if (Markdown.IsFence(lines[i], out _))
                {
                    string marker = lines[i].TrimStart()[..3];
                    if (fence is null)
                        fence = marker;
                    else if (marker == fence)
                        fence = null;
                    continue;
                }

                if (fence is not null)
                    continue;
                string text = CodeSpanPattern().Replace(lines[i], "");
                foreach (Match match in LinkPattern().Matches(text))
                {
                    string target = match.Groups[1].Value;
                    if (target.StartsWith('#') || SchemePattern().IsMatch(target))
                        continue;
                    yield return (file, i + 1, target);
                }
            }
        }
    }

    [Fact]
    public void Every_relative_link_and_image_points_to_a_file_that_exists()
    {
        var broken = new List<string>();
        int count = 0;
        foreach ((string file, int line, string target) in RelativeLinks())
        {
            count++;
            string path = Uri.UnescapeDataString(target.Split('#', 2)[0].Split('?', 2)[0]);
            string baseDir = Path.GetDirectoryName(Path.Combine(Markdown.Root, file))!;
            string full = Path.GetFullPath(Path.Combine(baseDir, path));
            if (!File.Exists(full) && !Directory.Exists(full))
                broken.Add($"  {file}:{line}: ({target}) -> {Path.GetRelativePath(Markdown.Root, full)} does not exist");
        }

        Assert.True(count > 0, "No relative links found; the scan is broken.");
        Assert.True(broken.Count == 0, $"{broken.Count} broken relative links or images:\n" + string.Join("\n", broken));
    }
}
