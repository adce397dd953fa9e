namespace Strata.Secrets;

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Secrets.Structured;

/// <summary>The checks a match passes after its regex: entropy, placeholders, format validation.</summary>
internal static partial class SecretChecks
{
    /// <summary>Source-generated regexes (no construction at run time) over short values: anchored alternations that cannot backtrack far.</summary>
    private const int MatchTimeoutMilliseconds = 1000;

    /// <summary>Secrets that are placeholders in every rule: template variables, masks, and the usual stand-in words.</summary>
    [GeneratedRegex(
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
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant,
        MatchTimeoutMilliseconds)]
    private static partial Regex Placeholder();

    /// <summary>
    /// Markers of a documentation, template or elided value anywhere in a secret: sample words, masks, and an ellipsis or
    /// a redaction mark where characters were left out. Ascending runs (<c>12345678</c>) are not markers: providers and
    /// peers print such values as real-format samples, and users paste them into test environments that accept them.
    /// </summary>
    [GeneratedRegex(
        @"(?i:example|xxxxxx|\*\*\*\*|placeholder|changeme|dummy|redacted|\.\.\.|\.\.$|…|\u00e2\u0080\u00a6|(?:your|my)[_-]?(?:api[_-]?)?(?:key|token|secret|password))",
        RegexOptions.CultureInvariant,
        MatchTimeoutMilliseconds)]
    private static partial Regex PlaceholderMarker();

    /// <summary>
    /// True when the characters right after a value say that it was cut short: an ellipsis (also UTF-8 "…" read as
    /// Latin-1 bytes), a mask, or a redaction mark. A regex stops at those characters, so the secret alone cannot show it.
    /// </summary>
    public static bool IsElidedAt(string text, int end)
    {
        var after = text.AsSpan(end, Math.Min(12, text.Length - end));
        return after.StartsWith("..", StringComparison.Ordinal)
            || after.StartsWith("\u00e2\u0080\u00a6", StringComparison.Ordinal)
            || after.StartsWith("…", StringComparison.Ordinal)
            || after.StartsWith("***", StringComparison.Ordinal)
            || after.StartsWith("[redacted", StringComparison.OrdinalIgnoreCase)
            || after.StartsWith("<redacted", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Masks and elisions: the markers that also void a value in a provider's own format.</summary>
    [GeneratedRegex(
        @"(?i:xxxxxx|\*\*\*\*|redacted|\.\.\.|\.\.$|…|\u00e2\u0080\u00a6)",
        RegexOptions.CultureInvariant,
        MatchTimeoutMilliseconds)]
    private static partial Regex MaskMarker();

    /// <param name="providerFormat">
    /// True for a value in a provider's exact format (prefix, length, alphabet): sample words inside it ("Example",
    /// "Dummy") do not void it, since providers and users write live-format test tokens that way and a token's random
    /// part may spell them; masks and elisions still do. False for a keyword rule's free-form value.
    /// </param>
    public static bool IsPlaceholder(string secret, bool providerFormat = false) =>
        Placeholder().IsMatch(secret) || (providerFormat ? MaskMarker() : PlaceholderMarker()).IsMatch(secret);

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
        SecretValidation.Crc32Base62 => HasCrc32Base62Checksum(secret),
        SecretValidation.OpenAiWatermark => HasOpenAiWatermark(secret),
        SecretValidation.SentryOrgToken => IsSentryOrgToken(secret),
        SecretValidation.PemDer => PemBody.Decode(secret) is { } der && PemBody.IsDerSequence(der),
        SecretValidation.PgpUnprotected => PgpSecretKey.Classify(secret) is PgpProtection.Unprotected or PgpProtection.Unknown,
        SecretValidation.PgpProtected => PgpSecretKey.Classify(secret) is PgpProtection.Protected,
        SecretValidation.Pkcs12Unprotected => Pkcs12Of(secret) is Pkcs12Protection.Unprotected,
        SecretValidation.Pkcs12Protected => Pkcs12Of(secret) is Pkcs12Protection.Protected,
        SecretValidation.Ssh2Unencrypted => Ssh2PrivateKey.Cipher(secret) is "none",
        SecretValidation.Ssh2Encrypted => Ssh2PrivateKey.Cipher(secret) is { } cipher && cipher != "none",
        SecretValidation.PemBase64 => PemBody.Decode(secret) is { Length: >= 32 },

        // Needs the whole match and the file's kind: the scanner calls KeywordAssignment.Accept.
        SecretValidation.KeywordAssignment => true,
        _ => false,
    };

    /// <summary>
    /// GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens of 40 characters: prefix, 30 random base62
    /// characters, then the IEEE CRC32 of those 30 as six base62 digits. A value of another length is not this format.
    /// </summary>
    internal static bool HasCrc32Base62Checksum(string secret)
    {
        const int Prefix = 4;
        const int Random = 30;
        const int Checksum = 6;
        if (secret.Length != Prefix + Random + Checksum)
        {
            return false;
        }

        Span<byte> body = stackalloc byte[Random];
        for (var i = 0; i < Random; i++)
        {
            body[i] = (byte)secret[Prefix + i];
        }

        ulong expected = Crc32(body);
        ulong written = 0;
        foreach (var c in secret.AsSpan(Prefix + Random))
        {
            var digit = Base62Digit(c);
            if (digit < 0)
            {
                return false;
            }

            written = (written * 62) + (ulong)digit;
        }

        return written == expected;
    }

    /// <summary>The IEEE 802.3 CRC32 (zlib's crc32, Go's crc32.ChecksumIEEE).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static int Base62Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        >= 'a' and <= 'z' => c - 'a' + 36,
        _ => -1,
    };

