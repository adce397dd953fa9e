namespace Strata.Encryption;

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Encryption.Cipher;
using Strata.Encryption.KeyWrap;
using Strata.Encryption.Keys;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Model;
using Strata.Oci.Resolution;

/// <summary>What one layer became.</summary>
public sealed record LayerChange(int Index, Descriptor Before, Descriptor After);

/// <summary>The image written: its manifest's descriptor and each layer changed.</summary>
public sealed record ImageCryptResult(Descriptor Manifest, IReadOnlyList<LayerChange> Layers);

/// <summary>
/// Encrypts and decrypts the layers of an image in ocicrypt's format, writing the result to a destination (an OCI
/// layout or a registry). The manifest is written as an OCI manifest (a Docker schema 2 manifest is converted, as
/// skopeo does, since only OCI media types can say <c>+encrypted</c>); the config and its <c>diff_ids</c> stay as they
/// are. Each layer is streamed through the cipher into a temporary file (memory stays bounded whatever the layer's
/// size), its digest taken on the way, then stored; the manifest is written last, so a failure leaves no tag.
/// </summary>
public static class ImageEncryption
{
    /// <summary>Encrypts the chosen layers (all when <paramref name="layers"/> is null; negative indices count from the end).</summary>
    public static async Task<ImageCryptResult> EncryptAsync(ResolvedImage image, IImageDestination destination, string? tag, EncryptionRecipients recipients, IReadOnlyList<int>? layers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.IsEmpty)
        {
            throw StrataException.Usage("encrypt: no recipient given (--recipient jwe:PUB.pem, pkcs7:CERT.pem or pgp:KEY)");
        }

        var chosen = Choose(image, layers);
        var changes = new List<LayerChange>();
        var descriptors = new List<Descriptor>();
        foreach (var layer in image.Layers)
        {
            var what = $"{image.Reference}: {layer.Describe()}";
            if (!chosen.Contains(layer.Index))
            {
                await CopyBlobAsync(image, destination, layer.Descriptor, what, cancellationToken);
                descriptors.Add(WithOciMediaType(layer.Descriptor));
                continue;
            }

            if (layer.Encrypted)
            {
                throw StrataException.Usage($"{what} is already encrypted; decrypt the image first, or leave the layer out with --layer");
            }

            var after = await EncryptLayerAsync(image, layer.Descriptor, destination, recipients, what, cancellationToken);
            descriptors.Add(after);
            changes.Add(new LayerChange(layer.Index, layer.Descriptor, after));
        }

