namespace Strata.Encryption;

using System.Security.Cryptography;
using Strata.Core;
using Strata.Encryption.Cipher;
using Strata.Encryption.KeyWrap;
using Strata.Encryption.Keys;
using Strata.Oci.Layers;
using Strata.Oci.Model;

/// <summary>
/// Opens ocicrypt-encrypted layers with the keys given: unwraps the private options from the scheme annotations the
/// keys can serve (JWE and PKCS#7 with private keys, OpenPGP with secret keyrings), then decrypts the blob as it is
/// read. The plaintext stream fails at its end unless the HMAC matches; the reader checks the digest.
/// </summary>
public sealed class LayerDecryptor(DecryptionKeys keys) : ILayerDecryptor
{
    public Task<DecryptedLayer> OpenAsync(Descriptor encrypted, Stream ciphertext, string what, CancellationToken cancellationToken)
    {
        var options = Unwrap(encrypted, what);
        try
        {
            var publicOptions = LayerAnnotations.PublicOptionsOf(encrypted, what);
            if (publicOptions.Cipher != AesCtrHmac.CipherName)
            {
                throw StrataException.BadInput($"{what}: cipher '{publicOptions.Cipher}' is not supported ({AesCtrHmac.CipherName})");
            }

            if (options.SymmetricKey.Length != AesCtrHmac.KeySize || options.Nonce.Length != AesCtrHmac.NonceSize)
            {
                throw StrataException.BadInput($"{what}: private layer options: a {options.SymmetricKey.Length}-byte key and a {options.Nonce.Length}-byte nonce; {AesCtrHmac.CipherName} needs {AesCtrHmac.KeySize} and {AesCtrHmac.NonceSize}");
            }

            Stream plaintext = CipherStream.Decrypt(ciphertext, options.SymmetricKey, options.Nonce, publicOptions.Hmac, what);
            return Task.FromResult(new DecryptedLayer(plaintext, options.Digest));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(options.SymmetricKey);
        }
    }

    /// <summary>The private options of a layer: the first scheme message one of the keys opens.</summary>
    public PrivateLayerOptions Unwrap(Descriptor encrypted, string what)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        var failures = new List<string>();
        var schemes = 0;
        if (keys.PrivateKeys.Count > 0)
        {
            foreach (var message in LayerAnnotations.Messages(encrypted, LayerAnnotations.Jwe, what))
            {
                schemes++;
                if (Jwe.Decrypt(message, keys.PrivateKeys, $"{what}: JWE", failures) is { } json)
                {
                    return PrivateLayerOptions.Parse(json, what);
                }
            }

            var rsaKeys = keys.PrivateKeys.OfType<RSA>().ToList();
            foreach (var message in LayerAnnotations.Messages(encrypted, LayerAnnotations.Pkcs7, what))
            {
                schemes++;
                if (Pkcs7.Decrypt(message, rsaKeys, keys.Certificates, $"{what}: PKCS#7", failures) is { } json)
                {
                    return PrivateLayerOptions.Parse(json, what);
                }
            }
        }

        foreach (var (keyring, passphrase) in keys.Pgp)
        {
            foreach (var message in LayerAnnotations.Messages(encrypted, LayerAnnotations.Pgp, what))
            {
                schemes++;
                if (OpenPgp.Decrypt(message, [keyring], passphrase, $"{what}: OpenPGP", failures) is { } json)
                {
                    return PrivateLayerOptions.Parse(json, what);
                }
            }
        }

        var present = new[] { (LayerAnnotations.Jwe, "JWE"), (LayerAnnotations.Pkcs7, "PKCS#7"), (LayerAnnotations.Pgp, "OpenPGP") }
            .Where(s => encrypted.Annotations.ContainsKey(s.Item1)).Select(s => s.Item2).ToList();
        var others = encrypted.Annotations.Keys.Where(k => k.StartsWith("org.opencontainers.image.enc.keys.", StringComparison.Ordinal)
            && k is not LayerAnnotations.Jwe and not LayerAnnotations.Pkcs7 and not LayerAnnotations.Pgp).ToList();
        if (present.Count == 0)
        {
            throw StrataException.BadInput(others.Count > 0
                ? $"{what}: its keys are wrapped only by schemes Strata does not support ({string.Join(", ", others)})"
                : $"{what}: encrypted, but no org.opencontainers.image.enc.keys.* annotation holds its key");
        }

        var detail = failures.Count > 0 ? ": " + string.Join("; ", failures.Distinct().Take(8)) : string.Empty;
        throw StrataException.BadInput(schemes == 0
            ? $"{what}: no key given can open it: it is encrypted for {string.Join(", ", present)} recipients"
            : $"{what}: none of the keys given opens it (wrapped for {string.Join(", ", present)}){detail}");
    }
}
