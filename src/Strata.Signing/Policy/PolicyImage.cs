namespace Strata.Signing.Policy;

using Strata.Oci;

/// <summary>
/// An image as a policy evaluates it: its name (transport, scopes, Docker identity), its top manifest exactly as stored,
/// and its signatures as containers/image lists them: simple-signing blobs and sigstore ones (in skopeo's
/// <c>\x00sigstore-json\n</c> form).
/// </summary>
public sealed class PolicyImage
{
    public PolicyImage(PolicyImageName name, byte[] manifest, IReadOnlyList<ImageSignatureBlob> signatures)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(signatures);
        Name = name;
        Manifest = manifest;
        Signatures = signatures;
        ManifestDigest = Digest.Sha256Of(manifest);
    }

    public PolicyImageName Name { get; }

    /// <summary>The top manifest's bytes; signatures sign their digest.</summary>
    public byte[] Manifest { get; }

    public Digest ManifestDigest { get; }

    public IReadOnlyList<ImageSignatureBlob> Signatures { get; }

    /// <summary>The simple-signing (OpenPGP) signatures.</summary>
    public IEnumerable<ImageSignatureBlob> SimpleSignatures => Signatures.Where(s => !s.IsSigstore);

    /// <summary>The sigstore signatures and attachments.</summary>
    public IEnumerable<ImageSignatureBlob> SigstoreSignatures => Signatures.Where(s => s.IsSigstore);
}

/// <summary>One stored signature and where it came from (a file, a lookaside URL, an attachment layer).</summary>
public sealed record ImageSignatureBlob(byte[] Bytes, string Origin)
{
    /// <summary>What skopeo writes before a sigstore signature's JSON in <c>signature-N</c> files.</summary>
    public static ReadOnlySpan<byte> SigstorePrefix => "\0sigstore-json\n"u8;

    public bool IsSigstore => Bytes.AsSpan().StartsWith(SigstorePrefix);
}
