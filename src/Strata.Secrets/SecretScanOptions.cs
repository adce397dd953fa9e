namespace Strata.Secrets;

/// <summary>Bounds and switches of a secret scan.</summary>
public sealed record SecretScanOptions
{
    /// <summary>Bytes of a file that are scanned; the rest of a larger file is not read.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes read and scanned at a time; consecutive chunks overlap so no secret is cut in two.</summary>
    public int ChunkBytes { get; init; } = 1024 * 1024;

    /// <summary>Skip the built-in documentation and package-metadata paths (see <see cref="PathAllowList.BuiltIn"/>).</summary>
    public bool UseBuiltInPathAllowList { get; init; } = true;

    /// <summary>Matches kept per file, so a file made of tokens cannot flood a report.</summary>
    public int MaxMatchesPerFile { get; init; } = 1000;

    internal void Validate()
    {
        if (MaxFileBytes < 1 || ChunkBytes < 4096 || ChunkBytes > 64 * 1024 * 1024 || MaxMatchesPerFile < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SecretScanOptions), "secret scan options out of range.");
        }
    }
}
