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
        return scanner.ScanText(masked, "created_by").Count > 0 ? Withheld : masked;
    }
}
