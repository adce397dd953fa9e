namespace Strata.Core.Findings;

using System.Globalization;

/// <summary>
/// How a secret value is shown, everywhere: findings (<see cref="Evidence.Secret"/>), options, registry errors,
/// reports. The one redaction function of the code base; what counts as a secret (rules, names, masking of build
/// text) is decided in Strata.Secrets, which applies it.
/// </summary>
public static class Redaction
{
    /// <summary>
    /// Shows at most four leading characters (fewer for short values: never more than a quarter)
    /// followed by the value's length, e.g. <c>AKIA…(20 chars)</c>.
    /// </summary>
    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shown = Math.Min(4, value.Length / 4);
        return string.Concat(value.AsSpan(0, shown), "…(", value.Length.ToString(CultureInfo.InvariantCulture), " chars)");
    }
}
