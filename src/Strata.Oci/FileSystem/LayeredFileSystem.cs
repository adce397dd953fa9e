namespace Strata.Oci.FileSystem;

using Strata.Core.Findings;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;

/// <summary>How a layer changed a path.</summary>
public enum PathChange
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One version of a path: what a layer put there (or that it deleted it), and the build step that did.</summary>
/// <param name="Entry">The entry the layer wrote; for a deletion, the last entry before it.</param>
/// <param name="Implicit">A parent directory the layer did not list but needed for its entries.</param>
public sealed record PathVersion(int LayerIndex, PathChange Change, LayerEntry Entry, string? CreatedBy, bool Implicit = false);

/// <summary>Every version of one path across the layers, oldest first.</summary>
public sealed class PathHistory(string path)
{
    // Exactly sized: almost every path has one version, and an image can hold millions of paths.
    private PathVersion[] versions = [];

    public string Path => path;

    public IReadOnlyList<PathVersion> Versions => versions;

    /// <summary>Whether the path exists in the merged image.</summary>
    public bool Exists => versions.Length > 0 && versions[^1].Change != PathChange.Deleted;

    /// <summary>The entry in the merged image, or null when the path was deleted.</summary>
    public LayerEntry? Current => Exists ? versions[^1].Entry : null;

    /// <summary>The layer that last added the path (after a deletion it may come back).</summary>
    public int AddedIn
    {
        get
        {
            for (var i = versions.Length - 1; i >= 0; i--)
            {
                if (versions[i].Change == PathChange.Added)
                {
                    return versions[i].LayerIndex;
                }
            }

            return versions[0].LayerIndex;
        }
    }

    public IReadOnlyList<int> ModifiedIn => LayersWith(PathChange.Modified);

    public IReadOnlyList<int> DeletedIn => LayersWith(PathChange.Deleted);

    internal void Add(PathVersion version)
    {
        var grown = new PathVersion[versions.Length + 1];
        versions.CopyTo(grown, 0);
        grown[^1] = version;
        versions = grown;
    }

    internal void ReplaceLast(PathVersion version) => versions[^1] = version;

    private List<int> LayersWith(PathChange change)
    {
        var layers = new List<int>();
        foreach (var version in versions)
        {
            if (version.Change == change)
            {
                layers.Add(version.LayerIndex);
            }
        }

        return layers;
    }
}

/// <summary>What one layer did to the filesystem.</summary>
public sealed record LayerChanges(int LayerIndex, int Entries, int Added, int Modified, int Deleted, long ContentBytes, long WastedBytes);

/// <summary>
/// The image's filesystem across its layers, built from one pass over each layer's tar headers: the merged tree
/// (whiteouts, opaque directories, replacements applied) and, for every path ever present, each version with the
/// layer and build step that made it. Files deleted or overwritten later stay listed, so scanners can reach them.
/// </summary>
public sealed class LayeredFileSystem
{
    private readonly Dictionary<string, PathHistory> histories;

    private LayeredFileSystem(IReadOnlyList<ImageLayer> layers, Dictionary<string, PathHistory> histories, IReadOnlyList<LayerChanges> changes, long wastedBytes)
    {
        Layers = layers;
        this.histories = histories;
        LayerChanges = changes;
        WastedBytes = wastedBytes;
    }

    public IReadOnlyList<ImageLayer> Layers { get; }

    public IReadOnlyList<LayerChanges> LayerChanges { get; }

    /// <summary>Bytes of file content a later layer overwrote or deleted (still shipped in the image).</summary>
    public long WastedBytes { get; }

    public int PathCount => histories.Count;

    /// <summary>Reads every layer once and builds the filesystem.</summary>
    public static async Task<LayeredFileSystem> BuildAsync(ResolvedImage image, CancellationToken cancellationToken)
    {
        var builder = new Builder();
        await ImageWalker.WalkAsync(image, [builder], cancellationToken);
        return builder.Build(image.Layers);
    }

    /// <summary>The history recorded at exactly this path (no symlinks followed; see <see cref="Resolve"/>).</summary>
    public PathHistory? Find(string path) => histories.GetValueOrDefault(EntryPaths.Normalize(path, "path"));

