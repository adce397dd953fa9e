namespace Strata.Signing.Cosign;

using System.Text;
using System.Text.Json;

/// <summary>
/// One sigstore (cosign) signature as containers/image holds it: the layer's media type, the signed payload bytes
/// and the layer annotations (base64 signature, and for keyless signatures certificate, chain and Rekor bundle).
/// In a registry it is one layer of the <c>sha256-&lt;hex&gt;.sig</c> manifest; in a skopeo <c>dir:</c> copy it is a
/// <c>signature-N</c> file holding <c>\x00sigstore-json\n</c> followed by JSON {mimeType, payload, annotations}.
/// Everything here is untrusted until <see cref="CosignVerifier"/> has checked it.
/// </summary>
public sealed class SigstoreSignature
{
    /// <summary>The media type of a cosign signature layer (other attachments use other types).</summary>
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding the base64 signature of the payload.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>The layer annotation holding the Rekor bundle (SET) of a signature uploaded to a transparency log.</summary>
    public const string BundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>The layer annotation holding the signing certificate (PEM) of a keyless signature.</summary>
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";

    /// <summary>The layer annotation holding the intermediate certificate chain (PEM).</summary>
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";

    private static readonly byte[] DirPrefix = "\0sigstore-json\n"u8.ToArray();

    public SigstoreSignature(string mimeType, byte[] payload, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(annotations);
        MimeType = mimeType;
        Payload = payload;
        Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal);
    }

    /// <summary>A new signature layer: the payload and its base64 signature.</summary>
    public static SigstoreSignature Create(byte[] payload, byte[] signature) =>
        new(MediaType, payload, new Dictionary<string, string>(StringComparer.Ordinal) { [SignatureAnnotation] = Convert.ToBase64String(signature) });

    /// <summary>The layer media type; only <see cref="MediaType"/> is a signature.</summary>
    public string MimeType { get; }

    /// <summary>The exact signed bytes (the layer blob).</summary>
    public byte[] Payload { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Whether this attachment is a cosign signature at all (not an SBOM or attestation).</summary>
    public bool IsSignature => MimeType == MediaType;

    /// <summary>The base64 signature annotation, when present.</summary>
    public string? Base64Signature => Annotations.GetValueOrDefault(SignatureAnnotation);

    /// <summary>The signing certificate PEM of a keyless signature, when present.</summary>
    public string? Certificate => Annotations.GetValueOrDefault(CertificateAnnotation);

    /// <summary>The intermediate chain PEM, when present.</summary>
    public string? Chain => Annotations.GetValueOrDefault(ChainAnnotation);

    /// <summary>The Rekor bundle JSON, when present.</summary>
    public string? Bundle => Annotations.GetValueOrDefault(BundleAnnotation);

    /// <summary>Whether a <c>signature-N</c> file holds a sigstore signature (not a GPG simple-signing one).</summary>
    public static bool IsDirBlob(ReadOnlySpan<byte> blob) => blob.StartsWith(DirPrefix);

    /// <summary>Reads a skopeo <c>dir:</c> <c>signature-N</c> file in the sigstore form.</summary>
    /// <exception cref="SignatureException">Not that form, or malformed JSON.</exception>
    public static SigstoreSignature FromDirBlob(ReadOnlySpan<byte> blob, string source)
    {
        if (!IsDirBlob(blob))
        {
            throw new SignatureException($"{source}: not a sigstore signature (it does not start with \"\\x00sigstore-json\\n\").");
        }

        try
        {
            using var document = JsonDocument.Parse(blob[DirPrefix.Length..].ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SignatureException($"{source}: the sigstore signature is not a JSON object.");
            }

            // Go's encoding/json: field names match case-insensitively, unknown fields are ignored, null is "unset".
            string mimeType = string.Empty;
            byte[] payload = [];
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (property.NameEquals("mimeType") || string.Equals(property.Name, "mimeType", StringComparison.OrdinalIgnoreCase))
                {
                    mimeType = property.Value.GetString() ?? string.Empty;
                }
                else if (string.Equals(property.Name, "payload", StringComparison.OrdinalIgnoreCase))
                {
                    payload = property.Value.GetBytesFromBase64();
                }
                else if (string.Equals(property.Name, "annotations", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var annotation in property.Value.EnumerateObject())
                    {
                        annotations[annotation.Name] = annotation.Value.GetString() ?? string.Empty;
                    }
                }
            }

            return new SigstoreSignature(mimeType, payload, annotations);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SignatureException($"{source}: malformed sigstore signature JSON ({e.Message}).");
        }
    }

    /// <summary>The <c>signature-N</c> file skopeo writes for this signature (Go's json.Marshal of the struct).</summary>
    public byte[] ToDirBlob()
    {
        var json = new StringBuilder(Payload.Length * 2);
        json.Append("{\"mimeType\":");
        SignaturePayload.AppendGoString(json, MimeType);
        json.Append(",\"payload\":\"").Append(Convert.ToBase64String(Payload)).Append("\",\"annotations\":");
        AppendGoStringMap(json, Annotations);
        json.Append('}');
        return [.. DirPrefix, .. Encoding.UTF8.GetBytes(json.ToString())];
    }

    /// <summary>A string map as Go's encoding/json writes it: keys sorted by their bytes.</summary>
    internal static void AppendGoStringMap(StringBuilder json, IReadOnlyDictionary<string, string> map)
    {
        json.Append('{');
        var first = true;
        foreach (var (key, value) in map.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            SignaturePayload.AppendGoString(json, key);
            json.Append(':');
            SignaturePayload.AppendGoString(json, value);
        }

        json.Append('}');
    }
}
