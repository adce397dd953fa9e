namespace Strata.Reporting;

using System.Globalization;
using System.Text;

/// <summary>
/// Makes text from scanned input safe to print in a table: a tab, a newline or an escape sequence from a
/// Dockerfile or a manifest would break the borders or drive the terminal.
/// </summary>
public static class DisplayText
{
    /// <summary>
    /// One line: runs of whitespace (tabs and newlines included) become one space; other control characters and
    /// invisible format characters (bidi overrides, zero-width marks) become a visible <c>\x1b</c> or <c>\u202e</c>.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control)
            {
                result.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            }
            else if (category is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse || rune.Value == 0xFFFD)
            {
                result.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
            }
            else
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    /// <summary><see cref="OneLine"/>, cut to at most <paramref name="width"/> characters with an ellipsis.</summary>
    public static string Shorten(string text, int width)
    {
        var line = OneLine(text);
        if (line.Length <= width)
        {
            return line;
        }

        var cut = Math.Max(0, width - 1);
        if (cut > 0 && char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }

        return string.Concat(line.AsSpan(0, cut), "…");
    }

    /// <summary>Writes text as UTF-8 (no byte order mark).</summary>
    public static async Task WriteAsync(string text, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
