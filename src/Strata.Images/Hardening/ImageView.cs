namespace Strata.Images.Hardening;

using System.Text;
using Strata.Core.Findings;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Secrets;

/// <summary>
/// What the image checks look at: the merged filesystem (every path's metadata, the layer and build step that last
/// wrote it), the content of the few small files the checks read, the config, and the bytes later layers hid.
/// Built from one walk over the layers, or from a directory tree for root filesystems (no layers, no config).
/// </summary>
public sealed class ImageView
{
    /// <summary>Most symlinks followed while resolving one path, as Linux's MAXSYMLINKS.</summary>
    private const int MaxSymlinkHops = 40;

    private readonly Dictionary<string, ImageFile>? byKey;
    private readonly LayeredFiles? layered;
    private readonly IReadOnlyDictionary<string, byte[]> contents;

    private ImageView(string target, ImageConfig? config, IReadOnlyList<ImageLayer> layers, IReadOnlyList<string?> buildSteps, List<ImageFile> files, IReadOnlyDictionary<string, byte[]> contents, IReadOnlyList<WastedFile> wasted, string? rootDirectory)
        : this(target, config, layers, buildSteps, contents, wasted, rootDirectory)
    {
        files.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Files = files;
        byKey = new Dictionary<string, ImageFile>(files.Count, StringComparer.Ordinal);
        foreach (var file in files)
        {
            byKey[file.Key] = file;
        }
    }

    /// <summary>An image's view over its layered filesystem: files are made on request, never held per path.</summary>
    private ImageView(string target, ImageConfig? config, IReadOnlyList<ImageLayer> layers, IReadOnlyList<string?> buildSteps, LayeredFiles files, IReadOnlyDictionary<string, byte[]> contents, IReadOnlyList<WastedFile> wasted)
        : this(target, config, layers, buildSteps, contents, wasted, rootDirectory: null)
    {
        Files = files;
        layered = files;
    }

    private ImageView(string target, ImageConfig? config, IReadOnlyList<ImageLayer> layers, IReadOnlyList<string?> buildSteps, IReadOnlyDictionary<string, byte[]> contents, IReadOnlyList<WastedFile> wasted, string? rootDirectory)
    {
        Target = target;
        Config = config;
        Layers = layers;
        BuildSteps = buildSteps;
        Files = [];
        this.contents = contents;
        Wasted = wasted;
        RootDirectory = rootDirectory;
    }

    /// <summary>The target as the user named it; findings carry it.</summary>
    public string Target { get; }

    /// <summary>The image config; null for a root filesystem.</summary>
    public ImageConfig? Config { get; }

    /// <summary>The image's layers; empty for a root filesystem.</summary>
    public IReadOnlyList<ImageLayer> Layers { get; }

    /// <summary>
    /// Each layer's build step (history <c>created_by</c>) as findings may show it, by layer index: masked, or withheld
    /// when the run's secret scanner still finds a secret in it (see <see cref="BuildStepText"/>). Empty without layers.
    /// </summary>
    public IReadOnlyList<string?> BuildSteps { get; }

    /// <summary>The directory scanned, for a root filesystem; null for an image.</summary>
    public string? RootDirectory { get; }

    public bool IsRootFs => RootDirectory is not null;

    /// <summary>Paths of a root filesystem that could not be listed or read (a check that finds nothing there says why).</summary>
    public IReadOnlyList<RootFsSkip> Skipped { get; private init; } = [];

    /// <summary>The skipped path that hides <paramref name="path"/>: the path itself or a directory above it; null when none does.</summary>
    public RootFsSkip? SkippedAbove(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var key = path.TrimStart('/');
        return Skipped.FirstOrDefault(s => key == s.Path || key.StartsWith(s.Path + "/", StringComparison.Ordinal));
    }

    /// <summary>Every path of the merged tree (the root itself excluded), sorted by path.</summary>
    public IReadOnlyList<ImageFile> Files { get; }

    /// <summary>
    /// The files whose type and mode bits pass <paramref name="typeAndMode"/>, sorted by path. In an image the test reads
    /// the compact table, so only the files that pass are made (checks that look at a few of millions of paths).
    /// </summary>
    public IEnumerable<ImageFile> FilesWhere(Func<EntryType, int, bool> typeAndMode)
    {
        ArgumentNullException.ThrowIfNull(typeAndMode);
        return layered is not null ? layered.Where(typeAndMode) : Files.Where(f => typeAndMode(f.Type, f.Entry.Mode));
    }

    /// <summary>File content hidden by later layers, largest first.</summary>
    public IReadOnlyList<WastedFile> Wasted { get; }

    public long WastedBytes => Wasted.Sum(w => w.Bytes);

