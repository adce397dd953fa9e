namespace Strata.Core.Targets;

using Strata.Core.Findings;

/// <summary>
/// Credentials written into an image reference (<c>docker://user:password@host/repo</c>), which Strata refuses: a
/// reference is repeated in reports, logs and process lists. Messages show such a reference with the password redacted.
/// </summary>
public static class ReferenceCredentials
{
    /// <summary>
    /// True when <paramref name="reference"/> (with or without a transport prefix) has a <c>user[:password]@</c>
    /// before its first '/'; <paramref name="redacted"/> is then the reference with the password redacted.
    /// </summary>
    public static bool TryFind(string reference, out string redacted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        redacted = reference;
        var schemeEnd = reference.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
        var slash = reference.IndexOf('/', start);
        var at = reference.IndexOf('@', start);
        // "name@sha256:…" is a digest; an '@' before the first '/' of "user:pass@host/repo" is user-info.
        if (at < 0 || slash < 0 || at > slash)
        {
            return false;
        }

        var userInfo = reference[start..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var shown = colon < 0 ? userInfo : string.Concat(userInfo.AsSpan(0, colon + 1), Redaction.Redact(userInfo[(colon + 1)..]));
        redacted = string.Concat(reference.AsSpan(0, start), shown, reference.AsSpan(at));
        return true;
    }

    /// <summary>The usage error for a reference with credentials in it; the password is not repeated.</summary>
    public static StrataException Refused(string redactedReference) =>
        StrataException.Usage($"'{redactedReference}': credentials in an image reference are not accepted (they would show in reports and process lists); pass them with --creds USER:PASSWORD or --authfile FILE.");
}