        await CopyBlobAsync(image, destination, image.Manifest.Config, $"{image.Reference}: config", cancellationToken);
        var manifest = await WriteManifestAsync(image, destination, tag, descriptors, cancellationToken);
        return new ImageCryptResult(manifest, changes);
    }

    /// <summary>Decrypts the chosen encrypted layers (all when <paramref name="layers"/> is null) with the keys given.</summary>
    public static async Task<ImageCryptResult> DecryptAsync(ResolvedImage image, IImageDestination destination, string? tag, DecryptionKeys keys, IReadOnlyList<int>? layers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.IsEmpty)
        {
            throw StrataException.Usage("decrypt: no key given (--key FILE[:PASSWORD])");
        }

        var chosen = Choose(image, layers);
        var decryptor = new LayerDecryptor(keys);
        var changes = new List<LayerChange>();
        var descriptors = new List<Descriptor>();
        foreach (var layer in image.Layers)
        {
            var what = $"{image.Reference}: {layer.Describe()}";
            if (!layer.Encrypted || !chosen.Contains(layer.Index))
            {
                await CopyBlobAsync(image, destination, layer.Descriptor, what, cancellationToken);
                descriptors.Add(WithOciMediaType(layer.Descriptor));
                continue;
            }

            var after = await DecryptLayerAsync(image, layer.Descriptor, destination, decryptor, what, cancellationToken);
            descriptors.Add(after);
            changes.Add(new LayerChange(layer.Index, layer.Descriptor, after));
        }

        await CopyBlobAsync(image, destination, image.Manifest.Config, $"{image.Reference}: config", cancellationToken);
        var manifest = await WriteManifestAsync(image, destination, tag, descriptors, cancellationToken);
        return new ImageCryptResult(manifest, changes);
    }

    private static HashSet<int> Choose(ResolvedImage image, IReadOnlyList<int>? layers)
    {
        var count = image.Layers.Count;
        if (layers is null || layers.Count == 0)
        {
            return [.. Enumerable.Range(0, count)];
        }

        var chosen = new HashSet<int>();
        foreach (var index in layers)
        {
            var actual = index < 0 ? count + index : index;
            if (actual < 0 || actual >= count)
            {
                throw StrataException.Usage($"--layer {index}: the image has {count} layers (0 to {count - 1}, or -1 to -{count} from the end)");
            }

            chosen.Add(actual);
        }

        return chosen;
    }

    private static async Task<Descriptor> EncryptLayerAsync(ResolvedImage image, Descriptor plain, IImageDestination destination, EncryptionRecipients recipients, string what, CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(AesCtrHmac.KeySize);
        var nonce = RandomNumberGenerator.GetBytes(AesCtrHmac.NonceSize);
        try
        {
            await using var spool = Spool();
            byte[] hmac;
            await using (var raw = await image.Source.OpenBlobAsync(plain, cancellationToken))
            await using (var verified = new VerifyingStream(raw, plain.Digest, plain.Size, $"{what} blob"))
            await using (var cipher = CipherStream.Encrypt(verified, key, nonce))
            {
                await cipher.CopyToAsync(spool, cancellationToken);
                hmac = cipher.Hmac;
            }

            var privateOptions = new PrivateLayerOptions(key, plain.Digest, new Dictionary<string, byte[]> { ["nonce"] = nonce }).ToJson();
            var publicOptions = new PublicLayerOptions(AesCtrHmac.CipherName, hmac, new Dictionary<string, byte[]>()).ToJson();
            var annotations = new Dictionary<string, string>(plain.Annotations, StringComparer.Ordinal);
            try
            {
                if (recipients.Jwe.Count > 0)
                {
                    annotations[LayerAnnotations.Jwe] = Convert.ToBase64String(Jwe.Encrypt(privateOptions, recipients.Jwe));
                }

                if (recipients.Pkcs7.Count > 0)
                {
                    annotations[LayerAnnotations.Pkcs7] = Convert.ToBase64String(Pkcs7.Encrypt(privateOptions, recipients.Pkcs7));
                }

                if (recipients.Pgp.Count > 0)
                {
                    annotations[LayerAnnotations.Pgp] = Convert.ToBase64String(OpenPgp.Encrypt(privateOptions, recipients.Pgp));
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateOptions);
            }

            annotations[LayerAnnotations.PublicOptions] = Convert.ToBase64String(publicOptions);
            var after = new Descriptor
            {
                MediaType = OciMediaType(plain.MediaType) + "+encrypted",
                Digest = await DigestOfAsync(spool, cancellationToken),
                Size = spool.Length,
                Annotations = annotations,
            };
            spool.Position = 0;
            await destination.PutBlobAsync(after, spool, cancellationToken);
            return after;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static async Task<Descriptor> DecryptLayerAsync(ResolvedImage image, Descriptor encrypted, IImageDestination destination, LayerDecryptor decryptor, string what, CancellationToken cancellationToken)
    {
        await using var spool = Spool();
        Digest digest;
        await using (var raw = await image.Source.OpenBlobAsync(encrypted, cancellationToken))
        await using (var verified = new VerifyingStream(raw, encrypted.Digest, encrypted.Size, $"{what} blob"))
        {
            var opened = await decryptor.OpenAsync(encrypted, verified, what, cancellationToken);
            digest = opened.Digest;
            await using var plaintext = new VerifyingStream(opened.Plaintext, opened.Digest, null, $"{what} decrypted blob (the digest its private options name)");
            await plaintext.CopyToAsync(spool, cancellationToken);
            await plaintext.DrainAsync(cancellationToken);
            await verified.DrainAsync(cancellationToken);
        }

        var plainMediaType = encrypted.MediaType.Replace("+encrypted", string.Empty, StringComparison.Ordinal);
        var after = new Descriptor
        {
            MediaType = plainMediaType,
            Digest = digest,
            Size = spool.Length,
            Annotations = LayerAnnotations.WithoutEncryption(encrypted.Annotations),
            Urls = encrypted.Urls,
        };
        spool.Position = 0;
        await destination.PutBlobAsync(after, spool, cancellationToken);
        return after;
    }

    private static async Task CopyBlobAsync(ResolvedImage image, IImageDestination destination, Descriptor descriptor, string what, CancellationToken cancellationToken)
    {
        if (await destination.BlobExistsAsync(descriptor.Digest, cancellationToken))
        {
            return;
        }

        await using var raw = await image.Source.OpenBlobAsync(descriptor, cancellationToken);
        await using var verified = new VerifyingStream(raw, descriptor.Digest, descriptor.Size, $"{what} blob");
        await destination.PutBlobAsync(descriptor, verified, cancellationToken);
    }

    /// <summary>
    /// The manifest with new layer descriptors, as an OCI manifest. Fields other than the layers are kept (config,
    /// annotations, subject); a Docker schema 2 manifest's media types become the OCI ones.
    /// </summary>
    private static async Task<Descriptor> WriteManifestAsync(ResolvedImage image, IImageDestination destination, string? tag, List<Descriptor> layers, CancellationToken cancellationToken)
    {
        var root = JsonNode.Parse(image.ManifestBytes) as JsonObject
            ?? throw StrataException.BadInput($"{image.Reference}: the manifest is not a JSON object");
        root["mediaType"] = MediaTypes.OciManifest;
        if (root["config"] is JsonObject config && config["mediaType"]?.GetValue<string>() == MediaTypes.DockerConfig)
        {
            config["mediaType"] = MediaTypes.OciConfig;
        }

        var array = new JsonArray();
        foreach (var layer in layers)
        {
            var node = new JsonObject
            {
                ["mediaType"] = layer.MediaType,
                ["digest"] = layer.Digest.ToString(),
                ["size"] = layer.Size,
            };
            if (layer.Urls.Count > 0)
            {
                node["urls"] = new JsonArray([.. layer.Urls.Select(u => (JsonNode?)JsonValue.Create(u))]);
            }

            if (layer.Annotations.Count > 0)
            {
                var annotations = new JsonObject();
                foreach (var (name, value) in layer.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    annotations[name] = value;
                }

                node["annotations"] = annotations;
            }

            array.Add((JsonNode)node);
        }

        root["layers"] = array;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(root, JsonNodeContext.Default.JsonNode);
        return await destination.PutManifestAsync(bytes, MediaTypes.OciManifest, tag, cancellationToken);
    }

    private static Descriptor WithOciMediaType(Descriptor descriptor) => descriptor with { MediaType = OciMediaType(descriptor.MediaType) };

    private static string OciMediaType(string mediaType) => mediaType switch
    {
        MediaTypes.DockerLayerGzip => MediaTypes.OciLayerGzip,
        MediaTypes.DockerLayer => MediaTypes.OciLayer,
        MediaTypes.DockerForeignLayerGzip => MediaTypes.OciNondistributableLayerGzip,
        _ => mediaType,
    };

    /// <summary>A private temporary file for one layer, deleted when closed.</summary>
    private static FileStream Spool()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            // Plaintext of a layer being decrypted: readable by the owner only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(Path.Combine(Path.GetTempPath(), $"strata-layer-{Guid.NewGuid():N}"), options);
    }

    private static async Task<Digest> DigestOfAsync(FileStream spool, CancellationToken cancellationToken)
    {
        spool.Position = 0;
        var hash = await SHA256.HashDataAsync(spool, cancellationToken);
        return Digest.Parse("sha256:" + Convert.ToHexStringLower(hash), "layer");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
