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

/// <summary>Every version of one path across the layers, oldest first (made on request from the compact table).</summary>
public sealed class PathHistory(string path, IReadOnlyList<PathVersion> versions)
{
    public string Path => path;

    public IReadOnlyList<PathVersion> Versions => versions;

    /// <summary>Whether the path exists in the merged image.</summary>
    public bool Exists => versions.Count > 0 && versions[^1].Change != PathChange.Deleted;

    /// <summary>The entry in the merged image, or null when the path was deleted.</summary>
    public LayerEntry? Current => Exists ? versions[^1].Entry : null;

    /// <summary>The layer that last added the path (after a deletion it may come back).</summary>
    public int AddedIn
    {
        get
        {
            for (var i = versions.Count - 1; i >= 0; i--)
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
/// State is kept per path in compact form (see <see cref="PathTable"/>); histories and entries are made on request.
/// Paths are also reachable by id (<see cref="FindId"/>, <see cref="SortedIds"/>), for readers that walk millions.
/// </summary>
public sealed class LayeredFileSystem
{
    private readonly PathTable table;
    private readonly string?[] createdBy;

    private LayeredFileSystem(IReadOnlyList<ImageLayer> layers, PathTable table, IReadOnlyList<LayerChanges> changes, long wastedBytes)
    {
        Layers = layers;
        this.table = table;
        LayerChanges = changes;
        WastedBytes = wastedBytes;
        createdBy = new string?[layers.Count == 0 ? 0 : layers.Max(l => l.Index) + 1];
        foreach (var layer in layers)
        {
            createdBy[layer.Index] = layer.CreatedBy;
        }
    }

    public IReadOnlyList<ImageLayer> Layers { get; }

    public IReadOnlyList<LayerChanges> LayerChanges { get; }

    /// <summary>Bytes of file content a later layer overwrote or deleted (still shipped in the image).</summary>
    public long WastedBytes { get; }

    public int PathCount => table.PathCount;

    /// <summary>Bytes the compact per-path state holds (arrays allocated), for memory measurements.</summary>
    public long StateBytes => table.AllocatedBytes;

    /// <summary>Reads every layer once and builds the filesystem.</summary>
    public static async Task<LayeredFileSystem> BuildAsync(ResolvedImage image, CancellationToken cancellationToken)
    {
        var builder = new Builder();
        await ImageWalker.WalkAsync(image, [builder], cancellationToken);
        return builder.Build(image.Layers);
    }

    /// <summary>The history recorded at exactly this path (no symlinks followed; see <see cref="Resolve"/>).</summary>
    public PathHistory? Find(string path)
    {
        var normalized = EntryPaths.Normalize(path, "path");
        var id = table.Find(normalized);
        return id != PathTable.None && table.HasVersion(id) ? History(id, normalized) : null;
    }

    /// <summary>
    /// Where a path leads in the merged image, as a process in the container would see it: symlinked parents
    /// followed (<c>bin/sh</c> over <c>bin -> usr/bin</c> is <c>usr/bin/sh</c>), and the last component too with
    /// <paramref name="followLast"/>; never above the root.
    /// </summary>
    public string Resolve(string path, bool followLast = false)
    {
        var normalized = EntryPaths.Normalize(path, "path");
        return followLast
            ? ScopedPath.Resolve(normalized, SymlinkTarget, $"path '{Redaction.Quote(path, 200)}'")
            : ScopedPath.ResolveParent(normalized, SymlinkTarget, $"path '{Redaction.Quote(path, 200)}'");
    }

    /// <summary>The merged-image entry at a path, or null.</summary>
    public LayerEntry? Current(string path) => Find(path)?.Current;

    /// <summary>Histories sorted by path; optionally only paths a layer touched, optionally with deleted paths.</summary>
    public IReadOnlyList<PathHistory> List(bool includeDeleted = false, int? layerIndex = null)
    {
        var list = new List<PathHistory>();
        foreach (var id in SortedIds(includeDeleted))
        {
            var history = History(id, table.PathOf(id));
            if (layerIndex is int layer && !history.Versions.Any(v => v.LayerIndex == layer))
            {
                continue;
            }

            list.Add(history);
        }

        return list;
    }

    /// <summary>Ids of the recorded paths (the merged tree's; deleted ones too on request), sorted by path, ordinally.</summary>
    public int[] SortedIds(bool includeDeleted = false) => table.Sorted(includeDeleted ? table.HasVersion : table.Exists);

    /// <summary>The id of a normalised path, or -1 when none was ever recorded there.</summary>
    public int FindId(ReadOnlySpan<char> path)
    {
        var id = table.Find(path);
        return id != PathTable.None && table.HasVersion(id) ? id : -1;
    }

    /// <summary>The path of an id.</summary>
    public string PathOf(int id) => table.PathOf(id);

    /// <summary>Whether the path exists in the merged image.</summary>
    public bool ExistsAt(int id) => table.Exists(id);

    /// <summary>Whether the path has more than one version (a later layer changed or deleted it).</summary>
    public bool HasSeveralVersions(int id) => table.HasOlderVersions(id);

    /// <summary>The layer of the path's last version.</summary>
    public int LastLayerAt(int id) => table.LayerOf(table.Current(id));

    /// <summary>The type of what is at the path in the merged image, or null.</summary>
    public EntryType? TypeAt(int id) => table.LiveType(id);

    /// <summary>The mode bits of what is at the path in the merged image (meaningful only where <see cref="TypeAt"/> is not null).</summary>
    public int ModeAt(int id) => table.ModeOf(table.Current(id));

    /// <summary>The link target of what is at the path in the merged image (symlinks and hard links), or null.</summary>
    public string? LinkTargetAt(int id) => table.Exists(id) ? table.LinkTargetOf(table.Current(id)) : null;

    /// <summary>The merged-image entry at an id (made on request), or null when deleted.</summary>
    public LayerEntry? CurrentAt(int id, string? path = null) => table.Exists(id) ? table.EntryOf(path ?? table.PathOf(id), table.Current(id)) : null;

    /// <summary>Every version at an id, oldest first.</summary>
    public PathHistory HistoryAt(int id, string? path = null) => History(id, path ?? table.PathOf(id));

    private PathHistory History(int id, string path)
    {
        var records = table.Versions(id);
        var versions = new PathVersion[records.Count];
        for (var i = 0; i < versions.Length; i++)
        {
            var record = records[i];
            var layer = table.LayerOf(record);
            versions[i] = new PathVersion(layer, record.Change, table.EntryOf(path, record), layer < createdBy.Length ? createdBy[layer] : null, record.Implicit);
        }

        return new PathHistory(path, versions);
    }

    private string? SymlinkTarget(ReadOnlySpan<char> path)
    {
        var id = table.Find(path);
        return id != PathTable.None && table.LiveType(id) == EntryType.Symlink ? table.LinkTargetOf(table.Current(id)) : null;
    }

    /// <summary>
    /// Takes entries per layer during a walk and merges them in layer order as soon as the layers before are done
    /// (layers are read in parallel; a layer read ahead of its turn waits in an <see cref="EntrySpool"/>).
    /// </summary>
    public sealed class Builder : IImageEntryVisitor
    {
        private readonly List<LayerCollector> order = [];
        private readonly Merge merge = new();
        private readonly List<LayerChanges> changes = [];
        private readonly Lock gate = new();
        private int turn;

        public ILayerEntryVisitor BeginLayer(ImageLayer layer)
        {
            ArgumentNullException.ThrowIfNull(layer);
            var collector = new LayerCollector(this, layer, order.Count);
            lock (gate)
            {
                order.Add(collector);
                if (order.Count == 1)
                {
                    merge.Begin(layer);
                }
            }

            return collector;
        }

        public LayeredFileSystem Build(IReadOnlyList<ImageLayer> layers)
        {
            ArgumentNullException.ThrowIfNull(layers);
            lock (gate)
            {
                // Layers whose end was never reported (a walk cut short) are merged with what they had.
                while (turn < order.Count)
                {
                    order[turn].Ended = true;
                    Advance();
                }
            }

            var byIndex = changes.ToDictionary(c => c.LayerIndex);
            return new LayeredFileSystem(layers, merge.Table, [.. layers.Select(l => byIndex[l.Index])], merge.TotalWasted);
        }

        private void Visit(LayerCollector collector, LayerEntry entry)
        {
            lock (gate)
            {
                if (turn == collector.Position && collector.Spool is null)
                {
                    merge.Apply(entry);
                }
                else
                {
                    (collector.Spool ??= new EntrySpool()).Write(entry);
                }
            }
        }

        private void End(LayerCollector collector)
        {
            lock (gate)
            {
                collector.Ended = true;
                if (turn == collector.Position)
                {
                    Advance();
                }
            }
        }

        /// <summary>Finishes the layer whose turn it is and merges what the next ones spooled meanwhile (under the gate).</summary>
        private void Advance()
        {
            while (turn < order.Count)
            {
                var collector = order[turn];
                if (collector.Spool is { } spool)
                {
                    foreach (var entry in spool.Drain())
                    {
                        merge.Apply(entry);
                    }

                    spool.Dispose();
                    collector.Spool = null;
                }

                if (!collector.Ended)
                {
                    return;
                }

                changes.Add(merge.End());
                turn++;
                if (turn < order.Count)
                {
                    merge.Begin(order[turn].Layer);
                }
            }
        }

        private sealed class LayerCollector(Builder owner, ImageLayer layer, int position) : ILayerEntryVisitor
        {
            public ImageLayer Layer => layer;

            public int Position => position;

            public EntrySpool? Spool { get; set; }

            public bool Ended { get; set; }

            public bool WantsContent(LayerEntry entry) => false;

            public ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
            {
                owner.Visit(this, entry);
                return ValueTask.CompletedTask;
            }

            public ValueTask EndLayerAsync(CancellationToken cancellationToken)
            {
                owner.End(this);
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>
    /// Applies layers in order, recording each path's versions; the live tree is the paths whose last version
    /// is not a deletion. Paths are resolved as <see cref="Extraction.ImageExtractor"/> writes them: symlinked
    /// parents followed inside the root (<see cref="ScopedPath"/>), so <c>bin/foo</c> over <c>bin -> usr/bin</c> is
    /// recorded at <c>usr/bin/foo</c>.
    /// </summary>
    private sealed class Merge
    {
        private readonly SymlinkTargetLookup symlinkTarget;

        /// <summary>Paths the current layer wrote (and their parents) are marked in the table: its whiteouts never delete them.</summary>
        private readonly LowerLayerPaths lower;
        private ImageLayer? layer;
        private string what = string.Empty;
        private int entries;
        private int added;
        private int modified;
        private int deleted;
        private long contentBytes;
        private long wasted;

        public Merge()
        {
            symlinkTarget = SymlinkTarget;
            lower = new LowerLayerPaths(symlinkTarget, IsUpper);
        }

        public PathTable Table { get; } = new();

        public long TotalWasted { get; private set; }

        private int LayerIndex => layer!.Index;

        public void Begin(ImageLayer next)
        {
            layer = next;
            what = next.Describe();
            entries = added = modified = deleted = 0;
            contentBytes = wasted = 0;
            Table.ClearMarks();
        }

        public LayerChanges End()
        {
            TotalWasted += wasted;
            return new LayerChanges(LayerIndex, entries, added, modified, deleted, contentBytes, wasted);
        }

        /// <summary>
        /// One entry, in tar order, as the extractor (and containerd) apply a layer; a whiteout or opaque marker
        /// removes what lower layers left, never what this layer wrote before it.
        /// </summary>
        public void Apply(LayerEntry entry)
        {
            entries++;
            if (entry.Type == EntryType.Whiteout)
            {
                ApplyWhiteout(entry);
                return;
            }

            if (entry.Type == EntryType.OpaqueWhiteout)
            {
                ApplyOpaque(entry);
                return;
            }

            contentBytes += entry.Size;
            var resolved = Resolve(entry);
            var id = Table.GetOrAdd(resolved.Path);
            EnsureParents(id, resolved);
            Put(id, Table.RecordOf(resolved, LayerIndex, PathChange.Added, isImplicit: false));
            MarkUpper(id);
        }

        /// <summary><c>.wh.NAME</c>: deletes NAME as lower layers left it; where this layer wrote NAME, only what lower layers left below it.</summary>
        private void ApplyWhiteout(LayerEntry entry)
        {
            var path = lower.Resolve(entry.Path, followLast: false, what);
            if (path is null)
            {
                return;
            }

            var id = Table.Find(path, remember: true);
            if (id == PathTable.None)
            {
                return;
            }

            if (!Table.IsMarked(id))
            {
                if (Table.Exists(id))
                {
                    Delete(id);
                }
            }
            else if (Table.LiveType(id) == EntryType.Directory)
            {
                DeleteLower(id);
            }
        }

        /// <summary><c>DIR/.wh..wh..opq</c>: deletes what lower layers left in DIR, keeping this layer's entries.</summary>
        private void ApplyOpaque(LayerEntry entry)
        {
            var directory = lower.Resolve(entry.Path, followLast: true, what);
            if (directory is null)
            {
                return;
            }

            var id = Table.Find(directory);
            if (id != PathTable.None && (id == PathTable.Root || Table.LiveType(id) == EntryType.Directory))
            {
                DeleteLower(id);
            }
        }

        /// <summary>Deletes the children of a directory that lower layers left; this layer's directories are cleared likewise.</summary>
        private void DeleteLower(int directory)
        {
            var below = new List<int>();
            foreach (var child in Table.Children(directory))
            {
                if (Table.Exists(child))
                {
                    below.Add(child);
                }
            }

            foreach (var child in below)
            {
                if (!Table.IsMarked(child))
                {
                    if (Table.Exists(child))
                    {
                        Delete(child);
                    }
                }
                else if (Table.LiveType(child) == EntryType.Directory)
                {
                    DeleteLower(child);
                }
            }
        }

        /// <summary>Records a path this layer wrote, and its parents (they are this layer's directories now).</summary>
        private void MarkUpper(int id)
        {
            for (var n = id; n != PathTable.Root && Table.Mark(n); n = Table.ParentOf(n))
            {
            }
        }

        private bool IsUpper(ReadOnlySpan<char> path)
        {
            var id = Table.Find(path, remember: true);
            return id > PathTable.Root && Table.IsMarked(id);
        }

        /// <summary>The entry where it lands: parents resolved through symlinks (and a hard link's target likewise).</summary>
        private LayerEntry Resolve(LayerEntry entry)
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

        private string? SymlinkTarget(ReadOnlySpan<char> path)
        {
            var id = Table.Find(path, remember: true);
            return id != PathTable.None && Table.LiveType(id) == EntryType.Symlink ? Table.LinkTargetOf(Table.Current(id)) : null;
        }

        private void Put(int id, VersionRecord record)
        {
            var layerIndex = LayerIndex;
            if (Table.Exists(id))
            {
                var old = Table.Current(id);
                var oldLayer = Table.LayerOf(old);
                var sameLayer = oldLayer == layerIndex;
                if (old.Type == EntryType.Directory && record.Type == EntryType.Directory)
                {
                    if (sameLayer)
                    {
                        Table.Current(id) = Table.With(record, old.Change, isImplicit: false, oldLayer);
                    }
                    else if (old.Mode != record.Mode || Table.OwnerOf(old) != Table.OwnerOf(record))
                    {
                        Table.AddVersion(id, Table.With(record, PathChange.Modified, isImplicit: false, layerIndex));
                        modified++;
                    }

                    return;
                }

                if (old.Type == EntryType.Directory)
                {
                    DeleteChildren(id);
                }

                if (old.Type == EntryType.File)
                {
                    wasted += Table.SizeOf(old);
                }

                if (sameLayer)
                {
                    // A duplicate entry in one layer: the later one wins, as tar extraction does.
                    Table.Current(id) = Table.With(record, old.Change, isImplicit: false, oldLayer);
                }
                else
                {
                    Table.AddVersion(id, Table.With(record, PathChange.Modified, isImplicit: false, layerIndex));
                    modified++;
                }

                return;
            }

            Table.AddVersion(id, Table.With(record, PathChange.Added, record.Implicit, layerIndex));
            added++;
        }

        private void EnsureParents(int id, LayerEntry from)
        {
            var parent = Table.ParentOf(id);
            if (parent == PathTable.Root || parent == PathTable.None)
            {
                return;
            }

            if (Table.LiveType(parent) is { } existing)
            {
                if (existing == EntryType.Directory)
                {
                    return;
                }

                // A non-directory where this entry needs a directory: the layer replaced it.
                Delete(parent);
            }

            EnsureParents(parent, from);
            Put(parent, Table.ImplicitDirectory(LayerIndex, from.ModifiedTime));
        }

        private void Delete(int id)
        {
            var old = Table.Current(id);
            if (old.Type == EntryType.Directory)
            {
                DeleteChildren(id);
            }

            if (old.Type == EntryType.File)
            {
                wasted += Table.SizeOf(old);
            }

            Table.AddVersion(id, Table.With(old, PathChange.Deleted, isImplicit: false, LayerIndex));
            deleted++;
        }

        private void DeleteChildren(int directory)
        {
            var below = new List<int>();
            foreach (var child in Table.Children(directory))
            {
                if (Table.Exists(child))
                {
                    below.Add(child);
                }
            }

            foreach (var child in below)
            {
                if (Table.Exists(child))
                {
                    Delete(child);
                }
            }
        }
    }
}
