namespace Strata.Signing.Cosign;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;

/// <summary>
/// An image as <c>strata verify</c> sees it: its top manifest bytes (signatures sign their digest), the Docker
/// reference it goes by (for identity checks; null for <c>oci:</c> and <c>dir:</c> unless one is given), and its
/// sigstore attachments: the <c>.sig</c> tag and cosign referrers in a registry or OCI layout, or the
/// <c>signature-N</c> files of a skopeo <c>dir:</c> copy.
/// </summary>
public sealed class CosignImage
{
    public const string DirPrefix = "dir:";

    private CosignImage(string reference, byte[]? manifest, string? manifestError, ImageReference? dockerReference, IReadOnlyList<CosignSignatureStore.Found> signatures, int otherSignatures)
    {
        Reference = reference;
        Manifest = manifest;
        ManifestError = manifestError;
        DockerReference = dockerReference;
        Signatures = signatures;
        OtherSignatures = otherSignatures;
    }

    /// <summary>The image as given on the command line.</summary>
    public string Reference { get; }

    /// <summary>The top manifest's bytes, or null when it could not be read (<see cref="ManifestError"/> says why).</summary>
    public byte[]? Manifest { get; }

    public string? ManifestError { get; }

    /// <summary>The digest of <see cref="Manifest"/>.</summary>
    public Digest? ManifestDigest => Manifest is null ? null : Digest.Sha256Of(Manifest);

    /// <summary>The Docker reference identity signatures are matched against.</summary>
    public ImageReference? DockerReference { get; }

    /// <summary>The sigstore attachments found (signatures and other attachment types).</summary>
    public IReadOnlyList<CosignSignatureStore.Found> Signatures { get; }

    /// <summary>Signatures of another format (GPG simple signing) in a <c>dir:</c> copy, which a cosign check skips.</summary>
    public int OtherSignatures { get; }

    /// <summary>
    /// Reads <paramref name="reference"/>: <c>docker://REF</c> (or a bare REF), <c>oci:DIR[:TAG]</c> or <c>dir:PATH</c>.
    /// <paramref name="identity"/> overrides the Docker reference used for identity checks.
    /// </summary>
    public static async Task<CosignImage> LoadAsync(string reference, RegistryOptions options, ImageReference? identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.StartsWith(DirPrefix, StringComparison.Ordinal))
        {
            return LoadDirectory(reference, Path.GetFullPath(reference[DirPrefix.Length..]), identity);
        }

        await using var store = ImageDestinations.Open(reference, options);
        var manifest = await ResolveAsync(store, cancellationToken);
        var signatures = await CosignSignatureStore.ReadAsync(store, manifest.Digest, cancellationToken);
        var docker = identity ?? (store is RegistryDestination registry ? registry.ImageReference : null);
        return new CosignImage(reference, manifest.Bytes, null, docker, signatures, 0);
    }

    /// <summary>The manifest a destination reference names (its digest, else its tag, else <c>latest</c>).</summary>
    public static async Task<StoredManifest> ResolveAsync(IImageDestination store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var wanted = store.Digest?.ToString() ?? store.Tag ?? ImageReference.DefaultTag;
        var manifest = await store.GetManifestAsync(wanted, cancellationToken)
            ?? throw StrataException.Usage($"{store.Reference}: no image {Redaction.Quote(wanted, 80)} there.");
        if (store.Digest is { } digest && manifest.Digest != digest)
        {
            throw StrataException.BadInput($"{store.Reference}: the manifest read has digest {manifest.Digest}, not {digest}.");
        }

        return manifest;
    }

    private static CosignImage LoadDirectory(string reference, string directory, ImageReference? identity)
    {
        if (!Directory.Exists(directory))
        {
            throw StrataException.Usage($"{reference}: no such directory.");
        }

        byte[]? manifest = null;
        string? error = null;
        var manifestPath = Path.Combine(directory, "manifest.json");
        try
        {
            manifest = File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{manifestPath} cannot be read ({e.Message})";
        }

        // As containers/image's dir: transport: signature-1, signature-2, … up to the first that is missing.
        var found = new List<CosignSignatureStore.Found>();
        var others = 0;
        for (var index = 1; ; index++)
        {
            var path = Path.Combine(directory, $"signature-{index}");
            if (!File.Exists(path))
            {
                break;
            }

            var bytes = File.ReadAllBytes(path);
            if (SigstoreSignature.IsDirBlob(bytes))
            {
                found.Add(new CosignSignatureStore.Found(SigstoreSignature.FromDirBlob(bytes, path), path));
            }
            else
            {
                others++;
            }
        }

        return new CosignImage(reference, manifest, error, identity, found, others);
    }
}
