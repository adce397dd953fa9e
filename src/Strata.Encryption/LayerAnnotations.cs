namespace Strata.Encryption;

using Strata.Core;
using Strata.Encryption.Cipher;
using Strata.Oci.Model;

/// <summary>ocicrypt's layer annotations: the wrapped keys per scheme and the public options.</summary>
public static class LayerAnnotations
{
    public const string Prefix = "org.opencontainers.image.enc.";
    public const string Jwe = "org.opencontainers.image.enc.keys.jwe";
    public const string Pkcs7 = "org.opencontainers.image.enc.keys.pkcs7";
    public const string Pgp = "org.opencontainers.image.enc.keys.pgp";
    public const string PublicOptions = "org.opencontainers.image.enc.pubopts";

    /// <summary>Bounds the base64 text of one scheme's annotation.</summary>
    public const int MaxAnnotationChars = 8 * 1024 * 1024;

    /// <summary>The wrapped-key messages of one scheme, base64-decoded (ocicrypt joins several with ',').</summary>
    public static IReadOnlyList<byte[]> Messages(Descriptor layer, string annotation, string what)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.Annotations.TryGetValue(annotation, out var text) || text.Length == 0)
        {
            return [];
        }

        if (text.Length > MaxAnnotationChars)
        {
            throw StrataException.BadInput($"{what}: annotation {annotation} is {text.Length} characters, more than the {MaxAnnotationChars} accepted");
        }

        var messages = new List<byte[]>();
        var index = 0;
        foreach (var part in text.Split(','))
        {
            try
            {
                messages.Add(Convert.FromBase64String(part));
            }
            catch (FormatException e)
            {
                throw StrataException.BadInput($"{what}: annotation {annotation}, message {index}: not base64", e);
            }

            index++;
        }

        return messages;
    }

    /// <summary>The public options; ocicrypt reads a missing annotation as empty options (which then name no cipher).</summary>
    public static PublicLayerOptions PublicOptionsOf(Descriptor layer, string what)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.Annotations.TryGetValue(PublicOptions, out var text) || text.Length == 0)
        {
            throw StrataException.BadInput($"{what}: annotation {PublicOptions} is missing: the layer's cipher and HMAC are unknown");
        }

        byte[] json;
        try
        {
            json = text.Length <= PublicLayerOptions.MaxBytes * 2 ? Convert.FromBase64String(text) : throw StrataException.BadInput($"{what}: annotation {PublicOptions} is too large");
        }
        catch (FormatException e)
        {
            throw StrataException.BadInput($"{what}: annotation {PublicOptions}: not base64", e);
        }

        return PublicLayerOptions.Parse(json, what);
    }

    /// <summary>The annotations with ocicrypt's removed (what a decrypted layer keeps).</summary>
    public static Dictionary<string, string> WithoutEncryption(IReadOnlyDictionary<string, string> annotations) =>
        annotations.Where(a => !a.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
}
