namespace Strata.Oci.Resolution;

using Strata.Oci.Model;
using Strata.Oci.Sources;

/// <summary>An image whose manifest and config have been read and verified, ready for its layers to be read.</summary>
public sealed class ResolvedImage
{
    public required IImageSource Source { get; init; }

    public required ImageOpenOptions Options { get; init; }

    /// <summary>Digest of the manifest bytes (for docker-archive, of the synthesized manifest).</summary>
    public required Digest ManifestDigest { get; init; }

    public required string ManifestMediaType { get; init; }

    /// <summary>True when the manifest was synthesized by the source (docker-archive).</summary>
    public bool ManifestSynthesized { get; init; }

    /// <summary>The index (or manifest list) the manifest was chosen from, outermost first; empty for a plain manifest.</summary>
    public IReadOnlyList<Digest> IndexDigests { get; init; } = [];

    /// <summary>The platform chosen from an index, when there was one.</summary>
    public Platform? SelectedPlatform { get; init; }

    public required ImageManifest Manifest { get; init; }

    public required byte[] ManifestBytes { get; init; }

    public required ImageConfig Config { get; init; }

    public required byte[] ConfigBytes { get; init; }

    public required IReadOnlyList<ImageLayer> Layers { get; init; }

    public string Reference => Source.Reference;
}

/// <summary>One layer: where its blob is, what it hashes to uncompressed, and which build step made it.</summary>
public sealed record ImageLayer(int Index, Descriptor Descriptor, Digest DiffId, LayerCompression Compression, HistoryEntry? History)
{
    /// <summary>e.g. "image layer 2 (sha256:0123456789ab)", for messages.</summary>
    public string Describe() => $"image layer {Index} ({Descriptor.Digest})";

    public string? CreatedBy => History?.CreatedBy;

    /// <summary>The blob is encrypted (ocicrypt); <see cref="Compression"/> is that of the plaintext.</summary>
    public bool Encrypted { get; init; }

    /// <summary>Opens the blob when it is encrypted; null when no key was given.</summary>
    public Layers.ILayerDecryptor? Decryptor { get; init; }

    /// <summary>False for an encrypted layer with no key to open it: its content cannot be read.</summary>
    public bool Readable => !Encrypted || Decryptor is not null;
}
