namespace Strata.Oci.Extraction;

using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>How to extract.</summary>
public sealed record ExtractOptions
{
    /// <summary>Set files' uid/gid from the image (default: only when running as root; rootless extraction keeps the caller's).</summary>
    public bool PreserveOwnership { get; init; } = Environment.IsPrivilegedProcess;

    public static ExtractOptions Default { get; } = new();
}

/// <summary>What an extraction wrote and what it left out (device nodes, FIFOs).</summary>
public sealed record ExtractionReport(long Files, long Directories, long Symlinks, long HardLinks, long BytesWritten, IReadOnlyList<string> Skipped);

/// <summary>
/// Writes an image's merged root filesystem into a directory, layer by layer in order, applying whiteouts and
/// opaque directories. Safe against hostile layers: every path is normalised (no <c>..</c> above the root); a
/// symlinked parent (<c>bin -> usr/bin</c>) is resolved inside the root with <see cref="ScopedPath"/> (as umoci
/// does), so <c>..</c> and absolute targets are clamped to the root and never followed out of it; the resolved
/// parents are then checked with lstat to be real directories; files are created with O_EXCL|O_NOFOLLOW (what was
/// there is removed, without following it, only when creating finds it), hard links must name a regular file or
/// symlink already extracted, and device nodes are never created. Output is staged in <c>DIR/.strata-tmp-*</c> and
/// moved into place only after every layer was read and verified, so a failure leaves DIR as it was (empty). Layers
/// are read (inflated, hashed) on one task while their entries are written on another, in order; nothing is fsynced
/// (like umoci and tar: the page cache is the caller's to flush).
/// </summary>
public static class ImageExtractor
{
    private const int DirectoryWorkMode = 0x1C0; // 0700: the owner must be able to write while extracting.

