namespace Strata.Oci.Resolution;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Sources;
using Strata.Oci.Transports;

/// <summary>
/// Turns a source into a <see cref="ResolvedImage"/>: follows indexes to the platform's manifest, and reads
/// the manifest and config with every digest and size verified.
/// </summary>
public static class ImageResolver
{
    private static readonly Platform DefaultPlatform = new("linux", "amd64");

    public static async Task<ResolvedImage> OpenAsync(string transportReference, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        var source = await ImageTransports.OpenSourceAsync(transportReference, options, cancellationToken);
        try
        {
            return await ResolveAsync(source, options, cancellationToken);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public static async Task<ResolvedImage> ResolveAsync(IImageSource source, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Limits;
        var top = await source.GetTopManifestAsync(cancellationToken);
        var bytes = top.Bytes;
        if (bytes.Length > limits.MaxManifestBytes)
        {
            throw Limits.Exceeded(top.Origin, $"the manifest is {bytes.Length} bytes, more than the {limits.MaxManifestBytes} allowed", "manifest-bytes");
        }

        var digest = Digest.Sha256Of(bytes);
        if (top.ExpectedDigest is Digest expected)
        {
            if (!expected.Matches(bytes))
            {
                throw StrataException.BadInput($"{top.Origin}: manifest digest mismatch: expected {expected}, content hashes to a different digest.");
            }

            digest = expected;
        }

        if (top.ExpectedSize is long expectedSize && expectedSize != bytes.Length)
        {
            throw StrataException.BadInput($"{top.Origin}: manifest is {bytes.Length} bytes but its descriptor declares {expectedSize}.");
        }

        var mediaType = top.MediaType ?? ImageIndex.SniffMediaType(bytes, top.Origin);
        var where = top.Origin;
        var indexes = new List<Digest>();
        Platform? selected = null;
        for (var depth = 0; MediaTypes.IsIndex(mediaType); depth++)
        {
            if (depth >= limits.MaxIndexDepth)
            {
                throw Limits.Exceeded(where, $"indexes nested more than {limits.MaxIndexDepth} deep", "index-depth");
            }

            var index = ImageIndex.Parse(bytes, mediaType, $"{where} ({digest})", limits);
            if (!top.Synthesized || depth > 0)
            {
                indexes.Add(digest);
            }

            var child = SelectManifest(index, options.Platform, $"{where} ({digest})");
            selected = child.Platform ?? selected;
            where = $"manifest {child.Digest} (from index {digest})";
            if (!MediaTypes.IsIndex(child.MediaType) && !MediaTypes.IsManifest(child.MediaType))
            {
                throw StrataException.BadInput($"{where}: unknown media type '{Redaction.Quote(child.MediaType, 100)}' for an index entry (expected an image manifest or index).");
            }

            bytes = await ReadVerifiedAsync(source, child, where, limits.MaxManifestBytes, "manifest-bytes", cancellationToken);
            digest = child.Digest;
            mediaType = ImageIndex.SniffMediaType(bytes, where) ?? child.MediaType;
            if (MediaTypes.IsIndex(mediaType) != MediaTypes.IsIndex(child.MediaType))
            {
                throw StrataException.BadInput($"{where}: content is a '{Redaction.Quote(mediaType, 100)}' but the index entry declares '{Redaction.Quote(child.MediaType, 100)}'.");
            }
        }

        if (!MediaTypes.IsManifest(mediaType))
        {
            throw StrataException.BadInput($"{where}: unknown manifest media type '{Redaction.Quote(mediaType ?? "none", 100)}' (expected an OCI or Docker schema 2 manifest or index).");
        }

        var what = top.Synthesized && indexes.Count == 0 ? $"{where} (synthesized manifest)" : $"manifest {digest}";
        var manifest = ImageManifest.Parse(bytes, mediaType, what, limits);
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
        {
            throw StrataException.BadInput($"{what}: $.config.mediaType: unknown media type '{Redaction.Quote(manifest.Config.MediaType, 100)}' (not a container image config).");
        }

        if (manifest.Layers.Count > limits.MaxLayers)
        {
            throw Limits.Exceeded(what, $"{manifest.Layers.Count} layers is more than the {limits.MaxLayers} allowed", "layers");
        }

        var configWhat = $"config {manifest.Config.Digest}";
        var configBytes = await ReadVerifiedAsync(source, manifest.Config, configWhat, limits.MaxConfigBytes, "config-bytes", cancellationToken);
        var config = ImageConfig.Parse(configBytes, configWhat, limits);
        if (config.DiffIds.Count != manifest.Layers.Count)
        {
            throw StrataException.BadInput($"{what}: lists {manifest.Layers.Count} layers but {configWhat} has {config.DiffIds.Count} rootfs.diff_ids.");
        }

        var history = new List<HistoryEntry>();
        foreach (var entry in config.History)
        {
            if (!entry.EmptyLayer)
            {
                history.Add(entry);
            }
        }

        var layers = new List<ImageLayer>(manifest.Layers.Count);
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var descriptor = manifest.Layers[i];
            var encrypted = MediaTypes.IsEncrypted(descriptor.MediaType);
            var plainMediaType = encrypted ? descriptor.MediaType.Replace("+encrypted", string.Empty, StringComparison.Ordinal) : descriptor.MediaType;
            var compression = MediaTypes.LayerCompressionOf(plainMediaType)
                ?? throw StrataException.BadInput($"{what}: $.layers[{i}] ({descriptor.Digest}): unknown layer media type '{Redaction.Quote(descriptor.MediaType, 100)}'.");
            layers.Add(new ImageLayer(i, descriptor, config.DiffIds[i], compression, history.Count == manifest.Layers.Count ? history[i] : null)
            {
                Encrypted = encrypted,
                Decryptor = encrypted ? options.LayerDecryptor : null,
            });
        }

        return new ResolvedImage
        {
            Source = source,
            Options = options,
            ManifestDigest = digest,
            ManifestMediaType = manifest.MediaType,
            ManifestSynthesized = top.Synthesized && indexes.Count == 0,
            IndexDigests = indexes,
            SelectedPlatform = selected,
            Manifest = manifest,
            ManifestBytes = bytes,
            Config = config,
            ConfigBytes = configBytes,
            Layers = layers,
        };
    }

    /// <summary>Reads a small blob (manifest, config) fully, failing on any digest or size mismatch.</summary>
    /// <param name="maxBytes">The most it may be; <paramref name="limitKey"/> raises it.</param>
    public static async Task<byte[]> ReadVerifiedAsync(IImageSource source, Descriptor descriptor, string what, long maxBytes, string limitKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes)
        {
            throw Limits.Exceeded(what, $"descriptor size {descriptor.Size} is more than the {maxBytes} bytes allowed", limitKey);
        }

        await using var raw = await source.OpenBlobAsync(descriptor, cancellationToken);
        await using var verifying = new VerifyingStream(raw, descriptor.Digest, descriptor.Size, $"{what}", leaveOpen: true);
        var bytes = new byte[descriptor.Size];
        var read = await verifying.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < bytes.Length)
        {
            throw StrataException.BadInput($"{what}: truncated: {read} of the {descriptor.Size} bytes its descriptor declares.");
        }

