using System.Collections.Generic;
using System.Text;

namespace NormGen.Generator;

/// <summary>
/// A small indented text writer: four spaces per level, '\n' line endings on every platform. It keeps lines within
/// <see cref="MaxLineLength"/> (counted in UTF-8 bytes, see <see cref="Width"/>) where it is told how a line may break: comments and XML docs wrap at spaces, and
/// parameter and argument lists wrap between items.
/// </summary>
internal sealed class SourceWriter
{
    /// <summary>The longest line the emitted code should have, indentation and comments included.</summary>
    public const int MaxLineLength = 120;

    /// <summary>
    /// A line's width as tools that read the file as bytes count it: its UTF-8 length. The comments' math (−, ·, Σ, ²)
    /// takes two or three bytes a character, so a line within 120 characters could still be wider than 120 there.
    /// </summary>
    public static int Width(string text) => Encoding.UTF8.GetByteCount(text);

    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    private int IndentWidth => _indent * IndentUnit.Length;

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public void WriteLine()
    {
        _builder.Append('\n');
    }

    public void WriteLine(string line)
    {
        for (int i = 0; i < _indent; i++)
            _builder.Append(IndentUnit);
        _builder.Append(line).Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (if any) and an opening brace, and indents.</summary>
    public void OpenBlock(string? header = null)
    {
        if (header is not null)
            WriteLine(header);
        WriteLine("{");
        Indent();
    }

    /// <summary>Unindents and writes a closing brace.</summary>
    public void CloseBlock()
    {
        Unindent();
        WriteLine("}");
    }

    /// <summary><c>left = right;</c>, with <paramref name="right"/> on the next line, one level deeper, when the
    /// statement does not fit on one.</summary>
    public void WriteAssignment(string left, string right)
    {
        string single = $"{left} = {right};";
        if (IndentWidth + Width(single) <= MaxLineLength)
        {
            WriteLine(single);
            return;
        }
        WriteLine(left + " =");
        Indent();
        WriteLine(right + ";");
        Unindent();
    }

    /// <summary>A <c>//</c> comment, wrapped at spaces.</summary>
    public void WriteComment(string text) => WriteWrapped("// ", text, breakInsideTags: false);

    /// <summary>One XML doc comment element (or any <c>///</c> text), wrapped at spaces outside tags and after the
    /// commas of a cref's parameter list (the compiler reads a cref across lines).</summary>
    public void WriteDoc(string text) => WriteWrapped("/// ", text, breakInsideTags: true);

    /// <summary>
    /// <paramref name="head"/>, the <paramref name="items"/> separated by commas, then <paramref name="tail"/>, on
    /// one line when it fits. Otherwise the items continue on the lines below, one level deeper: one per line when
    /// <paramref name="onePerLine"/> (declarations), else as many per line as fit (arguments).
    /// </summary>
    public void WriteList(string head, IReadOnlyList<string> items, string tail, bool onePerLine)
    {
        string single = head + string.Join(", ", items) + tail;
        if (IndentWidth + Width(single) <= MaxLineLength || items.Count == 0)
        {
            WriteLine(single);
            return;
        }
        WriteLine(head.TrimEnd());
        Indent();
        var line = new StringBuilder();
        int lineWidth = 0;
        for (int i = 0; i < items.Count; i++)
        {
            string item = items[i] + (i == items.Count - 1 ? tail : ",");
            int itemWidth = Width(item);
            if (line.Length > 0 && (onePerLine || IndentWidth + lineWidth + 1 + itemWidth > MaxLineLength))
            {
                WriteLine(line.ToString());
                line.Clear();
                lineWidth = 0;
            }
            if (line.Length > 0)
            {
                line.Append(' ');
                lineWidth++;
            }
            line.Append(item);
            lineWidth += itemWidth;
        }
        WriteLine(line.ToString());
        Unindent();
    }

    private void WriteWrapped(string prefix, string text, bool breakInsideTags)
    {
        int width = MaxLineLength - IndentWidth - Width(prefix);
        foreach (string line in Wrap(text, width, breakInsideTags))
            WriteLine(prefix + line);
    }

    /// <summary>Splits <paramref name="text"/> into lines of at most <paramref name="width"/> UTF-8 bytes where it
    /// can; a word longer than the width stays whole.</summary>
    private static IEnumerable<string> Wrap(string text, int width, bool breakInsideTags)
    {
        // Where a line may break: at a space outside a tag, or inside one right after a comma. bytesBefore[i] is the
        // width of text[0..i).
        var breakable = new bool[text.Length];
        var bytesBefore = new int[text.Length + 1];
        bool inTag = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bytesBefore[i + 1] = bytesBefore[i] + (c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3);
            if (c == '<')
                inTag = true;
            else if (c == '>')
                inTag = false;
            else if (c == ' ' && i > 0)
                breakable[i] = !inTag || (breakInsideTags && text[i - 1] == ',');
        }

        int start = 0;
        while (bytesBefore[text.Length] - bytesBefore[start] > width)
        {
            int breakAt = -1, i = start + 1;
            for (; i < text.Length && bytesBefore[i] - bytesBefore[start] <= width; i++)
            {
                if (breakable[i])
                    breakAt = i;
            }
            for (; breakAt < 0 && i < text.Length; i++)
            {
                if (breakable[i])
                    breakAt = i;
            }
            if (breakAt < 0)
                break;
            yield return text.Substring(start, breakAt - start);
            start = breakAt + 1;
        }
        yield return text.Substring(start);
    }

    public override string ToString() => _builder.ToString();
}
