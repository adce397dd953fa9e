namespace Strata.Core.Findings;

/// <summary>
/// How strongly a secret finding's evidence identifies a real credential, weakest first, so that <c>--fail-on-evidence</c>
/// can ask for a minimum: a keyword beside a random-looking value, a provider's token shape, a format whose structure
/// decodes (a PEM key, a JWT, a key store), or a token whose embedded checksum or watermark is correct.
/// </summary>
public enum EvidenceKind
{
    /// <summary>A secret-named key (password, token, api_key …) assigned a value that is neither a placeholder nor code, judged by entropy.</summary>
    KeywordEntropy = 0,

    /// <summary>A provider's token shape (prefix, length, alphabet), with no internal check.</summary>
    ProviderPattern = 1,

    /// <summary>A format that decodes to the structure it claims (a PEM or OpenSSH key, a JWT's header and payload, a PKCS#12 store, Docker auth).</summary>
    Structured = 2,

    /// <summary>A token whose embedded checksum or watermark is correct (GitHub and npm CRC32, OpenAI, Sentry).</summary>
    ChecksumValidated = 3,
}

public static class EvidenceKindNames
{
    public static string ToName(this EvidenceKind kind) => kind switch
    {
        EvidenceKind.KeywordEntropy => "keyword-entropy",
        EvidenceKind.ProviderPattern => "provider-pattern",
        EvidenceKind.Structured => "structured",
        EvidenceKind.ChecksumValidated => "checksum-validated",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string text, out EvidenceKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var candidate in Enum.GetValues<EvidenceKind>())
        {
            if (string.Equals(candidate.ToName(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = EvidenceKind.KeywordEntropy;
        return false;
    }

    /// <summary>The names, weakest first, for messages and help.</summary>
    public static string All => string.Join(", ", Enum.GetValues<EvidenceKind>().Select(k => k.ToName()));
}
