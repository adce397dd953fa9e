namespace Strata.Encryption.Cipher;

using System.Text.Json;
using Strata.Core;
using Strata.Oci;

/// <summary>
/// ocicrypt's private layer options, the secret each recipient's wrapped key holds:
/// <c>{"symkey":b64,"digest":"sha256:…","cipheroptions":{"nonce":b64}}</c>. <see cref="Digest"/> is the digest of
/// the plaintext blob as the manifest named it before encryption; decryption checks the plaintext against it.
/// </summary>
public sealed record PrivateLayerOptions(byte[] SymmetricKey, Digest Digest, IReadOnlyDictionary<string, byte[]> CipherOptions)
{
    /// <summary>The largest private options accepted: a key, a digest and a nonce fit in far less.</summary>
    public const int MaxBytes = 64 * 1024;

    public byte[] Nonce => CipherOptions.TryGetValue("nonce", out var nonce) ? nonce : [];

    /// <summary>The JSON exactly as ocicrypt (Go's encoding/json over its struct) writes it.</summary>
    public byte[] ToJson() => LayerOptionsJson.Write(writer =>
    {
        writer.WriteBase64String("symkey", SymmetricKey);
        writer.WriteString("digest", Digest.ToString());
        LayerOptionsJson.WriteCipherOptions(writer, CipherOptions);
    });

    /// <summary>Parses unwrapped private options; <paramref name="what"/> names the layer in errors.</summary>
    public static PrivateLayerOptions Parse(ReadOnlySpan<byte> json, string what)
    {
        using var document = LayerOptionsJson.Parse(json, MaxBytes, $"{what}: private layer options");
        var root = document.RootElement;
        var key = LayerOptionsJson.Base64(root, "symkey", $"{what}: private layer options", required: true)!;
        var digestText = LayerOptionsJson.String(root, "digest", $"{what}: private layer options");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw StrataException.BadInput($"{what}: private layer options: \"digest\" is not a valid digest");
        }

        return new PrivateLayerOptions(key, digest, LayerOptionsJson.CipherOptions(root, $"{what}: private layer options"));
    }
}

/// <summary>
/// ocicrypt's public layer options, stored base64 in the annotation <c>org.opencontainers.image.enc.pubopts</c>:
/// <c>{"cipher":"AES_256_CTR_HMAC_SHA256","hmac":b64,"cipheroptions":{}}</c>.
/// </summary>
public sealed record PublicLayerOptions(string Cipher, byte[] Hmac, IReadOnlyDictionary<string, byte[]> CipherOptions)
{
    public const int MaxBytes = 64 * 1024;

    public byte[] ToJson() => LayerOptionsJson.Write(writer =>
    {
        writer.WriteString("cipher", Cipher);
        writer.WriteBase64String("hmac", Hmac);
        LayerOptionsJson.WriteCipherOptions(writer, CipherOptions);
    });

    public static PublicLayerOptions Parse(ReadOnlySpan<byte> json, string what)
    {
        using var document = LayerOptionsJson.Parse(json, MaxBytes, $"{what}: public layer options");
        var root = document.RootElement;
        var context = $"{what}: public layer options";
        var cipher = root.TryGetProperty("cipher", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
        var hmac = LayerOptionsJson.Base64(root, "hmac", context, required: false) ?? [];
        return new PublicLayerOptions(cipher, hmac, LayerOptionsJson.CipherOptions(root, context));
    }
}

/// <summary>The JSON both option kinds share: Go's encoding of <c>[]byte</c> (standard base64) and <c>map[string][]byte</c>.</summary>
internal static class LayerOptionsJson
{
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static void WriteCipherOptions(Utf8JsonWriter writer, IReadOnlyDictionary<string, byte[]> options)
    {
        writer.WriteStartObject("cipheroptions");

        // Go sorts map keys when it encodes.
        foreach (var (name, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            writer.WriteBase64String(name, value);
        }

        writer.WriteEndObject();
    }

    public static JsonDocument Parse(ReadOnlySpan<byte> json, int maxBytes, string context)
    {
        if (json.Length > maxBytes)
        {
            throw StrataException.BadInput($"{context}: {json.Length} bytes, more than the {maxBytes} accepted");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{context}: not valid JSON ({e.Message})", e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw StrataException.BadInput($"{context}: not a JSON object");
        }

        return document;
    }

    public static string String(JsonElement root, string name, string context) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw StrataException.BadInput($"{context}: \"{name}\" is missing or not a string");

    public static byte[]? Base64(JsonElement root, string name, string context, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw StrataException.BadInput($"{context}: \"{name}\" is missing") : null;
        }

        return value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw StrataException.BadInput($"{context}: \"{name}\" is not base64");
    }

    public static Dictionary<string, byte[]> CipherOptions(JsonElement root, string context)
    {
        var options = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!root.TryGetProperty("cipheroptions", out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return options;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{context}: \"cipheroptions\" is not an object");
        }

        foreach (var option in map.EnumerateObject())
        {
            if (option.Value.ValueKind != JsonValueKind.String || !option.Value.TryGetBytesFromBase64(out var bytes))
            {
                throw StrataException.BadInput($"{context}: cipheroptions.{option.Name} is not base64");
            }

            options[option.Name] = bytes;
        }

        return options;
    }
}