    /// <summary>The paths whose content <see cref="ReadBytes"/> can return (only these are read during the walk).</summary>
    public static IReadOnlySet<string> ContentPaths { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "etc/os-release",
        "usr/lib/os-release",
        "etc/debian_version",
        "etc/passwd",
        "etc/shadow",
        "etc/group",
        "var/lib/dpkg/status",
        "lib/apk/db/installed",
        "usr/lib/apk/db/installed",
    };

    /// <summary>Largest file whose content is kept for the checks.</summary>
    public static long MaxContentBytes => Strata.Core.Limits.Default.MaxDocumentBytes;

    /// <summary>The entry at a path, without following symlinks; null when absent.</summary>
    public ImageFile? Find(string path) => Lookup(KeyOf(path));

    /// <summary>The entry a path leads to, following symlinks (within the image) in every component; null when absent or looping.</summary>
    public ImageFile? Resolve(string path)
    {
        var pending = new Stack<string>();
        PushComponents(pending, KeyOf(path));
        var current = string.Empty;
        var hops = 0;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                current = EntryPaths.Parent(current) ?? string.Empty;
                continue;
            }

            var candidate = EntryPaths.Join(current, name);
            if (TypeAndLink(candidate) is not { } found)
            {
                return null;
            }

            if (found.Type == EntryType.Symlink && found.LinkTarget is { } link)
            {
                if (++hops > MaxSymlinkHops)
                {
                    return null;
                }

                PushComponents(pending, link);
                if (link.StartsWith('/'))
                {
                    current = string.Empty;
                }

                continue;
            }

            current = candidate;
        }

        return current.Length == 0 ? null : Lookup(current);
    }

    /// <summary>The content of one of <see cref="ContentPaths"/> (symlinks and hard links followed), or null.</summary>
    public byte[]? ReadBytes(string path)
    {
        var file = Resolve(path);
        if (file is { Type: EntryType.HardLink, Entry.LinkTarget: { } linked })
        {
            return contents.GetValueOrDefault(linked);
        }

        return file is null ? null : contents.GetValueOrDefault(file.Key);
    }

    public string? ReadText(string path) => ReadBytes(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Files and directories below a directory (not the directory itself), sorted by path.</summary>
    public IEnumerable<ImageFile> Below(string directory)
    {
        var key = KeyOf(directory);
        var prefix = key + "/";
        var start = LowerBound(prefix);
        for (var i = start; i < Files.Count && KeyAt(i).StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return Files[i];
        }
    }

    /// <summary>Where a file is: its path and, in an image, the layer and build step that last wrote it.</summary>
    public static Location LocationOf(ImageFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new Location { Path = file.Path, LayerDigest = file.LayerDigest, LayerIndex = file.LayerIndex, CreatedBy = file.CreatedBy };
    }

    public static Location LocationOf(WastedFile wasted)
    {
        ArgumentNullException.ThrowIfNull(wasted);
        return new Location { Path = wasted.Path, LayerDigest = wasted.LayerDigest, LayerIndex = wasted.LayerIndex, CreatedBy = wasted.CreatedBy };
    }

    /// <summary>A normalised key: no leading slash, no empty or <c>.</c> components.</summary>
    public static string KeyOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
    }

    /// <summary>The view of an image from its layered filesystem and the content collected per layer during the same walk.</summary>
    internal static ImageView FromImage(string target, ResolvedImage image, LayeredFileSystem fileSystem, IReadOnlyList<IReadOnlyDictionary<string, byte[]>> contentByLayer, SecretScanner secrets)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var wasted = new List<WastedFile>();

        // Findings of every check show these steps, so secrets recorded in them are masked once, here.
        var steps = image.Layers.Select(l => BuildStepText.Safe(l.CreatedBy, secrets)).ToArray();
        var digests = image.Layers.Select(l => (string?)l.Descriptor.Digest.ToString()).ToArray();

        // Only paths with several versions can hide bytes; their order (by path, oldest first) is the old listing's.
        // The merged tree's ids are packed into the front of the same array: one int per path, no second list.
        var ids = fileSystem.SortedIds(includeDeleted: true);
        var live = 0;
        foreach (var id in ids)
        {
            if (fileSystem.HasSeveralVersions(id))
            {
                var history = fileSystem.HistoryAt(id);
                var versions = history.Versions;
                for (var i = 0; i < versions.Count - 1; i++)
                {
                    var version = versions[i];
                    if (version.Change != PathChange.Deleted && version.Entry.Type == EntryType.File && version.Entry.Size > 0)
                    {
                        var next = versions[i + 1];
                        wasted.Add(new WastedFile(history.Path, version.Entry.Size, version.LayerIndex, digests[version.LayerIndex], steps[version.LayerIndex], next.LayerIndex, next.Change == PathChange.Deleted));
                    }
                }
            }

            if (fileSystem.ExistsAt(id) && id != 0)
            {
                ids[live++] = id;
            }
        }

        foreach (var path in ContentPaths.Order(StringComparer.Ordinal))
        {
            var id = fileSystem.FindId(path);
            if (id < 0 || fileSystem.CurrentAt(id, path) is not { } entry)
            {
                continue;
            }

            var contentKey = entry.Type == EntryType.HardLink && entry.LinkTarget is { } linked ? linked : path;
            if (contentByLayer[fileSystem.LastLayerAt(id)].TryGetValue(contentKey, out var bytes))
            {
                contents[contentKey] = bytes;
            }
        }

        wasted.Sort(static (a, b) => b.Bytes != a.Bytes ? b.Bytes.CompareTo(a.Bytes) : string.CompareOrdinal(a.Key, b.Key));
        return new ImageView(target, image.Config, image.Layers, steps, new LayeredFiles(fileSystem, ids, live, digests, steps), contents, wasted);
    }

    /// <summary>The view of a root filesystem: its entries (no layers) and the content read from disk.</summary>
    internal static ImageView FromRootFs(string target, string rootDirectory, IEnumerable<LayerEntry> entries, IReadOnlyDictionary<string, byte[]> contents, IReadOnlyList<RootFsSkip> skipped) =>
        new(target, null, [], [], [.. entries.Where(e => e.Path.Length > 0).Select(e => new ImageFile(e.Path, e, null, null, null))], contents, [], rootDirectory) { Skipped = skipped };

    /// <summary>A view made directly from entries and content (rule examples, unit tests).</summary>
    internal static ImageView FromEntries(string target, ImageConfig? config, IEnumerable<LayerEntry> entries, IReadOnlyDictionary<string, byte[]> contents) =>
        new(target, config, [], [], [.. entries.Select(e => new ImageFile(e.Path, e, null, null, null))], contents, [], rootDirectory: null);

    private ImageFile? Lookup(string key) => layered is not null ? layered.Find(key) : byKey!.GetValueOrDefault(key);

    private (EntryType Type, string? LinkTarget)? TypeAndLink(string key)
    {
        if (layered is not null)
        {
            return layered.TypeAndLink(key);
        }

        return byKey!.TryGetValue(key, out var file) ? (file.Type, file.Entry.LinkTarget) : null;
    }

    private string KeyAt(int index) => layered is not null ? layered.KeyAt(index) : Files[index].Key;

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private int LowerBound(string prefix)
    {
        int low = 0, high = Files.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(KeyAt(mid), prefix) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}