        await verifying.DrainAsync(cancellationToken);
        return bytes;
    }

    private static Descriptor SelectManifest(ImageIndex index, Platform? wanted, string what)
    {
        var candidates = new List<Descriptor>();
        foreach (var entry in index.Manifests)
        {
            // Skip BuildKit attestation manifests (platform unknown/unknown).
            if (entry.Platform is { Os: "unknown", Architecture: "unknown" })
            {
                continue;
            }

            candidates.Add(entry);
        }

        if (candidates.Count == 0)
        {
            throw StrataException.BadInput($"{what}: the index lists no image manifests.");
        }

        // The only entry, or a nested index with no platform of its own: the choice happens one level down.
        if (candidates.Count == 1 && (wanted is null || (candidates[0].Platform is null && MediaTypes.IsIndex(candidates[0].MediaType))))
        {
            return candidates[0];
        }

        var platform = wanted ?? DefaultPlatform;
        Descriptor? loose = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Platform is not { } p || p.Os != platform.Os || p.Architecture != platform.Architecture)
            {
                continue;
            }

            if (platform.Variant is null || p.Variant == platform.Variant)
            {
                return candidate;
            }

            // arm64's variant is v8 whether written or not.
            if (platform.Architecture == "arm64" && (p.Variant ?? "v8") == platform.Variant)
            {
                loose ??= candidate;
            }
        }

        if (loose is not null)
        {
            return loose;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Platform is null && MediaTypes.IsIndex(candidate.MediaType))
            {
                return candidate;
            }
        }

        var available = new List<string>();
        foreach (var candidate in candidates)
        {
            available.Add(candidate.Platform?.ToString() ?? $"(no platform: {candidate.Digest})");
        }

        throw StrataException.BadInput($"{what}: no manifest for platform {platform} (available: {string.Join(", ", available)}); choose one with --platform.");
    }
}