    /// <summary>
    /// Where a path leads in the merged image, as a process in the container would see it: symlinked parents
    /// followed (<c>bin/sh</c> over <c>bin -> usr/bin</c> is <c>usr/bin/sh</c>), and the last component too with
    /// <paramref name="followLast"/>; never above the root.
    /// </summary>
    public string Resolve(string path, bool followLast = false)
    {
        var normalized = EntryPaths.Normalize(path, "path");
        var lookup = histories.GetAlternateLookup<ReadOnlySpan<char>>();
        string? SymlinkTarget(ReadOnlySpan<char> candidate) =>
            lookup.TryGetValue(candidate, out var history) && history.Current is { Type: EntryType.Symlink } link ? link.LinkTarget : null;
        return followLast
            ? ScopedPath.Resolve(normalized, SymlinkTarget, $"path '{Redaction.Quote(path, 200)}'")
            : ScopedPath.ResolveParent(normalized, SymlinkTarget, $"path '{Redaction.Quote(path, 200)}'");
    }

    /// <summary>The merged-image entry at a path, or null.</summary>
    public LayerEntry? Current(string path) => Find(path)?.Current;

    /// <summary>Histories sorted by path; optionally only paths a layer touched, optionally with deleted paths.</summary>
    public IReadOnlyList<PathHistory> List(bool includeDeleted = false, int? layerIndex = null)
    {
        var list = new List<PathHistory>(histories.Count);
        foreach (var history in histories.Values)
        {
            if (!includeDeleted && !history.Exists)
            {
                continue;
            }

            if (layerIndex is int layer && !Touches(history, layer))
            {
                continue;
            }

            list.Add(history);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return list;
    }

    private static bool Touches(PathHistory history, int layer)
    {
        foreach (var version in history.Versions)
        {
            if (version.LayerIndex == layer)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Collects entries per layer (metadata only) during a walk; <see cref="Build"/> merges them in layer order.</summary>
    public sealed class Builder : IImageEntryVisitor
    {
        private readonly Dictionary<int, LayerCollector> collectors = [];

        public ILayerEntryVisitor BeginLayer(ImageLayer layer)
        {
            ArgumentNullException.ThrowIfNull(layer);
            var collector = new LayerCollector();
            collectors[layer.Index] = collector;
            return collector;
        }

        public LayeredFileSystem Build(IReadOnlyList<ImageLayer> layers)
        {
            ArgumentNullException.ThrowIfNull(layers);
            var merge = new Merge();
            var changes = new List<LayerChanges>(layers.Count);
            foreach (var layer in layers)
            {
                changes.Add(merge.Apply(layer, collectors[layer.Index].Entries));
            }

            return new LayeredFileSystem(layers, merge.Histories, changes, merge.TotalWasted);
        }
    }

    private sealed class LayerCollector : ILayerEntryVisitor
    {
        public List<LayerEntry> Entries { get; } = [];

        public bool WantsContent(LayerEntry entry) => false;

        public ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
        {
            Entries.Add(entry);
            return ValueTask.CompletedTask;
        }

        public ValueTask EndLayerAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Applies layers in order, recording each path's versions; the live tree is the histories whose last version
    /// is not a deletion. Paths are resolved as <see cref="Extraction.ImageExtractor"/> writes them: symlinked
    /// parents followed inside the root (<see cref="ScopedPath"/>), so <c>bin/foo</c> over <c>bin -> usr/bin</c> is
    /// recorded at <c>usr/bin/foo</c>.
    /// </summary>
    private sealed class Merge
    {
        private readonly Dictionary<string, HashSet<string>> children = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PathHistory>.AlternateLookup<ReadOnlySpan<char>> lookup;
        private readonly SymlinkTargetLookup symlinkTarget;

        /// <summary>Paths the current layer wrote (and their parents): its whiteouts never delete them.</summary>
        private readonly HashSet<string> upper = new(StringComparer.Ordinal);
        private readonly LowerLayerPaths lower;
        private int layerIndex;
        private string? createdBy;
        private int added;
        private int modified;
        private int deleted;
        private long wasted;

        public Merge()
        {
            lookup = Histories.GetAlternateLookup<ReadOnlySpan<char>>();
            symlinkTarget = SymlinkTarget;
            lower = new LowerLayerPaths(symlinkTarget, upper);
        }

        public Dictionary<string, PathHistory> Histories { get; } = new(StringComparer.Ordinal);

        public long TotalWasted { get; private set; }

        public LayerChanges Apply(ImageLayer layer, List<LayerEntry> entries)
        {
            layerIndex = layer.Index;
            createdBy = layer.CreatedBy;
            added = modified = deleted = 0;
            wasted = 0;
            long contentBytes = 0;
            var what = layer.Describe();

            // In tar order, as the extractor (and containerd) apply a layer; a whiteout or opaque marker removes what
            // lower layers left, never what this layer wrote before it.
            upper.Clear();
            foreach (var entry in entries)
            {
                if (entry.Type == EntryType.Whiteout)
                {
                    ApplyWhiteout(entry, what);
                    continue;
                }

                if (entry.Type == EntryType.OpaqueWhiteout)
                {
                    ApplyOpaque(entry, what);
                    continue;
                }

                contentBytes += entry.Size;
                var resolved = Resolve(entry, what);
                EnsureParents(resolved.Path, resolved);
                Put(resolved);
                MarkUpper(resolved.Path);
            }

            TotalWasted += wasted;
            return new LayerChanges(layer.Index, entries.Count, added, modified, deleted, contentBytes, wasted);
        }

        /// <summary><c>.wh.NAME</c>: deletes NAME as lower layers left it; where this layer wrote NAME, only what lower layers left below it.</summary>
        private void ApplyWhiteout(LayerEntry entry, string what)
        {
            var path = lower.Resolve(entry.Path, followLast: false, what);
            if (path is null)
            {
                return;
            }

            if (!upper.Contains(path))
            {
                if (Live(path) is not null)
                {
                    Delete(path);
                }
            }
            else if (Live(path) is { Type: EntryType.Directory })
            {
                DeleteLower(path);
            }
        }

        /// <summary><c>DIR/.wh..wh..opq</c>: deletes what lower layers left in DIR, keeping this layer's entries.</summary>
        private void ApplyOpaque(LayerEntry entry, string what)
        {
            var directory = lower.Resolve(entry.Path, followLast: true, what);
            if (directory is not null && (directory.Length == 0 || Live(directory) is { Type: EntryType.Directory }))
            {
                DeleteLower(directory);
            }
        }


        /// <summary>Deletes the children of a directory that lower layers left; this layer's directories are cleared likewise.</summary>
        private void DeleteLower(string directory)
        {
            if (!children.TryGetValue(directory, out var below))
            {
                return;
            }

            foreach (var child in below.ToArray())
            {
                if (!upper.Contains(child))
                {
                    if (Live(child) is not null)
                    {
                        Delete(child);
                    }
                }
                else if (Live(child) is { Type: EntryType.Directory })
                {
                    DeleteLower(child);
                }
            }
        }

        /// <summary>Records a path this layer wrote, and its parents (they are this layer's directories now).</summary>
        private void MarkUpper(string path)
        {
            for (var p = path; !string.IsNullOrEmpty(p) && upper.Add(p); p = EntryPaths.Parent(p))
            {
            }
        }

        /// <summary>The entry where it lands: parents resolved through symlinks (and a hard link's target likewise).</summary>
        private LayerEntry Resolve(LayerEntry entry, string what)
        {
            // The error message names the path, so 'what' (the layer) needs no per-entry text: nothing allocated per entry.
            var path = ScopedPath.ResolveParent(entry.Path, symlinkTarget, what);
            if (entry.Type != EntryType.HardLink || entry.LinkTarget is not { } target)
            {
                return ReferenceEquals(path, entry.Path) ? entry : entry.Relocated(path, entry.LinkTarget);
            }

            // As tar does: what is at the link's path goes first (so nothing at or below it is followed), then the
            // target is looked up.
            var link = ScopedPath.ResolveParent(target, candidate => IsAtOrBelow(candidate, path) ? null : SymlinkTarget(candidate), what);
            if (!EntryPaths.IsWithin(link, path) && SymlinkTarget(link) is { } symlink)
            {
                // A hard link to a symlink is that symlink (one inode): later paths resolve through it, as on disk.
                // (A link to itself or below itself links to nothing: the entry replaces its own target.)
                return entry.Relocated(path, symlink, EntryType.Symlink);
            }

            return ReferenceEquals(path, entry.Path) && ReferenceEquals(link, entry.LinkTarget) ? entry : entry.Relocated(path, link);
        }

        private static bool IsAtOrBelow(ReadOnlySpan<char> candidate, string path) =>
            candidate.StartsWith(path, StringComparison.Ordinal) && (candidate.Length == path.Length || candidate[path.Length] == '/');

        private string? SymlinkTarget(ReadOnlySpan<char> path) =>
            lookup.TryGetValue(path, out var history) && history.Current is { Type: EntryType.Symlink } link ? link.LinkTarget : null;

        private LayerEntry? Live(string path) => Histories.TryGetValue(path, out var history) ? history.Current : null;

        private void Put(LayerEntry entry)
        {
            var history = HistoryOf(entry.Path);
            if (history.Current is { } old)
            {
                var sameLayer = history.Versions[^1].LayerIndex == layerIndex;
                if (old.Type == EntryType.Directory && entry.Type == EntryType.Directory)
                {
                    var metadataChanged = old.Mode != entry.Mode || old.Uid != entry.Uid || old.Gid != entry.Gid;
                    if (sameLayer)
                    {
                        history.ReplaceLast(history.Versions[^1] with { Entry = entry, Implicit = false });
                    }
                    else if (metadataChanged)
                    {
                        history.Add(new PathVersion(layerIndex, PathChange.Modified, entry, createdBy));
                        modified++;
                    }

                    return;
                }

                if (old.Type == EntryType.Directory)
                {
                    DeleteChildren(entry.Path);
                }

                if (old.Type == EntryType.File)
                {
                    wasted += old.Size;
                }

                if (sameLayer)
                {
                    // A duplicate entry in one layer: the later one wins, as tar extraction does.
                    history.ReplaceLast(history.Versions[^1] with { Entry = entry, Implicit = false });
                }
                else
                {
                    history.Add(new PathVersion(layerIndex, PathChange.Modified, entry, createdBy));
                    modified++;
                }

                return;
            }

            AddChild(entry.Path);
            history.Add(new PathVersion(layerIndex, PathChange.Added, entry, createdBy));
            added++;
        }

        private void EnsureParents(string path, LayerEntry from)
        {
            var parent = EntryPaths.Parent(path);
            if (string.IsNullOrEmpty(parent))
            {
                return;
            }

            if (Live(parent) is { } existing)
            {
                if (existing.Type == EntryType.Directory)
                {
                    return;
                }

                // A non-directory where this entry needs a directory: the layer replaced it.
                Delete(parent);
            }

            EnsureParents(parent, from);
            Put(new LayerEntry
            {
                Path = parent,
                Type = EntryType.Directory,
                RawName = parent + "/",
                Mode = 0x1ED,
                ModifiedTime = from.ModifiedTime,
            });
            var history = Histories[parent];
            history.ReplaceLast(history.Versions[^1] with { Implicit = true });
        }

        private void Delete(string path)
        {
            var history = Histories[path];
            var old = history.Current!;
            if (old.Type == EntryType.Directory)
            {
                DeleteChildren(path);
            }

            if (old.Type == EntryType.File)
            {
                wasted += old.Size;
            }

            RemoveChild(path);
            history.Add(new PathVersion(layerIndex, PathChange.Deleted, old, createdBy));
            deleted++;
        }

        private void DeleteChildren(string directory)
        {
            if (children.Remove(directory, out var below))
            {
                foreach (var child in below)
                {
                    if (Live(child) is not null)
                    {
                        Delete(child);
                    }
                }
            }
        }

        private PathHistory HistoryOf(string path)
        {
            if (!Histories.TryGetValue(path, out var history))
            {
                history = new PathHistory(path);
                Histories[path] = history;
            }

            return history;
        }

        private void AddChild(string path)
        {
            var parent = EntryPaths.Parent(path) ?? string.Empty;
            if (!children.TryGetValue(parent, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                children[parent] = set;
            }

            set.Add(path);
        }

        private void RemoveChild(string path)
        {
            if (children.TryGetValue(EntryPaths.Parent(path) ?? string.Empty, out var set))
            {
                set.Remove(path);
            }
        }
    }
}
