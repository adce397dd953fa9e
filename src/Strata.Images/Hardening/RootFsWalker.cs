namespace Strata.Images.Hardening;

using Strata.Core;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;

/// <summary>
/// Hands a directory tree to layer visitors as if it were one layer: entries with paths relative to the root,
/// metadata from statx (links not followed, never left), and content opened only for the files a visitor wants.
/// </summary>
internal static class RootFsWalker
{
    private const int TypeMask = 0xF000;

    public static async Task<List<LayerEntry>> WalkAsync(string rootDirectory, IReadOnlyList<ILayerEntryVisitor> visitors, int maxEntries, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(rootDirectory);
        if (!OperatingSystem.IsLinux())
        {
            throw StrataException.Usage($"{rootDirectory}: scanning a root filesystem needs Linux.");
        }

        if (!NativeMethods.TryLstat(root, out var rootStatus, out var rootError))
        {
            throw StrataException.BadInput($"{rootDirectory}: cannot read: {rootError}");
        }

        if ((rootStatus.Mode & TypeMask) != 0x4000)
        {
            throw StrataException.BadInput($"{rootDirectory}: not a directory.");
        }

        var entries = new List<LayerEntry>();
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = pending.Pop();
            var directory = relative.Length == 0 ? root : Path.Combine(root, relative);
            string[] names;
            try
            {
                names = [.. Directory.EnumerateFileSystemEntries(directory).Select(p => Path.GetFileName(p))];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable directory hides only its own contents; the rest of the tree is still worth checking.
                continue;
            }

            Array.Sort(names, StringComparer.Ordinal);
            var subdirectories = new List<string>();
            foreach (var name in names)
            {
                var key = EntryPaths.Join(relative, name);
                var full = Path.Combine(directory, name);
                if (!NativeMethods.TryLstat(full, out var status, out _) || ToEntry(key, full, status) is not { } entry)
                {
                    continue;
                }

                entries.Add(entry);
                if (entries.Count > maxEntries)
                {
                    throw StrataException.BadInput($"{rootDirectory}: more than {maxEntries} entries.");
                }

                await DispatchAsync(entry, full, visitors, cancellationToken);
                if (entry.Type == EntryType.Directory)
                {
                    subdirectories.Add(key);
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        foreach (var visitor in visitors)
        {
            await visitor.EndLayerAsync(cancellationToken);
        }

        return entries;
    }

    private static LayerEntry? ToEntry(string key, string full, FileStatus status)
    {
        EntryType? type = (status.Mode & TypeMask) switch
        {
            0x8000 => EntryType.File,
            0x4000 => EntryType.Directory,
            0xA000 => EntryType.Symlink,
            0x2000 => EntryType.CharDevice,
            0x6000 => EntryType.BlockDevice,
            0x1000 => EntryType.Fifo,
            _ => null,
        };
        if (type is not { } entryType)
        {
            return null;
        }

        return new LayerEntry
        {
            Path = key,
            Type = entryType,
            RawName = key,
            LinkTarget = entryType == EntryType.Symlink ? new FileInfo(full).LinkTarget : null,
            Mode = status.Mode & 0xFFF,
            Uid = status.Uid,
            Gid = status.Gid,
            Size = entryType == EntryType.File ? status.Size : 0,
            ModifiedTime = DateTimeOffset.FromUnixTimeSeconds(status.ModifiedSeconds),
            DeviceMajor = status.DeviceMajor,
            DeviceMinor = status.DeviceMinor,
        };
    }

    private static async Task DispatchAsync(LayerEntry entry, string full, IReadOnlyList<ILayerEntryVisitor> visitors, CancellationToken cancellationToken)
    {
        foreach (var visitor in visitors)
        {
            if (entry.Type != EntryType.File || !visitor.WantsContent(entry))
            {
                await visitor.VisitAsync(entry, null, cancellationToken);
                continue;
            }

            FileStream? content = null;
            try
            {
                content = new FileStream(full, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.Asynchronous });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable content: the visitor still sees the entry.
            }

            await using (content)
            {
                await visitor.VisitAsync(entry, content, cancellationToken);
            }
        }
    }
}
