namespace Strata.Core;

using System.Globalization;

/// <summary>
/// Every bound on what Strata reads, in one place, so hostile input (a document bomb, a decompression bomb, an endless
/// tar, a million findings) fails with a clear error, or is folded, instead of exhausting memory, disk or time. The
/// defaults are safe for real input; <c>--limits KEY=VALUE</c> overrides them (<see cref="LimitKeys"/>, docs/LIMITS.md).
/// A refusal names the file and the key to raise.
/// </summary>
public sealed record Limits
{
    /// <summary>Largest JSON or YAML document (manifest, profile, config file) read (default 16 MiB).</summary>
    public long MaxDocumentBytes { get; init; } = 16L << 20;

    /// <summary>Deepest nesting of a JSON or YAML document (default 128).</summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>Most nodes (values, objects, arrays) in one JSON or YAML document, or one item of a Kubernetes List (default 1,000,000).</summary>
    public int MaxNodes { get; init; } = 1_000_000;

    /// <summary>Most YAML documents in one file (default 10,000).</summary>
    public int MaxDocumentsPerFile { get; init; } = 10_000;

    /// <summary>Findings listed per rule and target; the rest are folded into one summary finding that counts them (default 100).</summary>
    public int MaxFindingsPerRule { get; init; } = 100;

    /// <summary>Largest image manifest or index (default 4 MiB, the registry's own limit).</summary>
    public long MaxManifestBytes { get; init; } = 4L << 20;

    /// <summary>Largest image config (default 16 MiB).</summary>
    public long MaxConfigBytes { get; init; } = 16L << 20;

    /// <summary>Deepest chain of nested indexes followed (default 4).</summary>
    public int MaxIndexDepth { get; init; } = 4;

    /// <summary>Most layers in one image (default 1000).</summary>
    public int MaxLayers { get; init; } = 1000;

    /// <summary>Most uncompressed bytes one layer may expand to (default 16 GiB).</summary>
    public long MaxLayerUncompressedBytes { get; init; } = 16L << 30;

    /// <summary>Most uncompressed bytes all layers together may expand to (default 64 GiB).</summary>
    public long MaxImageUncompressedBytes { get; init; } = 64L << 30;

    /// <summary>Largest uncompressed/compressed ratio of a layer once past <see cref="CompressionRatioGraceBytes"/> (default 1000).</summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Uncompressed bytes read before the ratio is checked, so tiny layers of zeros are not flagged (default 64 MiB).</summary>
    public long CompressionRatioGraceBytes { get; init; } = 64L << 20;

    /// <summary>Most tar entries in one layer or archive (default 2 million).</summary>
    public int MaxEntriesPerLayer { get; init; } = 2_000_000;

    /// <summary>Longest tar entry path or link target, in UTF-8 bytes (default 4096, PATH_MAX).</summary>
    public int MaxPathBytes { get; init; } = 4096;

    /// <summary>Largest tar PAX extended header or GNU long-name record (default 1 MiB).</summary>
    public int MaxExtendedHeaderBytes { get; init; } = 1 << 20;

    /// <summary>Largest file held in memory when several readers want its content (default 8 MiB; larger files spill to a private temp file).</summary>
    public int MaxBufferedFileBytes { get; init; } = 8 << 20;

    /// <summary>Most files and directories read from one Dockerfile's build context (default 1,000,000).</summary>
    public int MaxContextEntries { get; init; } = 1_000_000;

    /// <summary>Most bytes of the files a build copies from its context read for the secret rules (default 1 GiB).</summary>
    public long MaxContextBytes { get; init; } = 1L << 30;

    public static Limits Default { get; } = new();

    /// <summary>
    /// The refusal of input past a limit: names where (file, line), what was exceeded and the key that raises it, e.g.
    /// <c>pod.yaml:3: more than 1000000 nodes in one document (limit document-nodes; raise it with --limits document-nodes=N).</c>
    /// </summary>
    public static StrataException Exceeded(string where, string what, string key) =>
        StrataException.BadInput($"{where}: {what} (limit {key}; raise it with --limits {key}=N).");

    /// <summary>A count as the messages write it: 1000000, invariant.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
