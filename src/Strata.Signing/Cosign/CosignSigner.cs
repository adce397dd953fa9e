namespace Strata.Signing.Cosign;

using Strata.Core;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Signing.Keys;

/// <summary>
/// <c>strata sign</c>: the cosign payload for the image's top manifest digest, signed with the key, stored as a layer
/// of the image's <c>sha256-&lt;hex&gt;.sig</c> tag in the same registry repository or OCI layout.
/// </summary>
public static class CosignSigner
{
    /// <summary>What was signed and stored.</summary>
    public sealed record SignedImage(Digest ImageDigest, string DockerReference, SignaturePayload Payload, SigstoreSignature Signature, CosignSignatureStore.Appended Stored);

    /// <summary>
    /// The identity cosign claims for a registry image: the reference as given without its digest, i.e.
    /// <c>registry/repo:tag</c> for a tag, <c>registry/repo</c> for an image named by digest only.
    /// </summary>
    public static string DefaultIdentity(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Tag is { } tag ? $"{reference.Name}:{tag}"
            : reference.Digest is null ? $"{reference.Name}:{ImageReference.DefaultTag}"
            : reference.Name;
    }

    /// <summary>The payload and its signature, without storing anything.</summary>
    public static (SignaturePayload Payload, SigstoreSignature Signature) CreateSignature(Digest image, string dockerReference, SigningKey key, IReadOnlyDictionary<string, string>? annotations)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = new SignaturePayload(dockerReference, image, SignaturePayload.CosignType, annotations: annotations);
        var bytes = payload.ToJson();
        return (payload, SigstoreSignature.Create(bytes, key.Sign(bytes)));
    }

    /// <summary>Signs the image <paramref name="store"/> names and appends the signature to its <c>.sig</c> tag.</summary>
    /// <param name="identity">The docker-reference to claim; null takes <see cref="DefaultIdentity"/> of a registry image.</param>
    public static async Task<SignedImage> SignAsync(IImageDestination store, SigningKey key, string? identity, IReadOnlyDictionary<string, string>? annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        var reference = identity ?? (store is RegistryDestination registry
            ? DefaultIdentity(registry.ImageReference)
            : throw StrataException.Usage($"{store.Reference}: an OCI layout has no registry name to sign for; give the identity with --identity REGISTRY/REPO:TAG."));
        var manifest = await CosignImage.ResolveAsync(store, cancellationToken);
        var (payload, signature) = CreateSignature(manifest.Digest, reference, key, annotations);
        var stored = await CosignSignatureStore.AppendAsync(store, manifest.Digest, signature, key.PublicKey, cancellationToken);
        return new SignedImage(manifest.Digest, reference, payload, signature, stored);
    }
}
