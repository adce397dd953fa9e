namespace Strata.Secrets;

/// <summary>
/// A layer's build step (history created_by) as any finding may show it. Build steps record build-argument
/// values (<c>|1 TOKEN=…</c>), so the text is masked, or withheld when a secret survives the masking.
/// </summary>
public static class BuildStepText
{
    public const string Withheld = "(withheld: this build step's text holds a secret)";

    /// <param name="scanner">The run's scanner: a secret it still finds in the masked text withholds the whole step.</param>
    public static string? Safe(string? createdBy, SecretScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        if (createdBy is null)
        {
            return null;
        }

        var masked = SecretText.Mask(createdBy);
        return HoldsSecret(masked, scanner) ? Withheld : masked;
    }

    /// <summary>
    /// Whether the scanner finds a secret in the text, or in one of its words read as a line of its own with a
    /// leading <c>NAME=</c> taken off: rules written for files (<c>_auth=…</c> in .npmrc, <c>user:$apr1$…</c> in
    /// htpasswd) match at the start of a line, which a build argument's or a label's value is not.
    /// </summary>
    public static bool HoldsSecret(string text, SecretScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scanner);
        var lines = new System.Text.StringBuilder(text).Append('\n');
        foreach (var word in text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            lines.Append(word).Append('\n');
            if (equals > 0 && equals < word.Length - 1)
            {
                lines.Append(word.AsSpan(equals + 1).Trim("\"'")).Append('\n');
            }
        }

        return scanner.ScanText(lines.ToString(), "text").Count > 0;
    }
}
