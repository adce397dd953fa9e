namespace Strata.Images.Hardening;

using Strata.Oci.Layers;

/// <summary>
/// One path of the merged image (or of a root filesystem) with the layer that last wrote it.
/// Layer fields are null for root filesystems, which have no layers.
/// </summary>
/// <param name="Key">The normalised relative path, e.g. <c>etc/passwd</c>.</param>
public sealed record ImageFile(string Key, LayerEntry Entry, int? LayerIndex, string? LayerDigest, string? CreatedBy)
{
    /// <summary>The absolute path as findings show it, e.g. <c>/etc/passwd</c>.</summary>
    public string Path => "/" + Key;

    public string Name => EntryPaths.Name(Key);

    public EntryType Type => Entry.Type;

    public bool IsDirectory => Entry.Type == EntryType.Directory;

    /// <summary>Something that can be run by name: a file, a link to one, or a hard link.</summary>
    public bool IsExecutableCandidate => Entry.Type is EntryType.File or EntryType.Symlink or EntryType.HardLink;
}

/// <summary>File content a later layer overwrote or deleted: shipped in the image, never visible in a container.</summary>
/// <param name="LayerIndex">The layer that holds the hidden bytes.</param>
/// <param name="HiddenInLayer">The later layer that overwrote or deleted them.</param>
public sealed record WastedFile(string Key, long Bytes, int LayerIndex, string? LayerDigest, string? CreatedBy, int HiddenInLayer, bool Deleted)
{
    public string Path => "/" + Key;
}
