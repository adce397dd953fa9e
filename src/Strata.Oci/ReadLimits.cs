namespace Strata.Oci;

/// <summary>
/// Bounds on what reading an image may cost, so a hostile image (decompression bomb, endless tar,
/// enormous headers) fails with a clear error instead of exhausting memory, disk or time.
/// </summary>
public sealed record ReadLimits
{
    /// <summary>Most uncompressed bytes one layer may expand to (default 16 GiB).</summary>
    public long MaxLayerUncompressedBytes { get; init; } = 16L << 30;

    /// <summary>Most uncompressed bytes all layers together may expand to (default 64 GiB).</summary>
    public long MaxImageUncompressedBytes { get; init; } = 64L << 30;

    /// <summary>Largest uncompressed/compressed ratio of a layer once past <see cref="CompressionRatioGraceBytes"/> (default 1000).</summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Uncompressed bytes read before the ratio is checked, so tiny layers of zeros are not flagged (default 64 MiB).</summary>
    public long CompressionRatioGraceBytes { get; init; } = 64L << 20;

    /// <summary>Most tar entries in one layer (default 2 million).</summary>
    public int MaxEntriesPerLayer { get; init; } = 2_000_000;

    /// <summary>Longest entry path or link target, in UTF-8 bytes (default 4096, PATH_MAX).</summary>
    public int MaxPathBytes { get; init; } = 4096;

    /// <summary>Largest PAX extended header or GNU long-name record (default 1 MiB).</summary>
    public int MaxExtendedHeaderBytes { get; init; } = 1 << 20;

    /// <summary>Largest file held in memory when several visitors want its content (default 8 MiB; larger files spill to a private temp file).</summary>
    public int MaxBufferedFileBytes { get; init; } = 8 << 20;

    /// <summary>Deepest chain of nested indexes followed (default 4).</summary>
    public int MaxIndexDepth { get; init; } = 4;

    /// <summary>Most layers in one image (default 1000).</summary>
    public int MaxLayers { get; init; } = 1000;

    public static ReadLimits Default { get; } = new();
}
