namespace Strata.Signing.Policy;

using Strata.Signing.Identity;

/// <summary>The checks every signature requirement makes after the cryptographic one, and how rejections are summed up.</summary>
internal static class SignatureChecks
{
    /// <summary>The signed manifest digest must be the digest of the image's manifest (in the signed digest's algorithm).</summary>
    public static bool ManifestMatches(PolicyImage image, SignaturePayload payload, string origin, out string reason)
    {
        if (payload.ManifestDigest.Matches(image.Manifest))
        {
            reason = string.Empty;
            return true;
        }

        reason = $"{origin}: manifest digest mismatch: signature for digest {payload.ManifestDigest} does not match the image's manifest {image.ManifestDigest}";
        return false;
    }

    /// <summary>The signed identity must be accepted by the requirement's signedIdentity.</summary>
    public static bool IdentityMatches(PolicyImage image, SignaturePayload payload, SignedIdentity identity, string origin, out string reason)
    {
        if (identity.Matches(image.Name.DockerReference, payload.DockerReference, out var why))
        {
            reason = string.Empty;
            return true;
        }

        reason = $"{origin}: signature for identity \"{payload.DockerReference}\" is not accepted: {why}";
        return false;
    }

    /// <summary>As containers/image: no signature, the one rejection, or all of them.</summary>
    public static string Summarize(IReadOnlyList<string> rejections, string none) => rejections.Count switch
    {
        0 => $"a signature was required, but {none}",
        1 => rejections[0],
        _ => "none of the signatures were accepted, reasons: " + string.Join("; ", rejections),
    };
}
