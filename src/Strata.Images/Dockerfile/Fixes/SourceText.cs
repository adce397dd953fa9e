namespace Strata.Images.Dockerfile.Fixes;

using System.Text;

/// <summary>A replacement of <paramref name="Length"/> characters at <paramref name="Start"/> of a Dockerfile's text.</summary>
public sealed record TextEdit(int Start, int Length, string Replacement)
{
    public int End => Start + Length;

    public static TextEdit Insert(int at, string text) => new(at, 0, text);
}

/// <summary>A Dockerfile's text as written, addressed by 1-based line; line endings (LF or CRLF) kept.</summary>
public sealed class SourceText
{
    private readonly List<int> lineStarts = [0];

    public SourceText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public int LineCount => lineStarts.Count;

    /// <summary>Offset of the first character of <paramref name="line"/>.</summary>
    public int LineStart(int line) => lineStarts[Math.Clamp(line, 1, lineStarts.Count) - 1];

    /// <summary>Offset just before the line break (CR LF or LF) that ends <paramref name="line"/>, or the end of the text.</summary>
    public int LineContentEnd(int line)
    {
        var end = line < lineStarts.Count ? lineStarts[line] - 1 : Text.Length;
        if (end > LineStart(line) && end <= Text.Length && end > 0 && end - 1 < Text.Length && Text[end - 1] == '\r' && line < lineStarts.Count)
        {
            end--;
        }

        return end;
    }

    public string Line(int line) => Text[LineStart(line)..LineContentEnd(line)];

    /// <summary>The line ending the file uses ("\r\n" when its first line break is one, else "\n").</summary>
    public string NewLine
    {
        get
        {
            var first = Text.IndexOf('\n', StringComparison.Ordinal);
            return first > 0 && Text[first - 1] == '\r' ? "\r\n" : "\n";
        }
    }

    /// <summary>Applies non-overlapping edits (overlapping ones after the first are dropped); returns the new text.</summary>
    public string Apply(IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var ordered = edits.OrderBy(e => e.Start).ThenBy(e => e.Length).ToList();
        var result = new StringBuilder(Text.Length + 256);
        var position = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < position || edit.End > Text.Length)
            {
                continue;
            }

            result.Append(Text, position, edit.Start - position).Append(edit.Replacement);
            position = edit.End;
        }

        return result.Append(Text, position, Text.Length - position).ToString();
    }
}
