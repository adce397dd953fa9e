namespace Strata.Signing.Cosign;

using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Model;

/// <summary>
/// Where cosign keeps an image's signatures: the tag <c>sha256-&lt;hex&gt;.sig</c> in the image's repository (or OCI
/// layout), an OCI manifest with one <c>application/vnd.dev.cosign.simplesigning.v1+json</c> layer per signature
/// and a config in the form go-containerregistry computes for it. Readers also look at OCI 1.1 referrers of type
/// <c>application/vnd.dev.cosign.artifact.sig.v1+json</c> where the store has that API.
/// </summary>
public static class CosignSignatureStore
{
    /// <summary>The artifact type cosign's OCI 1.1 mode gives signature manifests.</summary>
    public const string ReferrerArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    // A signature layer is a small JSON payload; anything larger is hostile.
    private const long MaxSignatureLayerBytes = 1 << 20;
    private const int MaxSignatureLayers = 1000;

    /// <summary>The tag cosign stores <paramref name="image"/>'s signatures under.</summary>
    public static string TagFor(Digest image) => $"{image.Algorithm}-{image.Hex}.sig";

    /// <summary>One signature found in a store, with where it came from for messages.</summary>
    public sealed record Found(SigstoreSignature Signature, string Origin);

    /// <summary>What <see cref="AppendAsync"/> did.</summary>
    public sealed record Appended(bool Added, string Tag, Digest ManifestDigest, int SignatureCount);

    /// <summary>
    /// The signature attachments of <paramref name="image"/>: the layers of its <c>.sig</c> tag, then those of its
    /// cosign referrers. Other attachment types are returned too (the caller skips what is not a signature).
    /// </summary>
    public static async Task<IReadOnlyList<Found>> ReadAsync(IImageDestination store, Digest image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = new List<Found>();
        var tag = TagFor(image);
        if (await store.GetManifestAsync(tag, cancellationToken) is { } tagged)
        {
            await ReadLayersAsync(store, tagged, $"{store.Reference} tag {tag}", found, cancellationToken);
        }

        var referrers = await store.ListReferrersAsync(image, ReferrerArtifactType, cancellationToken);
        foreach (var referrer in referrers.Referrers)
        {
            if (await store.GetManifestAsync(referrer.Descriptor.Digest.ToString(), cancellationToken) is { } manifest)
            {
                await ReadLayersAsync(store, manifest, $"{store.Reference} referrer {referrer.Descriptor.Digest.Abbreviated}", found, cancellationToken);
            }
        }

        return found;
    }

    /// <summary>
    /// Adds <paramref name="signature"/> to <paramref name="image"/>'s <c>.sig</c> tag, creating it or appending a
    /// layer as cosign does. A signature already there for the same payload by the same key (checked with
    /// <paramref name="signer"/>) is not added twice.
    /// </summary>
    public static async Task<Appended> AppendAsync(IImageDestination store, Digest image, SigstoreSignature signature, Keys.PublicKeyMaterial signer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(signer);
        var tag = TagFor(image);
        var layers = new List<Descriptor>();
        if (await store.GetManifestAsync(tag, cancellationToken) is { } existing)
        {
            var manifest = ImageManifest.Parse(existing.Bytes, existing.MediaType, $"{store.Reference} tag {tag}");
            var found = new List<Found>();
            await ReadLayersAsync(store, existing, $"{store.Reference} tag {tag}", found, cancellationToken);
            for (var i = 0; i < manifest.Layers.Count; i++)
            {
                layers.Add(manifest.Layers[i]);
                var old = found[i].Signature;
                if (old.IsSignature && old.Payload.AsSpan().SequenceEqual(signature.Payload) && SameSigner(old, signer))
                {
                    return new Appended(false, tag, existing.Digest, manifest.Layers.Count);
                }
            }
        }

        var payloadDescriptor = new Descriptor
        {
            MediaType = signature.MimeType,
            Digest = Digest.Sha256Of(signature.Payload),
            Size = signature.Payload.Length,
            Annotations = signature.Annotations,
        };
        await PutAsync(store, payloadDescriptor, signature.Payload, cancellationToken);
        layers.Add(payloadDescriptor);

        var config = ConfigFor(layers);
        var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256Of(config), Size = config.Length };
        await PutAsync(store, configDescriptor, config, cancellationToken);

