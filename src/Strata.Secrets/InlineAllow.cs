namespace Strata.Secrets;

/// <summary>
/// Comments with which a file's author marks a value as known not to be a secret, in the spellings of the scanners
/// a repository already answers to: <c>strata:allow</c>, gitleaks' <c>gitleaks:allow</c>, detect-secrets'
/// <c>pragma: allowlist secret</c> and secretlint's <c>secretlint-disable-line</c> on the line itself, or
/// <c>strata:allow-next-line</c>, <c>pragma: allowlist nextline secret</c> and <c>secretlint-disable-next-line</c>
/// on the line before.
/// </summary>
internal static class InlineAllow
{
    /// <summary>How far from the secret a marker is looked for, so a minified line costs no more than a short one.</summary>
    private const int Reach = 2048;

    private static readonly string[] SameLine = ["strata:allow", "gitleaks:allow", "pragma: allowlist secret", "pragma:allowlist secret", "secretlint-disable-line"];

    private static readonly string[] LineBefore = ["strata:allow-next-line", "pragma: allowlist nextline secret", "pragma:allowlist nextline secret", "secretlint-disable-next-line"];

    /// <summary>Whether the line holding <paramref name="index"/>, or the line before it, carries an allow marker.</summary>
    public static bool IsAllowed(string text, int index)
    {
        var lineStart = LineStart(text, index);
        var searchEnd = Math.Min(text.Length, index + Reach);
        var lineEnd = text.IndexOf('\n', index, searchEnd - index);
        var line = text.AsSpan(lineStart, (lineEnd < 0 ? searchEnd : lineEnd) - lineStart);
        if (ContainsAny(line, SameLine))
        {
            return true;
        }

        if (lineStart == 0 || text[lineStart - 1] != '\n')
        {
            return false;
        }

        var previousStart = LineStart(text, lineStart - 1);
        return ContainsAny(text.AsSpan(previousStart, lineStart - 1 - previousStart), LineBefore);
    }

    /// <summary>Where the line that <paramref name="index"/> is on starts, or <see cref="Reach"/> before it.</summary>
    private static int LineStart(string text, int index)
    {
        if (index == 0)
        {
            return 0;
        }

        var count = Math.Min(index, Reach);
        var newline = text.LastIndexOf('\n', index - 1, count);
        return newline < 0 ? index - count : newline + 1;
    }

    private static bool ContainsAny(ReadOnlySpan<char> line, string[] markers)
    {
        foreach (var marker in markers)
        {
            if (line.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
