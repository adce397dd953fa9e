namespace Strata.Signing;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;

/// <summary>
/// The "simple signing" JSON payload that both cosign ("cosign container image signature") and GPG simple signing
/// ("atomic container signature") sign: which manifest digest, under which docker reference. Parsing is as strict as
/// containers/image: exact field sets, no duplicate keys, an integer timestamp, nothing after the object.
/// </summary>
public sealed class SignaturePayload
{
    /// <summary>The <c>critical.type</c> cosign and skopeo's sigstore signatures carry.</summary>
    public const string CosignType = "cosign container image signature";

    /// <summary>The <c>critical.type</c> of GPG simple signing ("atomic") signatures.</summary>
    public const string AtomicType = "atomic container signature";

    private static readonly IReadOnlyDictionary<string, string> NoAnnotations = new Dictionary<string, string>(StringComparer.Ordinal);

    public SignaturePayload(
        string dockerReference,
        Digest manifestDigest,
        string type,
        string? creator = null,
        long? timestamp = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dockerReference);
        ArgumentException.ThrowIfNullOrEmpty(type);
        DockerReference = dockerReference;
        ManifestDigest = manifestDigest;
        Type = type;
        Creator = creator;
        Timestamp = timestamp;
        Annotations = annotations ?? NoAnnotations;
        if (Annotations.ContainsKey("creator") || Annotations.ContainsKey("timestamp"))
        {
            throw new ArgumentException("annotations must not use the keys 'creator' or 'timestamp'.", nameof(annotations));
        }
    }

    /// <summary><c>critical.identity.docker-reference</c>: the identity the signer claims (untrusted until checked).</summary>
    public string DockerReference { get; }

    /// <summary><c>critical.image.docker-manifest-digest</c>.</summary>
    public Digest ManifestDigest { get; }

    /// <summary><c>critical.type</c>.</summary>
    public string Type { get; }

    /// <summary><c>optional.creator</c>, when present.</summary>
    public string? Creator { get; }

    /// <summary><c>optional.timestamp</c> (Unix seconds), when present.</summary>
    public long? Timestamp { get; }

    /// <summary>Other string entries of <c>optional</c> (cosign's <c>-a key=value</c> annotations).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>
    /// Parses <paramref name="json"/> exactly as containers/image does (untrustedSignature / untrustedSigstorePayload):
    /// top level exactly {critical, optional}; critical exactly {type, image, identity}; image exactly
    /// {docker-manifest-digest}; identity exactly {docker-reference}; no key twice in any of these objects;
    /// optional.creator a string and optional.timestamp an integral number when present, other optional keys ignored;
    /// <c>"optional": null</c> accepted only for cosign's type (cosign writes it when there are no annotations).
    /// </summary>
    /// <exception cref="SignatureException">The payload is malformed; the message names the field.</exception>
    public static SignaturePayload ParseStrict(ReadOnlySpan<byte> json, string expectedType)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedType);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new SignatureException($"signature payload is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var top = ExactFields(document.RootElement, "payload", "critical", "optional");

            string? creator = null;
            long? timestamp = null;
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            var optional = top["optional"];
            if (!(optional.ValueKind == JsonValueKind.Null && expectedType == CosignType))
            {
                foreach (var (key, value) in Fields(optional, "optional"))
                {
                    switch (key)
                    {
                        case "creator":
                            creator = StringValue(value, "optional.creator");
                            break;
                        case "timestamp":
                            timestamp = IntegerValue(value, "optional.timestamp");
                            break;
                        default:
                            if (value.ValueKind == JsonValueKind.String)
                            {
                                annotations[key] = value.GetString()!;
                            }

                            break;
                    }
                }
            }

            var critical = ExactFields(top["critical"], "critical", "type", "image", "identity");
            var type = StringValue(critical["type"], "critical.type") ?? string.Empty;
            if (!string.Equals(type, expectedType, StringComparison.Ordinal))
            {
                throw new SignatureException(
                    $"signature payload: unrecognized signature type {Quoted(type)} in critical.type (expected \"{expectedType}\").");
            }

            var image = ExactFields(critical["image"], "critical.image", "docker-manifest-digest");
            var digestText = StringValue(image["docker-manifest-digest"], "critical.image.docker-manifest-digest") ?? string.Empty;
            if (!Digest.TryParse(digestText, out var digest))
            {
                throw new SignatureException(
                    $"signature payload: invalid critical.image.docker-manifest-digest {Quoted(digestText)}.");
            }

            var identity = ExactFields(critical["identity"], "critical.identity", "docker-reference");

            // A JSON null leaves Go's string empty, and an empty reference is what containers/image then rejects
            // when matching; saying so here is clearer.
            var reference = StringValue(identity["docker-reference"], "critical.identity.docker-reference");
            if (string.IsNullOrEmpty(reference))
            {
                throw new SignatureException("signature payload: critical.identity.docker-reference is empty.");
            }

            return new SignaturePayload(reference, digest, type, creator, timestamp, annotations);
        }
    }

    /// <summary>
    /// The payload as Go's encoding/json writes it (keys sorted, HTML characters escaped, no whitespace), which is
    /// what cosign and containers/image sign. <c>optional</c> is <c>null</c> for a cosign payload with nothing in it,
    /// as cosign writes it.
    /// </summary>
    public byte[] ToJson()
    {
        var text = new StringBuilder(256);
        text.Append("{\"critical\":{\"identity\":{\"docker-reference\":");
        AppendGoString(text, DockerReference);
        text.Append("},\"image\":{\"docker-manifest-digest\":");
        AppendGoString(text, ManifestDigest.ToString());
        text.Append("},\"type\":");
        AppendGoString(text, Type);
        text.Append("},\"optional\":");

        var entries = new List<(string Key, string Json)>();
        if (Creator is not null)
        {
            var creator = new StringBuilder();
            AppendGoString(creator, Creator);
            entries.Add(("creator", creator.ToString()));
        }

        if (Timestamp is { } seconds)
        {
            entries.Add(("timestamp", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var (key, value) in Annotations)
        {
            var valueJson = new StringBuilder();
            AppendGoString(valueJson, value);
            entries.Add((key, valueJson.ToString()));
        }

        if (entries.Count == 0 && Type == CosignType)
        {
            text.Append("null");
        }
        else
        {
            // Go sorts map keys by their UTF-8 bytes.
            entries.Sort((a, b) => Encoding.UTF8.GetBytes(a.Key).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Key)));
            text.Append('{');
            for (var i = 0; i < entries.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendGoString(text, entries[i].Key);
                text.Append(':').Append(entries[i].Json);
            }

            text.Append('}');
        }

        text.Append('}');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static IEnumerable<(string Key, JsonElement Value)> Fields(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SignatureException($"signature payload: {path} must be a JSON object, not {Describe(element.ValueKind)}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new SignatureException($"signature payload: duplicate key {Quoted(property.Name)} in {path}.");
            }

            yield return (property.Name, property.Value);
        }
    }

    private static Dictionary<string, JsonElement> ExactFields(JsonElement element, string path, params string[] names)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in Fields(element, path))
        {
            if (Array.IndexOf(names, key) < 0)
            {
                throw new SignatureException($"signature payload: unknown key {Quoted(key)} in {path}.");
            }

            found[key] = value;
        }

        foreach (var name in names)
        {
            if (!found.ContainsKey(name))
            {
                throw new SignatureException($"signature payload: key \"{name}\" missing in {path}.");
            }
        }

        return found;
    }

    // Go decodes a JSON null into a string as "no change", so null reads as empty (then rejected where it matters).
    private static string? StringValue(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new SignatureException($"signature payload: {path} must be a string, not {Describe(value.ValueKind)}."),
    };

    private static long? IntegerValue(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new SignatureException($"signature payload: {path} must be a number, not {Describe(value.ValueKind)}.");
        }

        // containers/image reads a float64 and rejects fractions; read the same way so large values round alike.
        if (!value.TryGetDouble(out var number) || double.IsInfinity(number))
        {
            throw new SignatureException($"signature payload: {path} is out of range.");
        }

        if (number != Math.Floor(number) || number >= 9.2233720368547758E18 || number < -9.2233720368547758E18)
        {
            throw new SignatureException($"signature payload: field {path} is not an integer.");
        }

        return (long)number;
    }

    private static string Quoted(string text) => "\"" + Redaction.Quote(text, 80) + "\"";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Appends <paramref name="value"/> as a JSON string escaped the way Go's encoding/json escapes it.</summary>
    internal static void AppendGoString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // Go writes invalid UTF-8 as U+FFFD.
                        text.Append("\\ufffd");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}

/// <summary>
/// A signature, or its payload, was rejected. The message says which check failed (payload field, key, digest,
/// identity); it never carries secrets.
/// </summary>
public sealed class SignatureException : StrataException
{
    public SignatureException(string message)
        : base(message, ExitCode.Findings)
    {
    }

    public SignatureException(string message, Exception innerException)
        : base(message, ExitCode.Findings, innerException)
    {
    }

    public SignatureException()
        : this("signature rejected.")
    {
    }
}