        var manifestBytes = ManifestFor(configDescriptor, layers);
        var stored = await store.PutManifestAsync(manifestBytes, MediaTypes.OciManifest, tag, cancellationToken);
        return new Appended(true, tag, stored.Digest, layers.Count);
    }

    private static bool SameSigner(SigstoreSignature old, Keys.PublicKeyMaterial signer)
    {
        try
        {
            CosignVerifier.Verify(old, [signer]);
            return true;
        }
        catch (SignatureException)
        {
            return false;
        }
    }

    private static async Task PutAsync(IImageDestination store, Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
    {
        if (!await store.BlobExistsAsync(descriptor.Digest, cancellationToken))
        {
            using var content = new MemoryStream(bytes, writable: false);
            await store.PutBlobAsync(descriptor, content, cancellationToken);
        }
    }

    private static async Task ReadLayersAsync(IImageDestination store, StoredManifest stored, string origin, List<Found> found, CancellationToken cancellationToken)
    {
        var manifest = ImageManifest.Parse(stored.Bytes, stored.MediaType, origin);
        if (manifest.Layers.Count > MaxSignatureLayers)
        {
            throw StrataException.BadInput($"{origin}: {manifest.Layers.Count} signature layers (at most {MaxSignatureLayers} are read).");
        }

        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            var where = $"{origin} layer {i + 1}";
            if (layer.Size > MaxSignatureLayerBytes)
            {
                throw StrataException.BadInput($"{where}: {layer.Size} bytes is too large for a signature payload.");
            }

            await using var raw = await store.OpenBlobAsync(layer, cancellationToken);
            await using var verified = new VerifyingStream(raw, layer.Digest, layer.Size, where);
            using var buffer = new MemoryStream();
            await verified.CopyToAsync(buffer, cancellationToken);
            found.Add(new Found(new SigstoreSignature(layer.MediaType, buffer.ToArray(), layer.Annotations), where));
        }
    }

    /// <summary>
    /// The config go-containerregistry computes for cosign's signature image: empty platform, zero times, one
    /// history entry and one diff_id (the payload digest) per layer.
    /// </summary>
    private static byte[] ConfigFor(List<Descriptor> layers)
    {
        var json = new StringBuilder("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[");
        json.AppendJoin(',', layers.Select(_ => "{\"created\":\"0001-01-01T00:00:00Z\"}"));
        json.Append("],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        json.AppendJoin(',', layers.Select(layer => $"\"{layer.Digest}\""));
        json.Append("]},\"config\":{}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>The signature manifest as go-containerregistry writes it (field order of its structs).</summary>
    private static byte[] ManifestFor(Descriptor config, List<Descriptor> layers)
    {
        var json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"").Append(MediaTypes.OciManifest).Append("\",\"config\":");
        AppendDescriptor(json, config);
        json.Append(",\"layers\":[");
        for (var i = 0; i < layers.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            AppendDescriptor(json, layers[i]);
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static void AppendDescriptor(StringBuilder json, Descriptor descriptor)
    {
        json.Append("{\"mediaType\":");
        SignaturePayload.AppendGoString(json, descriptor.MediaType);
        json.Append(",\"size\":").Append(descriptor.Size.ToString(CultureInfo.InvariantCulture))
            .Append(",\"digest\":\"").Append(descriptor.Digest.ToString()).Append('"');
        if (descriptor.Annotations.Count > 0)
        {
            json.Append(",\"annotations\":");
            SigstoreSignature.AppendGoStringMap(json, descriptor.Annotations);
        }

        json.Append('}');
    }
}
