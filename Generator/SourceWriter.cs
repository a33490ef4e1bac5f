using System.Text;

namespace NormGen.Generator;

/// <summary>A small indented text writer: four spaces per level, '\n' line endings on every platform.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

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

    public override string ToString() => _builder.ToString();
}
