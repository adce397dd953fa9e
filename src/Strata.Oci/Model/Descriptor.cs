namespace Strata.Oci.Model;

using Strata.Core.Findings;

/// <summary>An OCI content descriptor: what a manifest or index says about a blob it points to.</summary>
public sealed record Descriptor
{
    public required string MediaType { get; init; }

    public required Digest Digest { get; init; }

    public required long Size { get; init; }

    public Platform? Platform { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Urls { get; init; } = [];
}

/// <summary>An image platform, as in an index entry or given to --platform (os/arch[/variant]).</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    public static Platform Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw Strata.Core.StrataException.Usage($"--platform '{Redaction.Quote(text)}': expected os/arch or os/arch/variant, e.g. linux/arm64/v8.");
        }

        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
