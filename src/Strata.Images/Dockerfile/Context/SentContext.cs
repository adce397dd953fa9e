namespace Strata.Images.Dockerfile.Context;

using System.IO.Enumeration;
using Strata.Core;

/// <summary>What a context entry is, as the builder sends it.</summary>
public enum ContextEntryKind
{
    File,
    Directory,
    SymbolicLink,
}

/// <summary>One entry of the build context as sent to the builder.</summary>
/// <param name="Path">Relative to the context root, '/'-separated.</param>
/// <param name="Size">Bytes, for a file (0 for a FIFO, socket or device as well: such files are never opened).</param>
/// <param name="LinkTarget">For a symbolic link, its target as written.</param>
public sealed record ContextEntry(string Path, ContextEntryKind Kind, long Size, string? LinkTarget = null);

/// <summary>
/// A build context directory as BuildKit sends it to the builder: the entries the ignore patterns leave, walked the
/// way BuildKit's file sync walks it. A matched directory is not entered unless an exception may send back something
/// inside it; a matched directory that is entered is sent only when something under it is; symbolic links are sent as
/// links and never followed. Directories are read lazily, only where a COPY or ADD looks, and every entry read counts
/// against <see cref="MaxEntries"/>.
/// </summary>
public sealed class SentContext
{
    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);

    // One context is shared by every Dockerfile of a run that builds from it (scanned in parallel); its lazy walk is
    // not thread-safe, so each public call holds this lock.
    private readonly Lock gate = new();
    private int entriesRead;

    /// <param name="root">The context directory.</param>
    /// <param name="ignore">The ignore patterns of the build.</param>
    /// <param name="maxEntries">Most directory entries read before the walk is refused (limit <c>context-entries</c>).</param>
    public SentContext(string root, PathPatterns ignore, int maxEntries)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(ignore);
        Root = root;
        Ignore = ignore;
        MaxEntries = maxEntries;
        nodes[string.Empty] = new Node(string.Empty, MatchState.Unknown, entered: true, matched: false);
    }

    /// <inheritdoc cref="FindCore"/>
    public ContextEntry? Find(string path)
    {
        lock (gate)
        {
            return FindCore(path);
        }
    }

    /// <inheritdoc cref="ResolveCore"/>
    public ContextEntry? Resolve(string path)
    {
        lock (gate)
        {
            return ResolveCore(path);
        }
    }

    /// <inheritdoc cref="UnderCore"/>
    public IReadOnlyList<ContextEntry> Under(string directory)
    {
        lock (gate)
        {
            return UnderCore(directory);
        }
    }

    /// <inheritdoc cref="ChildrenOfCore"/>
    public IReadOnlyList<ContextEntry> ChildrenOf(string directory)
    {
        lock (gate)
        {
            return ChildrenOfCore(directory);
        }
    }

    /// <summary>The key of <c>--limits</c> that bounds the walk.</summary>
    public const string EntriesLimitKey = "context-entries";

    public string Root { get; }

    public PathPatterns Ignore { get; }

    public int MaxEntries { get; }

    /// <summary>Directory entries read so far.</summary>
    public int EntriesRead => entriesRead;

    /// <summary>The sent entry at <paramref name="path"/> (relative, clean; empty for the root), without following links; null when it is not sent.</summary>
    private ContextEntry? FindCore(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return new ContextEntry(string.Empty, ContextEntryKind.Directory, 0);
        }

        var parent = DirectoryNode(GoPath.Parent(path));
        if (parent is null || !parent.Entered)
        {
            return null;
        }

        var raw = Child(parent, path);
        if (raw is null)
        {
            return null;
        }

        if (raw.Kind != ContextEntryKind.Directory)
        {
            return Ignore.Matches(path, parent.State, out _) ? null : raw;
        }

        var node = DirectoryNode(path)!;
        return !node.Matched || (node.Entered && HasSentDescendant(node)) ? raw : null;
    }

    /// <summary>
    /// Resolves <paramref name="path"/> the way the builder resolves a COPY source: symbolic links followed, each kept
    /// inside the context (an absolute target starts at the context root, <c>..</c> stops at it). Null when a part of
    /// it is not sent or the links loop.
    /// </summary>
    private ContextEntry? ResolveCore(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pending = new Stack<string>(GoPath.Clean("/" + path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
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

            var candidate = resolved.Count == 0 ? part : string.Join('/', resolved) + "/" + part;
            var entry = Find(candidate);
            if (entry is null)
            {
                return null;
            }

            if (entry.Kind == ContextEntryKind.SymbolicLink)
            {
                if (++hops > 255 || string.IsNullOrEmpty(entry.LinkTarget))
                {
                    return null;
                }

                if (entry.LinkTarget.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var targetPart in entry.LinkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(targetPart);
                }

                continue;
            }

            resolved.Add(part);
        }

        return Find(string.Join('/', resolved));
    }

    /// <summary>
    /// Every sent entry under the sent directory <paramref name="directory"/> (not the directory itself), parents before
    /// children, in name order.
    /// </summary>
    private List<ContextEntry> UnderCore(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var node = DirectoryNode(directory);
        var sent = new List<ContextEntry>();
        if (node is not null && node.Entered)
        {
            Collect(node, sent);
        }

        return sent;
    }

    /// <summary>The sent entries directly in the sent directory <paramref name="directory"/>, in name order.</summary>
    private List<ContextEntry> ChildrenOfCore(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var node = DirectoryNode(directory);
        if (node is null || !node.Entered)
        {
            return [];
        }

        var sent = new List<ContextEntry>();
        foreach (var child in Children(node))
        {
            if (child.Kind != ContextEntryKind.Directory)
            {
                if (!Ignore.Matches(child.Path, node.State, out _))
                {
                    sent.Add(child);
                }
            }
            else if (DirectoryNode(child.Path) is { Entered: true } directoryNode && (!directoryNode.Matched || HasSentDescendant(directoryNode)))
            {
                sent.Add(child);
            }
        }

        return sent;
    }

    private void Collect(Node directory, List<ContextEntry> sent)
    {
        foreach (var child in Children(directory))
        {
            if (child.Kind != ContextEntryKind.Directory)
            {
                if (!Ignore.Matches(child.Path, directory.State, out _))
                {
                    sent.Add(child);
                }

                continue;
            }

            var node = DirectoryNode(child.Path)!;
            if (!node.Entered)
            {
                continue;
            }

            var at = sent.Count;
            Collect(node, sent);

            // A matched directory that was entered is sent only when something under it is.
            if (!node.Matched || sent.Count > at)
            {
                sent.Insert(at, child);
            }
        }
    }

    private bool HasSentDescendant(Node directory)
    {
        if (directory.HasSentDescendant is bool known)
        {
            return known;
        }

        var found = false;
        foreach (var child in Children(directory))
        {
            if (child.Kind != ContextEntryKind.Directory)
            {
                found = !Ignore.Matches(child.Path, directory.State, out _);
            }
            else
            {
                var node = DirectoryNode(child.Path)!;
                found = node.Entered && (!node.Matched || HasSentDescendant(node));
            }

            if (found)
            {
                break;
            }
        }

        directory.HasSentDescendant = found;
        return found;
    }

    /// <summary>The walk's state at a directory of the context (matched or not, entered or not), or null when no such directory is on disk.</summary>
    private Node? DirectoryNode(string path)
    {
        if (nodes.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var parent = DirectoryNode(GoPath.Parent(path));
        if (parent is null)
        {
            return null;
        }

        Node node;
        if (!parent.Entered)
        {
            // Nothing under a directory the walk does not enter is sent; it is not even read.
            node = new Node(path, MatchState.Unknown, entered: false, matched: true);
        }
        else
        {
            if (Child(parent, path) is not { Kind: ContextEntryKind.Directory })
            {
                return null;
            }

            var matched = Ignore.Matches(path, parent.State, out var state);
            node = new Node(path, state, entered: !matched || Ignore.MustEnterMatchedDirectory(path), matched);
        }

        nodes[path] = node;
        return node;
    }

    private ContextEntry? Child(Node directory, string path)
    {
        Children(directory);
        return directory.ByPath!.GetValueOrDefault(path);
    }

    private List<ContextEntry> Children(Node directory)
    {
        if (directory.Children is { } listed)
        {
            return listed;
        }

        var full = directory.Path.Length == 0 ? Root : Path.Combine(Root, directory.Path);
        var prefix = directory.Path.Length == 0 ? string.Empty : directory.Path + "/";
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        List<ContextEntry> children;
        try
        {
            children = [.. new FileSystemEnumerable<ContextEntry>(full, (ref FileSystemEntry entry) => Describe(ref entry, prefix), options)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // BuildKit fails the whole build on an unreadable directory; the model says what it can.
            throw StrataException.BadInput($"{full}: cannot read this directory of the build context ({e.Message}).");
        }

        entriesRead += children.Count;
        if (entriesRead > MaxEntries)
        {
            throw Limits.Exceeded(Root, $"more than {Limits.Number(MaxEntries)} files and directories in the build context", EntriesLimitKey);
        }

        children.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        directory.Children = children;
        directory.ByPath = children.ToDictionary(c => c.Path, StringComparer.Ordinal);
        return children;
    }

    private static ContextEntry Describe(ref FileSystemEntry entry, string prefix)
    {
        var path = prefix + entry.FileName.ToString();
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            string? target;
            try
            {
                target = new FileInfo(entry.ToFullPath()).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            return new ContextEntry(path, ContextEntryKind.SymbolicLink, 0, target);
        }

        return entry.IsDirectory ? new ContextEntry(path, ContextEntryKind.Directory, 0) : new ContextEntry(path, ContextEntryKind.File, entry.Length);
    }

    /// <summary>A directory as the walk sees it.</summary>
    private sealed class Node(string path, MatchState state, bool entered, bool matched)
    {
        public string Path { get; } = path;

        /// <summary>What the ignore patterns said of it, for its children.</summary>
        public MatchState State { get; } = state;

        /// <summary>True when the walk reads it (not matched, or matched with an exception that may send back something inside).</summary>
        public bool Entered { get; } = entered;

        public bool Matched { get; } = matched;

        public List<ContextEntry>? Children { get; set; }

        public Dictionary<string, ContextEntry>? ByPath { get; set; }

        public bool? HasSentDescendant { get; set; }
    }
}
