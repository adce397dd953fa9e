namespace Strata.Core.Findings;

/// <summary>
/// Where a finding is. Only the parts that apply are set: a file inside an image (path, layer,
/// history entry), a manifest (file, JSON path, line), or a kernel object (syscall, capability, sysctl).
/// </summary>
public sealed record Location
{
    /// <summary>A file on disk: a Dockerfile, a manifest, a profile, or a host file such as /proc/sys/….</summary>
    public string? File { get; init; }

    /// <summary>A path inside an image or root filesystem.</summary>
    public string? Path { get; init; }

    /// <summary>The digest of the image layer that holds <see cref="Path"/> (JSON: <c>imageLayerDigest</c>).</summary>
    public string? LayerDigest { get; init; }

    /// <summary>Zero-based index of that image layer (JSON: <c>imageLayerIndex</c>).</summary>
    public int? LayerIndex { get; init; }

    /// <summary>The image history entry (created_by) behind the layer.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>JSON path into a JSON or YAML document, e.g. <c>$.spec.containers[0].securityContext</c>.</summary>
    public string? JsonPath { get; init; }

    /// <summary>One-based line, where known.</summary>
    public int? Line { get; init; }

    /// <summary>One-based column, where known.</summary>
    public int? Column { get; init; }

    /// <summary>A kernel object: a syscall, a capability, a sysctl, a namespace.</summary>
    public string? Subject { get; init; }

    /// <summary>A short human-readable form, e.g. <c>Containerfile:12</c> or <c>/etc/shadow (image layer 2)</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (File is not null)
        {
            parts.Add(Line is int line ? $"{File}:{line}" : File);
        }

        if (Path is not null)
        {
            parts.Add(LayerIndex is int index ? $"{Path} (image layer {index})" : Path);
        }

        if (JsonPath is not null)
        {
            parts.Add(JsonPath);
        }

        if (Subject is not null)
        {
            parts.Add(Subject);
        }

        return string.Join(" ", parts);
    }
}