    public static async Task<ExtractionReport> ExtractAsync(ResolvedImage image, string targetDirectory, ExtractOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(targetDirectory);
        if (OperatingSystem.IsWindows())
        {
            throw StrataException.Usage("extracting an image needs a Unix system.");
        }

        options ??= ExtractOptions.Default;
        var target = Path.GetFullPath(targetDirectory);
        if (File.Exists(target))
        {
            throw StrataException.Usage($"{targetDirectory}: exists and is not a directory.");
        }

        Directory.CreateDirectory(target);
        if (Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw StrataException.Usage($"{targetDirectory}: directory is not empty; extract into a new or empty directory.");
        }

        var staging = Path.Combine(target, ".strata-tmp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var writer = new TreeWriter(staging, options);
            await ReadAndWriteAsync(image, writer, cancellationToken);
            writer.Finish();
            foreach (var entry in Directory.EnumerateFileSystemEntries(staging))
            {
                var destination = Path.Combine(target, Path.GetFileName(entry));
                if (NativeMethods.Rename(entry, destination) != 0)
                {
                    throw new StrataException($"{targetDirectory}: cannot move {Path.GetFileName(entry)} into place: {NativeMethods.LastError()}");
                }
            }

            Directory.Delete(staging);
            return writer.Report();
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// Reads the layers in order on one task and writes their entries on another, through a bounded pipe: inflating and
    /// hashing run beside the file system calls. The first real error wins; the other side is cancelled.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task ReadAndWriteAsync(ResolvedImage image, TreeWriter writer, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pipe = new LayerPipe();
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    var budget = new UncompressedBudget(image.Options.Limits.MaxImageUncompressedBytes);
                    foreach (var layer in image.Layers)
                    {
                        await pipe.BeginLayerAsync(layer, stop.Token);
                        await LayerReader.ReadAsync(image.Source, layer, image.Options.Limits, budget, pipe.PostAsync, stop.Token);
                    }

                    pipe.Complete();
                }
                catch (Exception error)
                {
                    pipe.Complete(error);
                    await stop.CancelAsync();
                    throw;
                }
            },
            CancellationToken.None);
        var writing = Task.Run(
            async () =>
            {
                try
                {
                    await pipe.DrainAsync(writer.BeginLayer, writer.WriteAsync, stop.Token);
                }
                catch
                {
                    await stop.CancelAsync();
                    throw;
                }
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(reading, writing);
        }
        catch
        {
            // The side that failed first has the real error; the other one only saw the cancellation (or the pipe closed).
            foreach (var task in new[] { reading, writing })
            {
                if (task.Exception?.InnerException is { } error and not OperationCanceledException and not ChannelClosedException)
                {
                    ExceptionDispatchInfo.Throw(error);
                }
            }

            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [UnsupportedOSPlatform("windows")]
    private sealed class TreeWriter
    {
        private readonly string root;
        private readonly ExtractOptions options;
        private readonly HashSet<string> verifiedDirectories;
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> verifiedLookup;
        private readonly SymlinkTargetLookup symlinkTarget;
        private readonly Dictionary<string, LayerEntry> directoryMetadata = new(StringComparer.Ordinal);

        /// <summary>Paths the current layer wrote (and their parents): its whiteouts never delete them.</summary>
        private readonly HashSet<string> upperPaths = new(StringComparer.Ordinal);
        private readonly LowerLayerPaths lower;
        private readonly List<string> skipped = [];
        private ImageLayer? layer;
        private long files;
        private long directories;
        private long symlinks;
        private long hardLinks;
        private long bytes;

        public TreeWriter(string root, ExtractOptions options)
        {
            this.root = root;
            this.options = options;
            verifiedDirectories = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
            verifiedLookup = verifiedDirectories.GetAlternateLookup<ReadOnlySpan<char>>();
            symlinkTarget = SymlinkTarget;
            lower = new LowerLayerPaths(symlinkTarget, upperPaths);
        }

        public void BeginLayer(ImageLayer next)
        {
            layer = next;
            upperPaths.Clear();
        }

        public ExtractionReport Report() => new(files, directories, symlinks, hardLinks, bytes, skipped);

        public async ValueTask WriteAsync(LayerEntry entry, LayerPipe.FileContent? content, CancellationToken cancellationToken)
        {
            var what = $"{layer!.Describe()}: entry '{Redaction.Quote(entry.RawName, 200)}'";

            // Symlinked parents (bin -> usr/bin) are followed inside the root, as umoci and a container build do.
            // A whiteout removes what lower layers left, never what this layer wrote before it (so the symlinks this
            // layer wrote are not followed: they replaced whatever lower layers had there); an opaque marker applies
            // to the directory its path resolves to.
            switch (entry.Type)
            {
                case EntryType.Whiteout:
                    var deleted = lower.Resolve(entry.Path, followLast: false, what);
                    if (deleted is null)
                    {
                        return;
                    }

                    if (!upperPaths.Contains(deleted))
                    {
                        if (CheckParents(deleted, what, create: false))
                        {
                            Remove(deleted);
                        }
                    }
                    else if (Kind(deleted) == NodeKind.Directory)
                    {
                        ClearLower(deleted);
                    }

                    return;
                case EntryType.OpaqueWhiteout:
                    var opaque = lower.Resolve(entry.Path, followLast: true, what);
                    if (opaque is not null && CheckParents(opaque, what, create: false) && Kind(opaque) == NodeKind.Directory)
                    {
                        ClearLower(opaque);
                    }

                    return;
            }

            var path = ScopedPath.ResolveParent(entry.Path, symlinkTarget, what);
            switch (entry.Type)
            {
                case EntryType.CharDevice or EntryType.BlockDevice or EntryType.Fifo:
                    skipped.Add($"{layer.Describe()}: {path}: {entry.Type} {entry.DeviceMajor}:{entry.DeviceMinor} not created");
                    return;
            }

            CheckParents(path, what, create: true, entry.ModifiedTime);
            MarkUpper(path);
            var full = Full(path);

            // Files, directories and symlinks are created first and the path looked at only when something is
            // already there (a later layer replacing it): most paths are new, and creating never follows or reuses
            // what is at the final component (O_EXCL, mkdir, symlink fail with EEXIST on a symlink too).
            switch (entry.Type)
            {
                case EntryType.Directory:
                    if (NativeMethods.MakeDirectory(full, DirectoryWorkMode) == 0)
                    {
                        directories++;
                    }
                    else if (Marshal.GetLastPInvokeError() != NativeMethods.Exists)
                    {
                        throw new StrataException($"{what}: cannot create directory: {NativeMethods.LastError()}");
                    }
                    else if (Kind(path) != NodeKind.Directory)
                    {
                        Remove(path);
                        Directory.CreateDirectory(full, (UnixFileMode)DirectoryWorkMode);
                        directories++;
                    }

                    verifiedDirectories.Add(path);
                    directoryMetadata[path] = entry;
                    return;
                case EntryType.File:
                    await WriteFileAsync(path, full, entry, content!, what, cancellationToken);
                    files++;
                    return;
                case EntryType.Symlink:
                    if (NativeMethods.Symlink(entry.LinkTarget!, full) != 0)
                    {
                        if (Marshal.GetLastPInvokeError() != NativeMethods.Exists)
                        {
                            throw new StrataException($"{what}: cannot create symlink: {NativeMethods.LastError()}");
                        }

                        Remove(path);
                        File.CreateSymbolicLink(full, entry.LinkTarget!);
                    }

                    symlinks++;
                    SetOwner(full, entry);
                    return;
            }

            if (Kind(path) != NodeKind.Missing)
            {
                Remove(path);
            }

            // A hard link: link(2) does not follow a final symlink: the target's parents are resolved, its name is not.
            var target = ScopedPath.ResolveParent(entry.LinkTarget!, symlinkTarget, $"{what}: hard link target '{Redaction.Quote(entry.LinkTarget!, 200)}'");
            CheckParents(target, $"{what}: hard link target '{Redaction.Quote(entry.LinkTarget!, 200)}'", create: false);
            var targetKind = Kind(target);
            if (targetKind is not (NodeKind.File or NodeKind.Symlink))
            {
                throw StrataException.BadInput($"{what}: hard link target '{Redaction.Quote(entry.LinkTarget!, 200)}' {(targetKind == NodeKind.Missing ? "does not exist" : "is not a file")} in the image.");
            }

            if (NativeMethods.Link(Full(target), full) != 0)
            {
                throw StrataException.BadInput($"{what}: cannot hard link to '{Redaction.Quote(entry.LinkTarget!, 200)}': {NativeMethods.LastError()}");
            }

            hardLinks++;
        }

        /// <summary>The target of the symlink at a resolved path inside the root (lstat + readlink), or null; known real directories skip the lstat.</summary>
        private string? SymlinkTarget(ReadOnlySpan<char> path)
        {
            if (verifiedLookup.Contains(path))
            {
                return null;
            }

            return new FileInfo(Full(path.ToString())).LinkTarget;
        }

        /// <summary>Applies directory modes and times last, deepest first, so read-only directories do not block writes.</summary>
        public void Finish()
        {
            var paths = new List<string>(directoryMetadata.Keys);
            paths.Sort(static (a, b) => b.Length.CompareTo(a.Length));
            foreach (var path in paths)
            {
                if (Kind(path) != NodeKind.Directory)
                {
                    continue;
                }

                var entry = directoryMetadata[path];
                var full = Full(path);
                SetOwner(full, entry);
                File.SetUnixFileMode(full, (UnixFileMode)entry.Mode);
                Directory.SetLastWriteTimeUtc(full, entry.ModifiedTime.UtcDateTime);
            }
        }

        /// <summary>
        /// One descriptor for the file's whole life: create (O_EXCL, never through a symlink), write, owner, mode, time,
        /// close. Writes are synchronous: the page cache takes them at once, and FileStream's WriteAsync would cost a
        /// thread-pool hop per file.
        /// </summary>
        private async ValueTask WriteFileAsync(string path, string full, LayerEntry entry, LayerPipe.FileContent content, string what, CancellationToken cancellationToken)
        {
            var fd = NativeMethods.CreateNew(full);
            if (fd < 0 && Marshal.GetLastPInvokeError() == NativeMethods.Exists)
            {
                Remove(path);
                fd = NativeMethods.CreateNew(full);
            }

            if (fd < 0)
            {
                throw new StrataException($"{what}: cannot create file: {NativeMethods.LastError()}");
            }

            try
            {
                ReadOnlyMemory<byte> chunk;
                while (!(chunk = await content.NextAsync(cancellationToken)).IsEmpty)
                {
                    if (!NativeMethods.WriteAll(fd, chunk.Span))
                    {
                        throw new StrataException($"{what}: cannot write: {NativeMethods.LastError()}");
                    }

                    bytes += chunk.Length;
                }

                // chown clears setuid/setgid, so ownership goes first.
                if (options.PreserveOwnership && entry.Uid is >= 0 and <= int.MaxValue && entry.Gid is >= 0 and <= int.MaxValue
                    && NativeMethods.FChown(fd, (int)entry.Uid, (int)entry.Gid) != 0)
                {
                    throw new StrataException($"{full}: cannot set owner {entry.Uid}:{entry.Gid}: {NativeMethods.LastError()}");
                }

                if (NativeMethods.FChmod(fd, entry.Mode) != 0 || NativeMethods.SetModifiedTime(fd, entry.ModifiedTime) != 0)
                {
                    throw new StrataException($"{what}: cannot set mode or time: {NativeMethods.LastError()}");
                }
            }
            finally
            {
                NativeMethods.Close(fd);
            }
        }

        private void SetOwner(string full, LayerEntry entry)
        {
            if (options.PreserveOwnership && entry.Uid is >= 0 and <= int.MaxValue && entry.Gid is >= 0 and <= int.MaxValue
                && NativeMethods.LChown(full, (int)entry.Uid, (int)entry.Gid) != 0)
            {
                throw new StrataException($"{full}: cannot set owner {entry.Uid}:{entry.Gid}: {NativeMethods.LastError()}");
            }
        }

        /// <summary>
        /// Checks that every parent of <paramref name="path"/> is a real directory inside the root, never a symlink.
        /// With <paramref name="create"/>, missing parents are made (0755, with the time of the entry that needs them, as no
        /// entry gives theirs); without, a missing parent or one that is a file returns false.
        /// </summary>
        private bool CheckParents(string path, string what, bool create, DateTimeOffset created = default)
        {
            var parent = EntryPaths.Parent(path);
            if (parent is null || verifiedDirectories.Contains(parent))
            {
                return true;
            }

            var end = 0;
            while (end < parent.Length)
            {
                var slash = parent.IndexOf('/', end);
                end = slash < 0 ? parent.Length : slash;
                var prefix = parent[..end];
                end++;
                if (verifiedDirectories.Contains(prefix))
                {
                    continue;
                }

                switch (Kind(prefix))
                {
                    case NodeKind.Directory:
                        break;
                    case NodeKind.Missing when create:
                        Directory.CreateDirectory(Full(prefix), (UnixFileMode)DirectoryWorkMode);
                        directoryMetadata.TryAdd(prefix, new LayerEntry { Path = prefix, Type = EntryType.Directory, RawName = prefix, Mode = 0x1ED, ModifiedTime = created });
                        MarkUpper(prefix);
                        directories++;
                        break;
                    case NodeKind.Missing:
                        return false;
                    case NodeKind.Symlink:
                        throw StrataException.BadInput($"{what}: parent '{Redaction.Quote(prefix, 200)}' is a symlink; refusing to write through it.");
                    case NodeKind.File when !create:
                        // Nothing can be below a file: a whiteout there deletes nothing (as when the parent is missing).
                        return false;
                    default:
                        throw StrataException.BadInput($"{what}: parent '{Redaction.Quote(prefix, 200)}' is not a directory.");
                }

                verifiedDirectories.Add(prefix);
            }

            return true;
        }

        private void MarkUpper(string path)
        {
            for (var p = path; !string.IsNullOrEmpty(p) && upperPaths.Add(p); p = EntryPaths.Parent(p))
            {
            }
        }

        /// <summary>Removes what lower layers put under an opaque directory, keeping this layer's own entries.</summary>
        private void ClearLower(string directory)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(Full(directory)))
            {
                var relative = EntryPaths.Join(directory, Path.GetFileName(child));
                if (!upperPaths.Contains(relative))
                {
                    Remove(relative);
                }
                else if (Kind(relative) == NodeKind.Directory)
                {
                    ClearLower(relative);
                }
            }
        }

        /// <summary>Removes a path without following symlinks (Directory.Delete unlinks symlinks it meets, never recurses through them).</summary>
        private void Remove(string path)
        {
            var full = Full(path);
            switch (Kind(path))
            {
                case NodeKind.Directory:
                    Directory.Delete(full, recursive: true);
                    ForgetDirectories(path);
                    break;
                case NodeKind.Missing:
                    break;
                default:
                    File.Delete(full);
                    break;
            }
        }

        private void ForgetDirectories(string path)
        {
            verifiedDirectories.RemoveWhere(p => EntryPaths.IsWithin(p, path) && p.Length > 0);
            var stale = new List<string>();
            foreach (var key in directoryMetadata.Keys)
            {
                if (EntryPaths.IsWithin(key, path))
                {
                    stale.Add(key);
                }
            }

            foreach (var key in stale)
            {
                directoryMetadata.Remove(key);
            }
        }

        private string Full(string path) => path.Length == 0 ? root : Path.Combine(root, path);

        /// <summary>lstat: what is at a path, not following a final symlink.</summary>
        private NodeKind Kind(string path) => FileNodes.Stat(Full(path), followLinks: false)?.Type switch
        {
            null => NodeKind.Missing,
            FileNodeType.Directory => NodeKind.Directory,
            FileNodeType.Symlink => NodeKind.Symlink,
            _ => NodeKind.File,
        };
    }

    private enum NodeKind
    {
        Missing,
        File,
        Directory,
        Symlink,
    }
}
