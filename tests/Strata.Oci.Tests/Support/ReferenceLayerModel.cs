namespace Strata.Oci.Tests.Support;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// A plain model of applying layers, written from the OCI image-spec layer rules (image-spec layer.md) and path
/// resolution inside a root, to check <c>LayeredFileSystem</c> and <c>ImageExtractor</c> against. The rules:
/// <list type="bullet">
/// <item>entries apply in tar order (as containerd and the extractor stream them): a later entry replaces an earlier
/// one at the same path; a directory over a directory merges (the newer metadata wins); anything else over a
/// directory replaces it and its children;</item>
/// <item>whiteouts apply to lower layers only: <c>.wh.NAME</c> deletes NAME and everything below it as lower layers
/// left them, <c>.wh..wh..opq</c> what lower layers left in its directory; neither deletes what the same layer wrote
/// before it (the spec: "files that are present in the same layer as a whiteout file can only be hidden by whiteout
/// files in subsequent layers"), nor follows a symlink that layer wrote (it replaced what lower layers had there);
/// whiteout files never appear themselves. The spec does not say how a whiteout's path meets symlinks; streaming
/// in tar order, a whiteout after the same layer replaced a lower symlink on its path no longer sees that symlink;</item>
/// <item>a path is resolved as a process in the container would: symlinked parents followed, <c>..</c> and absolute
/// targets kept inside the root, missing components taken as directories; the last component is never followed,
/// except for an opaque marker's directory;</item>
/// <item>a missing parent is created as a directory (the spec is silent; tar, Docker and containerd do).</item>
/// </list>
/// Where Strata's two readers legitimately differ, the model says so instead of choosing: the extractor refuses
/// (<see cref="ExtractionRefused"/>) a parent that is not a directory and a hard link to something that is not a file
/// or symlink, which the metadata-only <c>LayeredFileSystem</c> records as they come (a non-directory parent is
/// replaced by a directory).
/// </summary>
public sealed class ReferenceLayerModel
{
    private const int MaxLinks = 255;
    private readonly SortedDictionary<string, Node> nodes = new(StringComparer.Ordinal);

    /// <summary>Why extraction must fail, or null.</summary>
    public string? ExtractionRefused { get; private set; }

    /// <summary>Whether resolving some path met more symlinks than allowed (a loop): both readers must refuse the image.</summary>
    public bool Loop { get; private set; }

    public static ReferenceLayerModel Apply(IEnumerable<IReadOnlyList<LayerOp>> layers)
    {
        var model = new ReferenceLayerModel();
        try
        {
            foreach (var layer in layers)
            {
                model.ApplyLayer(layer);
            }
        }
        catch (SymlinkLoopException)
        {
            model.Loop = true;
        }

        return model;
    }

