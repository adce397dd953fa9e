namespace Strata.Images.Hardening;

using System.Text;
using Strata.Core;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;

/// <summary>A path of a root filesystem the walk could not look into or read, and why (the system's reason).</summary>
/// <param name="Path">Relative to the root, as entries are.</param>
public sealed record RootFsSkip(string Path, string Reason);

/// <summary>What a walk over a root filesystem saw, and what it had to skip.</summary>
internal sealed record RootFsWalk(List<LayerEntry> Entries, IReadOnlyList<RootFsSkip> Skipped);

/// <summary>
/// Hands a directory tree to layer visitors as if it were one layer: entries with paths relative to the root,
/// metadata from statx, and content opened only for the files a visitor wants. The walk goes through directory
/// handles (<see cref="DirectoryHandle"/>), so a tree deeper than PATH_MAX is read whole, and a symbolic link is an
/// entry, never followed: the walk cannot leave the root. Whatever cannot be listed or read is skipped and reported.
/// </summary>
internal static class RootFsWalker
{
    /// <summary>
    /// Directory handles kept open for directories whose subdirectories are still to be walked; beyond this many, the
    /// shallowest are closed and opened again by name when their turn comes (a wide and deep tree needs no more).
    /// </summary>
    private const int MaxOpenDirectories = 64;

    public static async Task<RootFsWalk> WalkAsync(string rootDirectory, IReadOnlyList<ILayerEntryVisitor> visitors, int maxEntries, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw StrataException.Usage($"{rootDirectory}: scanning a root filesystem needs Linux.");
        }

        DirectoryHandle root;
        try
        {
            root = DirectoryHandle.Open(Path.GetFullPath(rootDirectory));
        }
        catch (IOException e) when (e.HResult is 20 or 40)
        {
            // ENOTDIR, or ELOOP: the root itself is a symbolic link, which is not followed.
            throw StrataException.BadInput($"{rootDirectory}: not a directory.");
        }
        catch (IOException e)
        {
            throw StrataException.BadInput($"{rootDirectory}: cannot read: {e.Message}.");
        }

