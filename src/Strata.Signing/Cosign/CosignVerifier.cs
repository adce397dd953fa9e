namespace Strata.Signing.Cosign;

using Strata.Signing.Keys;

/// <summary>
/// Checks a cosign signature against public keys, as containers/image's sigstoreSigned requirement does with
/// keyPath/keyPaths: the signature annotation, the cryptographic signature over the exact payload bytes with any of
/// the keys, then the payload, strictly. The manifest digest and the identity are the caller's checks (they need
/// the image), so a payload returned here is authentic but not yet accepted.
/// </summary>
public static class CosignVerifier
{
    /// <summary>Verifies <paramref name="signature"/>; returns its payload.</summary>
    /// <exception cref="SignatureException">Which check failed.</exception>
    public static SignaturePayload Verify(SigstoreSignature signature, IReadOnlyList<PublicKeyMaterial> keys) =>
        Verify(signature, keys, out _);

    /// <summary>Verifies <paramref name="signature"/>; returns its payload and the key that verified it.</summary>
    /// <exception cref="SignatureException">Which check failed.</exception>
    public static SignaturePayload Verify(SigstoreSignature signature, IReadOnlyList<PublicKeyMaterial> keys, out PublicKeyMaterial verifiedBy)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("at least one public key is needed to verify a cosign signature.", nameof(keys));
        }

        if (!signature.IsSignature)
        {
            throw new SignatureException($"not a cosign signature: the attachment's media type is \"{signature.MimeType}\" (expected \"{SigstoreSignature.MediaType}\").");
        }

        var base64 = signature.Base64Signature
            ?? throw new SignatureException($"missing {SigstoreSignature.SignatureAnnotation} annotation.");
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new SignatureException($"the {SigstoreSignature.SignatureAnnotation} annotation is not valid base64.");
        }

        verifiedBy = keys.FirstOrDefault(key => key.Verify(signature.Payload, raw))
            ?? throw new SignatureException(
                $"signature does not match the key{(keys.Count > 1 ? "s" : string.Empty)} {string.Join(", ", keys.Select(key => $"{key.Source} ({key.Algorithm})"))}: "
                + "cryptographic signature verification failed (changed payload or signature, or another key).");

        return SignaturePayload.ParseStrict(signature.Payload, SignaturePayload.CosignType);
    }
}
