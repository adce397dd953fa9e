namespace Strata.Signing;

using System.Text.Json;
using Strata.Oci;

// Stand-in for the COSIGN helper's SignaturePayload until its branch is merged; delete this file then.

/// <summary>A signature that cannot be accepted; the message says which check failed.</summary>
public sealed class SignatureException(string message) : Exception(message);

/// <summary>The simple-signing JSON payload.</summary>
public sealed record SignaturePayload
{
    public required string DockerReference { get; init; }

    public required Digest ManifestDigest { get; init; }

    public required string Type { get; init; }

    public string? Creator { get; init; }

    public long? Timestamp { get; init; }

    public static SignaturePayload ParseStrict(ReadOnlySpan<byte> json, string expectedType)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var critical = root.GetProperty("critical");
            var type = critical.GetProperty("type").GetString() ?? "";
            if (type != expectedType)
            {
                throw new SignatureException($"unrecognized signature type {type}");
            }

            var digestText = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString();
            if (!Digest.TryParse(digestText, out var digest))
            {
                throw new SignatureException($"invalid docker-manifest-digest value {digestText}");
            }

            var optional = root.GetProperty("optional");
            return new SignaturePayload
            {
                Type = type,
                ManifestDigest = digest,
                DockerReference = critical.GetProperty("identity").GetProperty("docker-reference").GetString() ?? "",
                Creator = optional.ValueKind == JsonValueKind.Object && optional.TryGetProperty("creator", out var c) ? c.GetString() : null,
                Timestamp = optional.ValueKind == JsonValueKind.Object && optional.TryGetProperty("timestamp", out var t) ? t.GetInt64() : null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SignatureException($"invalid signature payload: {e.Message}");
        }
    }

    public byte[] ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("critical");
            w.WriteStartObject("identity");
            w.WriteString("docker-reference", DockerReference);
            w.WriteEndObject();
            w.WriteStartObject("image");
            w.WriteString("docker-manifest-digest", ManifestDigest.ToString());
            w.WriteEndObject();
            w.WriteString("type", Type);
            w.WriteEndObject();
            w.WriteStartObject("optional");
            if (Creator is not null)
            {
                w.WriteString("creator", Creator);
            }

            if (Timestamp is long ts)
            {
                w.WriteNumber("timestamp", ts);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
