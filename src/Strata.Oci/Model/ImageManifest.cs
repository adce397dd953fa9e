namespace Strata.Oci.Model;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>An image manifest (OCI or Docker schema 2): a config and its layers.</summary>
public sealed record ImageManifest
{
    public required string MediaType { get; init; }

    public required Descriptor Config { get; init; }

    public required IReadOnlyList<Descriptor> Layers { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Parses manifest bytes; <paramref name="declaredMediaType"/> comes from the referring descriptor or transport.</summary>
    public static ImageManifest Parse(ReadOnlyMemory<byte> bytes, string? declaredMediaType, string what, Limits? limits = null)
    {
        using var document = JsonFields.Parse(bytes, what, limits);
        var root = JsonFields.Root(document, what);
        var schemaVersion = root.Int64("schemaVersion");
        if (schemaVersion != 2)
        {
            throw root.Fail($"schemaVersion {schemaVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} is not supported (only schema 2 manifests are).");
        }

        var mediaType = root.String("mediaType") ?? declaredMediaType ?? MediaTypes.OciManifest;
        if (!MediaTypes.IsManifest(mediaType))
        {
            throw root.Fail($"media type '{Redaction.Quote(mediaType, 100)}' is not an image manifest type.");
        }

        var configField = root.Object("config") ?? throw root.Fail("required object 'config' is missing.");
        var layers = new List<Descriptor>();
        foreach (var layer in root.Array("layers"))
        {
            layers.Add(DescriptorJson.Read(layer));
        }

        return new ImageManifest
        {
            MediaType = mediaType,
            Config = DescriptorJson.Read(configField),
            Layers = layers,
            Annotations = root.StringMap("annotations"),
        };
    }
}

/// <summary>An image index or Docker manifest list: manifests for several platforms (or nested indexes).</summary>
public sealed record ImageIndex
{
    public required string MediaType { get; init; }

    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    public static ImageIndex Parse(ReadOnlyMemory<byte> bytes, string? declaredMediaType, string what, Limits? limits = null)
    {
        using var document = JsonFields.Parse(bytes, what, limits);
        var root = JsonFields.Root(document, what);
        var schemaVersion = root.Int64("schemaVersion");
        if (schemaVersion != 2)
        {
            throw root.Fail($"schemaVersion {schemaVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} is not supported (only schema 2 indexes are).");
        }

        var mediaType = root.String("mediaType") ?? declaredMediaType ?? MediaTypes.OciIndex;
        if (!MediaTypes.IsIndex(mediaType))
        {
            throw root.Fail($"media type '{Redaction.Quote(mediaType, 100)}' is not an image index type.");
        }

        if (!root.Has("manifests"))
        {
            throw root.Fail("required array 'manifests' is missing.");
        }

        var manifests = new List<Descriptor>();
        foreach (var manifest in root.Array("manifests"))
        {
            manifests.Add(DescriptorJson.Read(manifest));
        }

        return new ImageIndex { MediaType = mediaType, Manifests = manifests };
    }

    /// <summary>What a JSON document declares itself to be, without the full parse: its mediaType, or an index/manifest guess from its fields.</summary>
    public static string? SniffMediaType(ReadOnlyMemory<byte> bytes, string what)
    {
        using var document = JsonFields.Parse(bytes, what);
        var root = JsonFields.Root(document, what);
        if (root.String("mediaType") is { } declared)
        {
            return declared;
        }

        if (root.Has("manifests"))
        {
            return MediaTypes.OciIndex;
        }

        return root.Has("config") && root.Has("layers") ? MediaTypes.OciManifest : null;
    }
}

internal static class DescriptorJson
{
    public static Descriptor Read(JsonFields field)
    {
        var mediaType = field.RequiredString("mediaType");
        var digestText = field.RequiredString("digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw field.Fail($"digest '{Redaction.Quote(digestText, 80)}' is not a valid digest (expected sha256:<64 hex> or sha512:<128 hex>).");
        }

        var size = field.Int64("size") ?? throw field.Fail("required integer 'size' is missing.");
        if (size < 0)
        {
            throw field.Fail($"size {size} is negative.");
        }

        Platform? platform = null;
        if (field.Object("platform") is { } platformField)
        {
            platform = new Platform(
                platformField.String("os") ?? string.Empty,
                platformField.String("architecture") ?? string.Empty,
                platformField.String("variant"));
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest,
            Size = size,
            Platform = platform,
            Annotations = field.StringMap("annotations"),
            Urls = field.StringArray("urls"),
        };
    }
}
