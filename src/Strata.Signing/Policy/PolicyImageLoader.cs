namespace Strata.Signing.Policy;

using System.Net;
using System.Text.Json;
using Strata.Core;
using Strata.Oci;
using Strata.Oci.Model;
using Strata.Oci.Registry;
using Strata.Oci.Sources;
using Strata.Signing.Cosign;
using Strata.Signing.Lookaside;

/// <summary>
/// Reads what a policy needs of an image: its top manifest and its signatures, where containers/image finds them:
/// <c>signature-N</c> files of a <c>dir:</c> copy; lookaside signatures (when a lookaside is configured) and, where
/// registries.d enables them, sigstore attachments (the <c>sha256-&lt;hex&gt;.sig</c> tag) of a registry image; the
/// <c>sha256-&lt;hex&gt;.sig</c> tag of an OCI layout (where Strata and cosign store signatures there).
/// </summary>
public static class PolicyImageLoader
{
    /// <summary>Largest signature read.</summary>
    public const int MaxSignatureBytes = 4 * 1024 * 1024;

    /// <summary>Most signatures read for one image.</summary>
    public const int MaxSignatures = 128;

    public static async Task<PolicyImage> LoadAsync(PolicyImageName name, PolicySignatureSources sources, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        return name.Transport switch
        {
            "dir" => await LoadDirectoryAsync(name, cancellationToken).ConfigureAwait(false),
            "oci" => await LoadOciLayoutAsync(name, cancellationToken).ConfigureAwait(false),
            "docker" => await LoadRegistryAsync(name, sources, options, cancellationToken).ConfigureAwait(false),
            "oci-archive" or "docker-archive" => await LoadUnsignedAsync(name, options, cancellationToken).ConfigureAwait(false),
            _ => throw StrataException.Usage($"{name}: the {name.Transport} transport is not readable by Strata (readable: docker://, dir:, oci:, oci-archive:, docker-archive:)."),
        };
    }

