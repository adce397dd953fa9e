namespace Strata.Signing.Cosign;

using Strata.Signing.Keys;

/// <summary>
/// <c>strata verify</c>'s checks, in containers/image's order for each signature: it is a signature at all, it
/// verifies with one of the keys over the exact payload, the payload parses strictly, its manifest digest is the
/// image's, and its identity is accepted. One verdict per attachment; the image is verified when any is accepted.
/// </summary>
public static class CosignImageVerifier
{
    /// <summary>One signature's outcome: accepted (by which key) or why not.</summary>
    public sealed record Verdict(string Origin, bool Accepted, PublicKeyMaterial? Key, SignaturePayload? Payload, string Reason);

    /// <param name="identityCheck">
    /// Whether the image accepts a signature for the given signed docker-reference: null when it does, else the reason
    /// (e.g. from the policy's signedIdentity).
    /// </param>
    public static IReadOnlyList<Verdict> Verify(CosignImage image, IReadOnlyList<PublicKeyMaterial> keys, Func<string, string?> identityCheck)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(identityCheck);
        var verdicts = new List<Verdict>();
        foreach (var (signature, origin) in image.Signatures)
        {
            if (!signature.IsSignature)
            {
                verdicts.Add(new Verdict(origin, false, null, null, $"not a signature: an attachment of type \"{signature.MimeType}\""));
                continue;
            }

            SignaturePayload payload;
            PublicKeyMaterial key;
            try
            {
                payload = CosignVerifier.Verify(signature, keys, out key);
            }
            catch (SignatureException e)
            {
                verdicts.Add(new Verdict(origin, false, null, null, e.Message));
                continue;
            }

            if (image.Manifest is null)
            {
                verdicts.Add(new Verdict(origin, false, key, payload, $"image manifest unavailable: {image.ManifestError}"));
                continue;
            }

            if (!payload.ManifestDigest.Matches(image.Manifest))
            {
                verdicts.Add(new Verdict(origin, false, key, payload,
                    $"manifest digest mismatch: signed {payload.ManifestDigest}, image is {image.ManifestDigest}"));
                continue;
            }

            if (identityCheck(payload.DockerReference) is { } reason)
            {
                verdicts.Add(new Verdict(origin, false, key, payload, reason.StartsWith("identity mismatch", StringComparison.Ordinal) ? reason : $"identity mismatch: {reason}"));
                continue;
            }

            verdicts.Add(new Verdict(origin, true, key, payload, "verified"));
        }

        return verdicts;
    }
}