/// <summary>
/// The merged tree's files, sorted by path, made from the layered filesystem's compact table when asked for: an
/// image of millions of paths holds one int per path here, not an object.
/// </summary>
internal sealed class LayeredFiles(LayeredFileSystem fileSystem, int[] ids, int count, string?[] digests, string?[] steps) : IReadOnlyList<ImageFile>
{
    public int Count => count;

    public ImageFile this[int index] => FileOf(ids[index], fileSystem.PathOf(ids[index]));

    public string KeyAt(int index) => fileSystem.PathOf(ids[index]);

    public ImageFile? Find(string key)
    {
        var id = key.Length == 0 ? -1 : fileSystem.FindId(key);
        return id >= 0 && fileSystem.ExistsAt(id) ? FileOf(id, key) : null;
    }

    public (EntryType Type, string? LinkTarget)? TypeAndLink(string key)
    {
        var id = key.Length == 0 ? -1 : fileSystem.FindId(key);
        return id >= 0 && fileSystem.TypeAt(id) is { } type ? (type, fileSystem.LinkTargetAt(id)) : null;
    }

    /// <summary>The files whose type and mode pass a test, made only for those.</summary>
    public IEnumerable<ImageFile> Where(Func<EntryType, int, bool> typeAndMode)
    {
        for (var i = 0; i < count; i++)
        {
            var id = ids[i];
            if (fileSystem.TypeAt(id) is { } type && typeAndMode(type, fileSystem.ModeAt(id)))
            {
                yield return FileOf(id, fileSystem.PathOf(id));
            }
        }
    }

    public IEnumerator<ImageFile> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return FileOf(ids[i], fileSystem.PathOf(ids[i]));
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private ImageFile FileOf(int id, string key)
    {
        var layer = fileSystem.LastLayerAt(id);
        return new ImageFile(key, fileSystem.CurrentAt(id, key)!, layer, digests[layer], steps[layer]);
    }
}