        var walk = new Walk(rootDirectory, visitors, maxEntries);
        var open = new OpenHandles();
        var frames = new List<Frame> { new(string.Empty, [], root.Status, open) { Handle = root } };
        try
        {
            await walk.ListAsync(frames[0], cancellationToken);
            while (frames.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var top = frames[^1];
                if (top.Next >= top.Subdirectories.Count)
                {
                    top.Close();
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }

                var (name, key, status) = top.Subdirectories[top.Next++];
                var parent = Reopen(frames, walk);
                if (parent is null)
                {
                    // Already reported: the directory could not be opened again.
                    top.Next = top.Subdirectories.Count;
                    continue;
                }

                var child = parent.OpenDirectory(name, out var errno);
                if (child is null || !child.Status.IsSameNode(status))
                {
                    child?.Dispose();
                    walk.Skip(key, child is null ? $"cannot open the directory: {Reason(errno)}; its contents were not scanned" : "was replaced while it was scanned; its contents were not scanned");
                    continue;
                }

                if (top.Next >= top.Subdirectories.Count && frames.Count > 1)
                {
                    // Its last subdirectory is being entered: this handle is not needed again.
                    top.Close();
                }

                var frame = new Frame(key, name, status, open) { Handle = child };
                frames.Add(frame);
                LimitOpenHandles(frames, open);
                await walk.ListAsync(frame, cancellationToken);
            }

            foreach (var visitor in visitors)
            {
                await visitor.EndLayerAsync(cancellationToken);
            }

            return new RootFsWalk(walk.Entries, walk.Skipped);
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Close();
            }
        }
    }

    /// <summary>The handle of the top frame, opened again by name from its nearest open ancestor when it was closed.</summary>
    private static DirectoryHandle? Reopen(List<Frame> frames, Walk walk)
    {
        var top = frames.Count - 1;
        if (frames[top].Handle is { } open)
        {
            return open;
        }

        var from = top - 1;
        while (frames[from].Handle is null)
        {
            from--;
        }

        var current = frames[from].Handle!;
        for (var i = from + 1; i <= top; i++)
        {
            var next = current.OpenDirectory(frames[i].Name, out var errno);
            if (i - 1 > from)
            {
                current.Dispose();
            }

            if (next is null || !next.Status.IsSameNode(frames[i].Status))
            {
                next?.Dispose();
                walk.Skip(frames[top].Key, next is null ? $"cannot open the directory again: {Reason(errno)}; some of its contents were not scanned" : "was moved while it was scanned; some of its contents were not scanned");
                return null;
            }

            current = next;
        }

        frames[top].Handle = current;
        return current;
    }

    /// <summary>
    /// Past <see cref="MaxOpenDirectories"/> handles, closes all but the root's and the current directory's: each handle
    /// is closed once for every time it was opened, so the cost stays in proportion to the walk.
    /// </summary>
    private static void LimitOpenHandles(List<Frame> frames, OpenHandles open)
    {
        if (open.Count <= MaxOpenDirectories)
        {
            return;
        }

        for (var i = 1; i < frames.Count - 1; i++)
        {
            frames[i].Close();
        }
    }

    private static string Reason(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);

    private static LayerEntry? ToEntry(string key, FileStatus status, string? linkTarget)
    {
        EntryType? type = status.Type switch
        {
            FileNodeType.Regular => EntryType.File,
            FileNodeType.Directory => EntryType.Directory,
            FileNodeType.Symlink => EntryType.Symlink,
            FileNodeType.CharDevice => EntryType.CharDevice,
            FileNodeType.BlockDevice => EntryType.BlockDevice,
            FileNodeType.Fifo => EntryType.Fifo,
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
            LinkTarget = linkTarget,
            Mode = status.Mode,
            Uid = status.Uid,
            Gid = status.Gid,
            Size = entryType == EntryType.File ? status.Size : 0,
            ModifiedTime = DateTimeOffset.FromUnixTimeSeconds(status.ModifiedSeconds),
            DeviceMajor = status.DeviceMajor,
            DeviceMinor = status.DeviceMinor,
        };
    }

    /// <summary>A directory on the way down: its name, what it was when examined, and its subdirectories still to walk.</summary>
    private sealed class Frame(string key, byte[] name, FileStatus status, OpenHandles open)
    {
        private DirectoryHandle? handle;

        public string Key { get; } = key;

        public byte[] Name { get; } = name;

        public FileStatus Status { get; } = status;

        public DirectoryHandle? Handle
        {
            get => handle;
            set
            {
                Close();
                handle = value;
                open.Count += value is null ? 0 : 1;
            }
        }

        public List<(byte[] Name, string Key, FileStatus Status)> Subdirectories { get; } = [];

        public int Next { get; set; }

        public void Close()
        {
            if (handle is not null)
            {
                handle.Dispose();
                handle = null;
                open.Count--;
            }
        }
    }

    /// <summary>How many directory handles the walk holds.</summary>
    private sealed class OpenHandles
    {
        public int Count { get; set; }
    }

    /// <summary>The entries seen and the paths skipped so far.</summary>
    private sealed class Walk(string rootDirectory, IReadOnlyList<ILayerEntryVisitor> visitors, int maxEntries)
    {
        public List<LayerEntry> Entries { get; } = [];

        public List<RootFsSkip> Skipped { get; } = [];

        public void Skip(string key, string reason) => Skipped.Add(new RootFsSkip(key, reason));

        /// <summary>Lists a directory (by name, in ordinal order), hands each entry to the visitors, and notes its subdirectories.</summary>
        public async Task ListAsync(Frame frame, CancellationToken cancellationToken)
        {
            var directory = frame.Handle!;
            List<(string Text, byte[] Raw)> names;
            try
            {
                names = [.. directory.ReadNames().Select(n => (Encoding.UTF8.GetString(n), n))];
            }
            catch (IOException e)
            {
                // An unreadable directory hides only its own contents; the rest of the tree is still worth checking.
                Skip(frame.Key, $"cannot list the directory: {e.Message}; its contents were not scanned");
                return;
            }

            names.Sort((a, b) => string.CompareOrdinal(a.Text, b.Text));
            foreach (var (text, raw) in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = EntryPaths.Join(frame.Key, text);
                if (!directory.TryStat(raw, out var status, out var errno))
                {
                    Skip(key, $"cannot examine it: {Reason(errno)}");
                    continue;
                }

                if (ToEntry(key, status, status.Type == FileNodeType.Symlink ? directory.ReadLink(raw) : null) is not { } entry)
                {
                    continue;
                }

                Entries.Add(entry);
                if (Entries.Count > maxEntries)
                {
                    throw StrataException.BadInput($"{rootDirectory}: more than {maxEntries} entries.");
                }

                await DispatchAsync(directory, raw, status, entry, cancellationToken);
                if (entry.Type == EntryType.Directory)
                {
                    frame.Subdirectories.Add((raw, key, status));
                }
            }
        }

        private async Task DispatchAsync(DirectoryHandle directory, byte[] name, FileStatus status, LayerEntry entry, CancellationToken cancellationToken)
        {
            var unreadable = false;
            foreach (var visitor in visitors)
            {
                if (entry.Type != EntryType.File || unreadable || !visitor.WantsContent(entry))
                {
                    await visitor.VisitAsync(entry, null, cancellationToken);
                    continue;
                }

                var content = directory.OpenFile(name, status, out var errno);
                if (content is null)
                {
                    // The visitors still see the entry, without content; the report says what was not read.
                    unreadable = true;
                    Skip(entry.Path, errno == DirectoryHandle.Stale ? "was replaced while it was scanned; its content was not read" : $"cannot read it: {Reason(errno)}; its content was not scanned");
                }

                await using (content)
                {
                    await visitor.VisitAsync(entry, content, cancellationToken);
                }
            }
        }
    }
}