    private static async Task<PolicyImage> LoadDirectoryAsync(PolicyImageName name, CancellationToken cancellationToken)
    {
        var directory = name.Identity;
        var manifestPath = Path.Combine(directory, "manifest.json");
        var manifest = await ReadFileAsync(manifestPath, Limits.Default.MaxManifestBytes, cancellationToken).ConfigureAwait(false)
            ?? throw StrataException.Usage($"{name}: {manifestPath} does not exist.");

        // skopeo numbers them from 1 and stops at the first missing one.
        var signatures = new List<ImageSignatureBlob>();
        for (var i = 1; i <= MaxSignatures; i++)
        {
            var path = Path.Combine(directory, $"signature-{i}");
            if (await ReadFileAsync(path, MaxSignatureBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                break;
            }

            signatures.Add(new ImageSignatureBlob(bytes, path));
        }

        return new PolicyImage(name, manifest, signatures);
    }

    private static async Task<PolicyImage> LoadOciLayoutAsync(PolicyImageName name, CancellationToken cancellationToken)
    {
        var rest = name.Text["oci:".Length..];
        string? tag = null;
        Digest? digest = null;
        var at = rest.LastIndexOf('@');
        if (at > rest.LastIndexOf('/'))
        {
            digest = Digest.Parse(rest[(at + 1)..], name.Text);
        }
        else if (rest.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            tag = rest[(colon + 1)..];
        }

        var source = OciLayoutSource.OpenDirectory(name.Text, name.Identity, tag, digest);
        var manifest = await source.GetTopManifestAsync(cancellationToken).ConfigureAwait(false);
        var attachmentTag = AttachmentTag(Digest.Sha256Of(manifest.Bytes));
        var signatures = new List<ImageSignatureBlob>();
        if (await LayoutHasTagAsync(name.Identity, attachmentTag, cancellationToken).ConfigureAwait(false))
        {
            var attachments = OciLayoutSource.OpenDirectory(name.Text, name.Identity, attachmentTag, null);
            var attachmentManifest = await attachments.GetTopManifestAsync(cancellationToken).ConfigureAwait(false);
            await ReadAttachmentsAsync(attachmentManifest.Bytes, $"{name.Identity}:{attachmentTag}", attachments.OpenBlobAsync, signatures, cancellationToken).ConfigureAwait(false);
        }

        return new PolicyImage(name, manifest.Bytes, signatures);
    }

    private static async Task<PolicyImage> LoadUnsignedAsync(PolicyImageName name, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        var transport = Oci.Transports.ImageTransports.ByPrefix(name.Text)
            ?? throw StrataException.Usage($"{name}: unknown transport.");
        await using var source = await transport.OpenSource(name.Text, name.Text[transport.Prefix.Length..], options, cancellationToken).ConfigureAwait(false);
        var manifest = await source.GetTopManifestAsync(cancellationToken).ConfigureAwait(false);
        return new PolicyImage(name, manifest.Bytes, []);
    }

    private static async Task<PolicyImage> LoadRegistryAsync(PolicyImageName name, PolicySignatureSources sources, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        var reference = name.DockerReference!;
        using var client = new RegistryClient(options.Registry with { MaxManifestBytes = options.Limits.MaxManifestBytes });
        var manifest = await client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        var manifestDigest = reference.Digest ?? Digest.Sha256Of(manifest.Bytes);
        var signatures = new List<ImageSignatureBlob>();
        if (sources.Lookaside is { } lookaside)
        {
            signatures.AddRange(await lookaside(reference, manifestDigest, cancellationToken).ConfigureAwait(false));
        }

        if (sources.UseSigstoreAttachments(reference))
        {
            var tag = AttachmentTag(manifestDigest);
            RegistryManifest? attachments = null;
            try
            {
                attachments = await client.GetManifestAsync(reference, tag, cancellationToken).ConfigureAwait(false);
            }
            catch (StrataException e) when (e.ExitCode == ExitCode.Usage && e.Message.Contains($"HTTP {(int)HttpStatusCode.NotFound}", StringComparison.Ordinal))
            {
                // No attachments.
            }

            if (attachments is not null)
            {
                await ReadAttachmentsAsync(
                    attachments.Bytes,
                    $"{reference.Name}:{tag}",
                    async (descriptor, ct) => await client.OpenVerifiedBlobAsync(reference, descriptor, ct).ConfigureAwait(false),
                    signatures,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return new PolicyImage(name, manifest.Bytes, signatures);
    }

    // Whether index.json names a manifest with this tag (org.opencontainers.image.ref.name).
    private static async Task<bool> LayoutHasTagAsync(string layout, string tag, CancellationToken cancellationToken)
    {
        var index = await ReadFileAsync(Path.Combine(layout, "index.json"), Limits.Default.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(index);
            return document.RootElement.TryGetProperty("manifests", out var manifests)
                && manifests.ValueKind == JsonValueKind.Array
                && manifests.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object
                    && m.TryGetProperty("annotations", out var annotations)
                    && annotations.ValueKind == JsonValueKind.Object
                    && annotations.TryGetProperty(OciLayoutSource.RefNameAnnotation, out var name)
                    && name.ValueKind == JsonValueKind.String
                    && name.GetString() == tag);
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{layout}/index.json: not valid JSON ({e.Message}).");
        }
    }

    /// <summary>The tag cosign stores signatures under: <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public static string AttachmentTag(Digest manifestDigest) => $"{manifestDigest.Algorithm}-{manifestDigest.Hex}.sig";

    // Each layer of the attachment manifest is one sigstore signature (or other attachment): payload plus annotations.
    private static async Task ReadAttachmentsAsync(byte[] manifestBytes, string origin, Func<Descriptor, CancellationToken, Task<Stream>> openBlob, List<ImageSignatureBlob> into, CancellationToken cancellationToken)
    {
        var manifest = ImageManifest.Parse(manifestBytes, null, origin);
        var index = 0;
        foreach (var layer in manifest.Layers.Take(MaxSignatures))
        {
            index++;
            if (layer.Size > MaxSignatureBytes)
            {
                throw StrataException.BadInput($"{origin}: attachment layer {index} is larger than {MaxSignatureBytes} bytes.");
            }

            await using var stream = await openBlob(layer, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            var payload = buffer.ToArray();
            if (!layer.Digest.Matches(payload))
            {
                throw StrataException.BadInput($"{origin}: attachment layer {index} does not match its digest {layer.Digest}.");
            }

            var signature = new SigstoreSignature(layer.MediaType, payload, layer.Annotations);
            into.Add(new ImageSignatureBlob(signature.ToDirBlob(), $"{origin} layer {index}"));
        }
    }

    private static async Task<byte[]?> ReadFileAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            if (stream.Length > maxBytes)
            {
                throw StrataException.BadInput($"{path}: larger than {maxBytes} bytes.");
            }

            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"{path}: cannot be read ({e.Message}).");
        }
    }
}

/// <summary>Where registry images' signatures are looked for (registries.d): a lookaside reader and the attachment switch.</summary>
public sealed record PolicySignatureSources
{
    /// <summary>No lookaside, no attachments (containers/image's defaults without registries.d configuration).</summary>
    public static PolicySignatureSources None { get; } = new();

    /// <summary>Reads the lookaside signatures of an image (its repository and manifest digest), or null for none.</summary>
    public Func<ImageReference, Digest, CancellationToken, Task<IReadOnlyList<ImageSignatureBlob>>>? Lookaside { get; init; }

    /// <summary>Whether sigstore attachments are read for an image (registries.d <c>use-sigstore-attachments</c>).</summary>
    public Func<ImageReference, bool> UseSigstoreAttachments { get; init; } = _ => false;

    /// <summary>
    /// As containers/image reads a registry image's signatures: the lookaside configured in registries.d (or the built-in
    /// default), plus the sigstore attachments where <c>use-sigstore-attachments</c> is true.
    /// </summary>
    public static PolicySignatureSources From(RegistriesConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new PolicySignatureSources
        {
            Lookaside = async (image, digest, cancellationToken) =>
            {
                using var store = new LookasideStore();
                var found = await store.ReadAsync(configuration.LookasideBaseFor(image, write: false), digest, cancellationToken).ConfigureAwait(false);
                return [.. found.Select(s => new ImageSignatureBlob(s.Bytes, s.Location.ToString()))];
            },
            UseSigstoreAttachments = configuration.UseSigstoreAttachments,
        };
    }
}
