namespace Strata.Images.Secrets;

using Strata.Images.Dockerfile.Checks;
using Strata.Secrets;

/// <summary>
/// A layer's build step (history created_by) as any finding may show it. Build steps record build-argument
/// values (<c>|1 TOKEN=…</c>), so the text is masked, or withheld when a secret survives the masking.
/// </summary>
public static class BuildStepText
{
    public const string Withheld = "(withheld: this build step's text holds a secret)";

    public static string? Safe(string? createdBy, SecretScanner? scanner = null)
    {
        if (createdBy is null)
        {
            return null;
        }

        var masked = SecretText.Mask(createdBy);
        return (scanner ?? SecretScanner.Default).ScanText(masked, "created_by").Count > 0 ? Withheld : masked;
    }
}
