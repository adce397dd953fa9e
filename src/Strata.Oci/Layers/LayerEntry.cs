namespace Strata.Oci.Layers;

using System.Globalization;

/// <summary>What a layer entry is. Whiteouts are kept as entries: they are how a layer deletes.</summary>
public enum EntryType
{
    File,
    Directory,
    Symlink,
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,

    /// <summary><c>DIR/.wh.NAME</c>: deletes <see cref="LayerEntry.Path"/> (DIR/NAME) from lower layers.</summary>
    Whiteout,

    /// <summary><c>DIR/.wh..wh..opq</c>: hides everything lower layers put in <see cref="LayerEntry.Path"/> (DIR).</summary>
    OpaqueWhiteout,
}

/// <summary>One entry of a layer's tar, with its path normalised (relative, no <c>.</c>/<c>..</c>/empty components).</summary>
public sealed class LayerEntry
{
    /// <summary>Normalised path, e.g. <c>etc/passwd</c>; for whiteouts, the path deleted; for opaque whiteouts, the directory.</summary>
    public required string Path { get; init; }

    public required EntryType Type { get; init; }

    /// <summary>The name as stored in the tar, for messages.</summary>
    public required string RawName { get; init; }

    /// <summary>Symlink: the target as stored (not resolved). Hard link: the normalised path of the file linked to.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>Permission and special bits (07777: setuid 04000, setgid 02000, sticky 01000).</summary>
    public int Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    public string? UserName { get; init; }

    public string? GroupName { get; init; }

    /// <summary>Content size of regular files; 0 otherwise.</summary>
    public long Size { get; init; }

    public DateTimeOffset ModifiedTime { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public IReadOnlyDictionary<string, string>? Xattrs { get; init; }

    public bool IsSetuid => (Mode & 0x800) != 0;

    public bool IsSetgid => (Mode & 0x400) != 0;

    /// <summary>e.g. <c>-rwsr-xr-x</c>.</summary>
    public string ModeString => FormatMode(Type, Mode);

    public static string FormatMode(EntryType type, int mode)
    {
        Span<char> text = stackalloc char[10];
        text[0] = type switch
        {
            EntryType.Directory => 'd',
            EntryType.Symlink => 'l',
            EntryType.CharDevice => 'c',
            EntryType.BlockDevice => 'b',
            EntryType.Fifo => 'p',
            EntryType.HardLink => 'h',
            _ => '-',
        };
        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            text[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx[i] : '-';
        }

        if ((mode & 0x800) != 0)
        {
            text[3] = text[3] == 'x' ? 's' : 'S';
        }

        if ((mode & 0x400) != 0)
        {
            text[6] = text[6] == 'x' ? 's' : 'S';
        }

        if ((mode & 0x200) != 0)
        {
            text[9] = text[9] == 'x' ? 't' : 'T';
        }

        return new string(text);
    }

    /// <summary>The same entry at another path (where it lands once symlinked parents are resolved); a hard link to a symlink becomes that symlink.</summary>
    internal LayerEntry Relocated(string path, string? linkTarget, EntryType? type = null) => new()
    {
        Path = path,
        Type = type ?? Type,
        RawName = RawName,
        LinkTarget = linkTarget,
        Mode = Mode,
        Uid = Uid,
        Gid = Gid,
        UserName = UserName,
        GroupName = GroupName,
        Size = Size,
        ModifiedTime = ModifiedTime,
        DeviceMajor = DeviceMajor,
        DeviceMinor = DeviceMinor,
        Xattrs = Xattrs,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ModeString} {Uid}/{Gid} {Size} {Path}{(LinkTarget is null ? string.Empty : " -> " + LinkTarget)}");
}