    private static bool HasOpenAiWatermark(string secret)
    {
        const string Watermark = "T3BlbkFJ";
        var at = secret.IndexOf(Watermark, StringComparison.Ordinal);
        if (at < 0 || secret.IndexOf(Watermark, at + 1, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        // The key body: after "sk-" and an optional kind ("proj-", "svcacct-", "admin-").
        var start = secret.StartsWith("sk-", StringComparison.Ordinal) ? 3 : 0;
        foreach (var kind in (ReadOnlySpan<string>)["proj-", "svcacct-", "admin-"])
        {
            if (string.CompareOrdinal(secret, start, kind, 0, kind.Length) == 0)
            {
                start += kind.Length;
                break;
            }
        }

        return at - start >= 20 && secret.Length - (at + Watermark.Length) >= 20;
    }

    /// <summary>sntrys_ + base64 of {"iat":…,"url":…,"org":…} + _ + the secret.</summary>
    private static bool IsSentryOrgToken(string secret)
    {
        const string Prefix = "sntrys_";
        var end = secret.LastIndexOf('_');
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || end <= Prefix.Length || secret.Length - end - 1 < 32)
        {
            return false;
        }

        var payload = DecodeBase64Url(secret.AsSpan(Prefix.Length, end - Prefix.Length));
        if (payload is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("iat", out _)
                && (root.TryGetProperty("url", out _) || root.TryGetProperty("org", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A JWS in compact form: the header decodes to a JSON object with a string <c>alg</c>, the payload to a JSON object.</summary>
    private static bool IsJwt(string secret)
    {
        var dot = secret.IndexOf('.', StringComparison.Ordinal);
        var second = dot < 0 ? -1 : secret.IndexOf('.', dot + 1);
        if (dot <= 0 || dot > 4096 || second <= dot + 1)
        {
            return false;
        }

        return DecodeBase64Url(secret.AsSpan(0, dot)) is { } header
            && DecodeBase64Url(secret.AsSpan(dot + 1, second - dot - 1)) is { } payload
            && IsJsonObject(header, "alg")
            && IsJsonObject(payload, null);
    }

    private static bool IsJsonObject(byte[] json, string? stringMember)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && (stringMember is null || (root.TryGetProperty(stringMember, out var member) && member.ValueKind == JsonValueKind.String));
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
        // Escapes undone: the key may be written inside a JSON or YAML string.
        foreach (var c in PemBody.Unescape(body.AsSpan(0, Math.Min(body.Length, 1024))))
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

    private static Pkcs12Protection Pkcs12Of(string base64) =>
        PemBody.Decode(base64) is { } data ? Pkcs12Store.Classify(data) : Pkcs12Protection.NotPkcs12;

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