    /// <summary>
    /// The tree as <c>LayeredFileSystem</c> lists it: <c>file MODE SIZE</c>, <c>dir MODE</c>, <c>symlink -> TARGET</c>,
    /// <c>hardlink -> PATH</c>; a directory no entry described has mode <c>?</c> (its mode is the reader's choice).
    /// </summary>
    public SortedDictionary<string, string> MetadataView()
    {
        var view = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, node) in nodes)
        {
            // A hard link to a symlink is listed as the symlink it is on disk.
            view[path] = node.Kind == NodeKind.HardLink && node.Linked?.Kind != NodeKind.Symlink ? "hardlink -> " + node.Text : Describe(Physical(node), withContent: false);
        }

        return view;
    }

    /// <summary>The tree as extracted to disk, in <c>TreeSnapshot</c>'s form; a hard link is what it links to.</summary>
    public SortedDictionary<string, string> DiskView()
    {
        var view = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, node) in nodes)
        {
            view[path] = Describe(node.Kind == NodeKind.HardLink ? node.Linked! : node, withContent: true);
        }

        return view;
    }

    /// <summary>Paths of directories whose mode no entry gave.</summary>
    public IEnumerable<string> ImplicitDirectories => nodes.Where(n => n.Value.Kind == NodeKind.Directory && n.Value.Mode is null).Select(n => n.Key);

    private static string Describe(Node node, bool withContent) => node.Kind switch
    {
        NodeKind.Directory => "dir " + Octal(node.Mode),
        NodeKind.Symlink => "symlink -> " + node.Text,
        _ => withContent
            ? string.Create(CultureInfo.InvariantCulture, $"file {Octal(node.Mode)} {Encoding.UTF8.GetByteCount(node.Text)} {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node.Text)))}")
            : string.Create(CultureInfo.InvariantCulture, $"file {Octal(node.Mode)} {Encoding.UTF8.GetByteCount(node.Text)}"),
    };

    private static string Octal(int? mode) => mode is int bits ? Convert.ToString(bits, 8).PadLeft(4, '0') : "?";

    private void ApplyLayer(IReadOnlyList<LayerOp> layer)
    {
        // What this layer wrote so far (paths and their parents): its whiteouts never delete them.
        var upper = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in layer)
        {
            if (op.Kind == LayerOpKind.Whiteout)
            {
                // Through a symlink this layer wrote, the lower path was replaced already: nothing of theirs is left.
                if (Resolve(op.Path, followLast: false, upper) is not { } deleted)
                {
                    continue;
                }

                if (!upper.Contains(deleted))
                {
                    DeleteTree(deleted);
                }
                else if (nodes.TryGetValue(deleted, out var node) && node.Kind == NodeKind.Directory)
                {
                    DeleteLower(deleted, upper);
                }

                continue;
            }

            if (op.Kind == LayerOpKind.Opaque)
            {
                if (Resolve(op.Path, followLast: true, upper) is { } directory
                    && (directory.Length == 0 || (nodes.TryGetValue(directory, out var node) && node.Kind == NodeKind.Directory)))
                {
                    DeleteLower(directory, upper);
                }

                continue;
            }

            var path = Resolve(op.Path, followLast: false, upper: null)!;
            EnsureParents(path);
            switch (op.Kind)
            {
                case LayerOpKind.Directory:
                    if (nodes.TryGetValue(path, out var existing) && existing.Kind == NodeKind.Directory)
                    {
                        nodes[path] = existing with { Mode = op.Mode };
                    }
                    else
                    {
                        DeleteTree(path);
                        nodes[path] = new Node(NodeKind.Directory, op.Mode, string.Empty, null);
                    }

                    break;
                case LayerOpKind.HardLink:
                    // As tar does: what is at the link's path goes first, then the target is looked up; its parents are
                    // resolved, its name is not (link(2) does not follow a final symlink).
                    DeleteTree(path);
                    var target = Resolve(op.Text, followLast: false, upper: null)!;
                    var linked = nodes.TryGetValue(target, out var found) ? Physical(found) : null;
                    if (linked is null || linked.Kind is not (NodeKind.File or NodeKind.Symlink))
                    {
                        ExtractionRefused ??= $"hard link {op.Path} -> {op.Text}: target is not a file or symlink";
                    }

                    nodes[path] = new Node(NodeKind.HardLink, op.Mode, target, linked);
                    break;
                default:
                    DeleteTree(path);
                    nodes[path] = new Node(op.Kind == LayerOpKind.File ? NodeKind.File : NodeKind.Symlink, op.Kind == LayerOpKind.File ? op.Mode : null, op.Text, null);
                    break;
            }

            for (var p = path; p.Length > 0; p = p.Contains('/', StringComparison.Ordinal) ? p[..p.LastIndexOf('/')] : string.Empty)
            {
                upper.Add(p);
            }
        }
    }

    /// <summary>Deletes what lower layers left below a directory; this layer's own entries stay.</summary>
    private void DeleteLower(string directory, HashSet<string> upper)
    {
        foreach (var path in nodes.Keys.Where(p => Within(p, directory) && p != directory && !upper.Contains(p)).ToList())
        {
            nodes.Remove(path);
        }
    }

    private void EnsureParents(string path)
    {
        var slash = -1;
        while ((slash = path.IndexOf('/', slash + 1)) >= 0)
        {
            var parent = path[..slash];
            if (nodes.TryGetValue(parent, out var node))
            {
                if (node.Kind == NodeKind.Directory)
                {
                    continue;
                }

                ExtractionRefused ??= $"parent {parent} of {path} is not a directory";
                DeleteTree(parent);
            }

            nodes[parent] = new Node(NodeKind.Directory, null, string.Empty, null);
        }
    }

    private void DeleteTree(string path)
    {
        nodes.Remove(path);
        DeleteBelow(path);
    }

    private void DeleteBelow(string directory)
    {
        foreach (var path in nodes.Keys.Where(p => Within(p, directory) && p != directory).ToList())
        {
            nodes.Remove(path);
        }
    }

    private static bool Within(string path, string directory) =>
        directory.Length == 0 || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>What a path is on disk: a hard link is the file or symlink it links to.</summary>
    private static Node Physical(Node node) => node.Kind == NodeKind.HardLink ? node.Linked ?? node : node;

    /// <summary>
    /// Resolves a path inside the root: symlinks followed (the last only with <paramref name="followLast"/>), never
    /// above the root. Null when it meets a symlink in <paramref name="upper"/> (for whiteouts: this layer's symlinks).
    /// </summary>
    private string? Resolve(string path, bool followLast, HashSet<string>? upper)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = string.Join('/', [.. resolved, part]);
            var isLast = pending.Count == 0;
            if ((!isLast || followLast) && nodes.TryGetValue(candidate, out var node) && Physical(node) is { Kind: NodeKind.Symlink } link)
            {
                if (upper?.Contains(candidate) == true)
                {
                    return null;
                }

                if (++links > MaxLinks)
                {
                    throw new SymlinkLoopException();
                }

                if (link.Text.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var targetPart in link.Text.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(targetPart);
                }

                continue;
            }

            resolved.Add(part);
        }

        return string.Join('/', resolved);
    }

    private enum NodeKind
    {
        File,
        Directory,
        Symlink,
        HardLink,
    }

    /// <summary>A node; <see cref="Text"/> is a file's content, a symlink's target or a hard link's target path; <see cref="Linked"/> is what a hard link shares its inode with.</summary>
    private sealed record Node(NodeKind Kind, int? Mode, string Text, Node? Linked);

    private sealed class SymlinkLoopException : Exception;
}
