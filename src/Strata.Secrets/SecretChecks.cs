namespace Strata.Secrets;

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>The checks a match passes after its regex: entropy, placeholders, format validation.</summary>
internal static class SecretChecks
{
    /// <summary>
    /// Values published in vendor documentation and tutorials. They grant no access, and they
    /// appear in distribution docs and sample code, so they are not reported.
    /// </summary>
    internal static readonly IReadOnlySet<string> DocumentationValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAI44QH8DHBEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    };

    /// <summary>Secrets that are placeholders in every rule: template variables, masks, and the usual stand-in words.</summary>
    private static readonly Regex Placeholder = new(
        """
        ^(?:
          [xX*.#_-]{3,}
        | 0{8,}
        | \$\{[^}]*\}.*  | \$\([^)]*\).* | \$[A-Za-z_][A-Za-z0-9_]*
        | %[A-Za-z_][A-Za-z0-9_]*%
        | \{\{.*\}\}
        | <[^>]*>
        | \[[^\]]*\]
        | (?i:(?:your|my|insert|enter|put|replace)[_-]?(?:own[_-]?)?(?:(?:api|access|secret|auth|private)[_-]?)*(?:key|token|secret|password|pass|pw|here|value)(?:[_-]?here)?)
        | (?i:(?:changeme|change_me|changeit|replaceme|replace_me|placeholder|redacted|dummy|sample|fake|todo|tbd|secret|password|passwd|token|none|null|nil|undefined|empty|default|foobar|foo|bar|admin|root|user|guest|test|testing|example)[0-9]*)
        | (?i:sekrit|s3cr3t|s3cret|secr3t|hunter2|letmein|trustno1|passw0rd|p@ssw0rd|p@ssword|p4ssw0rd|pa55word|pa55w0rd|xyzzy|plugh|swordfish|opensesame)
        )$
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
        SecretRule.MatchTimeout);

    /// <summary>Markers of a documentation or template value anywhere in a secret.</summary>
    private static readonly Regex PlaceholderMarker = new(
        @"(?i:example|xxxxxx|\*\*\*\*|placeholder|changeme|dummy|(?:your|my)[_-]?(?:api[_-]?)?(?:key|token|secret|password))",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
        SecretRule.MatchTimeout);

    public static bool IsPlaceholder(string secret) =>
        DocumentationValues.Contains(secret) || Placeholder.IsMatch(secret) || PlaceholderMarker.IsMatch(secret);

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[256];
        var other = new Dictionary<char, int>();
        foreach (var c in value)
        {
            if (c < 256)
            {
                counts[c]++;
            }
            else
            {
                other[c] = other.GetValueOrDefault(c) + 1;
            }
        }

        double entropy = 0;
        double length = value.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / length;
                entropy -= p * Math.Log2(p);
            }
        }

        foreach (var count in other.Values)
        {
            var p = count / length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    public static bool Validate(SecretValidation validation, string secret) => validation switch
    {
        SecretValidation.None => true,
        SecretValidation.Jwt => IsJwt(secret),
        SecretValidation.Base64UserPassword => IsBase64UserPassword(secret),
        SecretValidation.OpenSshUnencrypted => OpenSshCipher(secret) is "none",
        SecretValidation.OpenSshEncrypted => OpenSshCipher(secret) is { } cipher && cipher != "none",

        // Needs the whole match and the file's kind: the scanner calls KeywordAssignment.Accept.
        SecretValidation.KeywordAssignment => true,
        _ => false,
    };

    private static bool IsJwt(string secret)
    {
        var dot = secret.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot > 4096)
        {
            return false;
        }

        var header = DecodeBase64Url(secret.AsSpan(0, dot));
        if (header is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("alg", out var alg)
                && alg.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsBase64UserPassword(string secret)
    {
        var buffer = new byte[((secret.Length * 3) / 4) + 3];
        if (!Convert.TryFromBase64String(secret, buffer, out var written) || written < 3)
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written);
        var colon = decoded.IndexOf((byte)':');
        if (colon < 1 || colon == written - 1)
        {
            return false;
        }

        foreach (var b in decoded)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return false;
            }
        }

        return !IsPlaceholder(Encoding.ASCII.GetString(decoded[(colon + 1)..]));
    }

    /// <summary>The cipher name of an OpenSSH private key body, or null when it is not one.</summary>
    private static string? OpenSshCipher(string body)
    {
        // Enough base64 for the magic, the cipher name and its length.
        var compact = new StringBuilder();
        foreach (var c in body)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
                if (compact.Length == 128)
                {
                    break;
                }
            }
        }

        var text = compact.ToString(0, compact.Length - (compact.Length % 4));
        var bytes = new byte[96];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return null;
        }

        var magic = "openssh-key-v1\0"u8;
        var data = bytes.AsSpan(0, written);
        if (!data.StartsWith(magic) || data.Length < magic.Length + 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(data[magic.Length..]);
        var start = magic.Length + 4;
        if (length is 0 or > 64 || start + (int)length > data.Length)
        {
            return null;
        }

        return Encoding.ASCII.GetString(data.Slice(start, (int)length));
    }

    private static byte[]? DecodeBase64Url(ReadOnlySpan<char> part)
    {
        var text = new StringBuilder(part.Length + 3);
        foreach (var c in part)
        {
            text.Append(c switch { '-' => '+', '_' => '/', _ => c });
        }

        while (text.Length % 4 != 0)
        {
            text.Append('=');
        }

        var buffer = new byte[part.Length];
        return Convert.TryFromBase64String(text.ToString(), buffer, out var written) ? buffer[..written] : null;
    }
}
