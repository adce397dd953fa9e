namespace Strata.Kernel.Containment;

using System.Globalization;
using System.Text;
using Strata.Core;

/// <summary>One line of /proc/PID/mountinfo (proc(5)): where a filesystem, or a directory of one, is mounted and how.</summary>
/// <param name="Root">The directory of the filesystem that is mounted here ("/" for the whole filesystem, a host path for a bind mount).</param>
/// <param name="Options">Per-mount options (<c>ro</c>/<c>rw</c>, nosuid…).</param>
/// <param name="FileSystem">The filesystem type (ext4, overlay, proc, tmpfs…).</param>
/// <param name="Source">The mount source (a device, <c>overlay</c>, <c>proc</c>…).</param>
/// <param name="SuperOptions">Per-superblock options (for overlay, its lowerdir/upperdir).</param>
public sealed record MountEntry(int Id, int ParentId, string Device, string Root, string MountPoint, string Options, string FileSystem, string Source, string SuperOptions)
{
    public bool ReadOnly => Options.Split(',').Contains("ro");
}

/// <summary>The mount table a process sees, parsed from /proc/PID/mountinfo, and the mount that serves a given path.</summary>
public sealed class MountTable
{
    /// <summary>A mountinfo file longer than this is not read whole: real ones hold hundreds of lines, not millions.</summary>
    public const int MaxLines = 100_000;

    public MountTable(IReadOnlyList<MountEntry> mounts) => Mounts = mounts;

    public IReadOnlyList<MountEntry> Mounts { get; }

    /// <summary>The mount of "/".</summary>
    public MountEntry? RootMount => At("/");

    /// <summary>Parses mountinfo text; <paramref name="source"/> names it in errors. Malformed lines are errors, not skipped.</summary>
    /// <exception cref="StrataException">A line does not have the mountinfo fields.</exception>
    public static MountTable Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var mounts = new List<MountEntry>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            if (number > MaxLines)
            {
                throw StrataException.BadInput($"{source}: more than {MaxLines} mounts.");
            }

            mounts.Add(ParseLine(line) ?? throw StrataException.BadInput($"{source}:{number}: not a mountinfo line (want 'ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS')."));
        }

        return new MountTable(mounts);
    }

    /// <summary>The mount that serves <paramref name="path"/>: the deepest mount point above it, the last mounted when several share one.</summary>
    public MountEntry? At(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        MountEntry? best = null;
        foreach (var mount in Mounts)
        {
            if (Covers(mount.MountPoint, path) && (best is null || mount.MountPoint.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }

        return best;
    }

    /// <summary>Whether a mount sits exactly at <paramref name="path"/> (a masked or bind-mounted file or directory).</summary>
    public MountEntry? ExactlyAt(string path) => Mounts.LastOrDefault(m => m.MountPoint == path);

    private static bool Covers(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || (path.StartsWith(mountPoint, StringComparison.Ordinal) && path[mountPoint.Length] == '/');

    private static MountEntry? ParseLine(string line)
    {
        var fields = line.Split(' ');
        var separator = fields.Length < 10 ? -1 : Array.IndexOf(fields, "-", 6);
        if (separator < 0 || fields.Length < separator + 4)
        {
            return null;
        }

        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || !fields[2].Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        return new MountEntry(id, parent, fields[2], Unescape(fields[3]), Unescape(fields[4]), fields[5], Unescape(fields[separator + 1]), Unescape(fields[separator + 2]), string.Join(' ', fields[(separator + 3)..]));
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as three octal digits (\040).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string field, int start) =>
        start + 2 < field.Length && field[start] is >= '0' and <= '3' && field[start + 1] is >= '0' and <= '7' && field[start + 2] is >= '0' and <= '7';
}
