namespace Strata.Oci.FileSystem;

using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Strata.Oci.Layers;

/// <summary>
/// Every path an image ever held, in compact form: a tree of path segments (each node a parent id and its name's
/// UTF-8 bytes in a shared pool, repeated names stored once, found through one open-addressed table keyed by parent
/// and name), and per node its current version as a fixed-size record (type, mode and flags in one int, owner
/// interned, size, time); the rare older versions sit in a side list. No object per path: the columns live in native
/// memory (<see cref="ChunkedArray{T}"/>), and an image of millions of paths costs tens of bytes per path.
/// </summary>
internal sealed class PathTable
{
    public const int Root = 0;
    public const int None = -1;

    private const int PoolChunkBytes = 1 << 20;

    /// <summary>Slots of the recent-names cache (a power of two).</summary>
    private const int NameCacheSize = 1 << 16;

    private readonly ChunkedArray<int> parents = new();
    private readonly ChunkedArray<int> names = new();
    private readonly ChunkedArray<int> firstChild = new();
    private readonly ChunkedArray<int> nextSibling = new();
    private readonly ChunkedArray<VersionRecord> current = new();

    /// <summary>Older versions (a later layer changed or deleted the path), newest first through <see cref="OlderVersion.Previous"/>.</summary>
    private readonly ChunkedArray<OlderVersion> older = new();
    private readonly Dictionary<int, int> olderHead = [];

    private readonly List<byte[]> pool = [];
    private readonly Dictionary<Owner, int> ownerIds = [];
    private readonly List<Owner> owners = [];
    private readonly List<EntryExtras> extras = [];
    private int poolUsed = PoolChunkBytes;

    /// <summary>
    /// Node ids by hash of (parent, name), linear probing, at most 3/4 full: one int per slot and no chain link per
    /// node. Grown by rehashing the nodes themselves, so the old array is freed before the new one is allocated.
    /// </summary>
    private NativeArray<int> slots = new(1024, None);
    private int hashed;

    /// <summary>
    /// Where in the pool a recently stored name is, by the name's hash (direct-mapped, fixed size): names that repeat
    /// across directories (node_modules, __init__.py, index.js, package.json) are stored once, at no per-path cost.
    /// </summary>
    private readonly int[] nameCache = new int[NameCacheSize];
    private ulong[] marks = new ulong[16];
    private char[] lastFound = [];
    private int lastFoundLength;
    private int lastFoundId;

    public PathTable()
    {
        Array.Fill(nameCache, None);
        AddNode(None, Array.Empty<byte>(), 0);
    }

    /// <summary>Nodes, including the root and any that never had a version.</summary>
    public int NodeCount => parents.Count;

    /// <summary>Paths that have at least one version.</summary>
    public int PathCount { get; private set; }

    public int ParentOf(int id) => parents[id];

    public bool HasVersion(int id) => current[id].PackedLayer != VersionRecord.LayerInExtras || current[id].Extra >= 0;

    public bool Exists(int id) => HasVersion(id) && current[id].Change != PathChange.Deleted;

    public int LayerOf(in VersionRecord record) => record.PackedLayer != VersionRecord.LayerInExtras ? record.PackedLayer : extras[record.Extra].Layer;

    public int ModeOf(in VersionRecord record) => record.Extra >= 0 && extras[record.Extra].Mode is int mode ? mode : record.Mode;

    public long SizeOf(in VersionRecord record) => record.Extra >= 0 && extras[record.Extra].Size is long size ? size : record.SmallSize;

    /// <summary>The record with another change, implicit flag and layer (the layer may need new extras).</summary>
    public VersionRecord With(in VersionRecord record, PathChange change, bool isImplicit, int layer)
    {
        var changed = record.With(change, isImplicit);
        if (layer == LayerOf(record))
        {
            return changed;
        }

        var extra = record.Extra;
        if (layer >= VersionRecord.LayerInExtras || (extra >= 0 && extras[extra].Layer >= 0))
        {
            var copy = (extra >= 0 ? extras[extra] : EntryExtras.None) with { Layer = layer >= VersionRecord.LayerInExtras ? layer : -1 };
            extra = extras.Count;
            extras.Add(copy);
        }

        return changed with { Bits = (changed.Bits & ~(0x7FF << 21)) | (Math.Min(layer, VersionRecord.LayerInExtras) << 21), Extra = extra };
    }

    /// <summary>The current record (the last version; for a deleted path, the deletion).</summary>
    public ref VersionRecord Current(int id) => ref current[id];

    public bool HasOlderVersions(int id) => olderHead.ContainsKey(id);

    /// <summary>The type of the entry at a path in the merged tree, or null when nothing is there.</summary>
    public EntryType? LiveType(int id) => Exists(id) ? current[id].Type : null;

    public string? LinkTargetOf(in VersionRecord record) => record.Extra >= 0 ? extras[record.Extra].LinkTarget : null;

    public (long Uid, long Gid) OwnerOf(in VersionRecord record) => (owners[record.Owner].Uid, owners[record.Owner].Gid);

    /// <summary>Each version of a node, oldest first.</summary>
    public List<VersionRecord> Versions(int id)
    {
        var list = new List<VersionRecord>(1);
        if (olderHead.TryGetValue(id, out var head))
        {
            for (var i = head; i != None; i = older[i].Previous)
            {
                list.Add(older[i].Record);
            }

            list.Reverse();
        }

        if (HasVersion(id))
        {
            list.Add(current[id]);
        }

        return list;
    }

    /// <summary>Makes <paramref name="record"/> the node's newest version, keeping the one it had as an older version.</summary>
    public void AddVersion(int id, VersionRecord record)
    {
        if (!HasVersion(id))
        {
            PathCount++;
        }
        else
        {
            var previous = olderHead.TryGetValue(id, out var head) ? head : None;
            olderHead[id] = older.Add(new OlderVersion(current[id], previous));
        }

        current[id] = record;
    }

    /// <summary>The record for an entry (what a version stores of it; the path is the node's).</summary>
    public VersionRecord RecordOf(LayerEntry entry, int layer, PathChange change, bool isImplicit)
    {
        var path = entry.Path;
        var raw = entry.RawName;
        var rawForm = -1;
        var prefixed = raw.StartsWith("./", StringComparison.Ordinal) ? 2 : 0;
        var body = raw.AsSpan(prefixed);
        if (body.SequenceEqual(path))
        {
            rawForm = prefixed == 0 ? 0 : 2;
        }
        else if (body.Length == path.Length + 1 && body[^1] == '/' && body.StartsWith(path))
        {
            rawForm = prefixed == 0 ? 1 : 3;
        }

        return Record(entry.Type, entry.Mode, change, isImplicit, rawForm, raw, layer, new Owner(entry.Uid, entry.Gid, entry.UserName, entry.GroupName), entry.Size, entry.ModifiedTime, entry.LinkTarget, entry.DeviceMajor, entry.DeviceMinor, entry.Xattrs);
    }

    /// <summary>An implicit parent directory (the layer did not list it): mode 0755, root's, the child's time.</summary>
    public VersionRecord ImplicitDirectory(int layer, DateTimeOffset modified)
    {
        return Record(EntryType.Directory, 0x1ED, PathChange.Added, isImplicit: true, rawForm: 1, raw: string.Empty, layer, new Owner(0, 0, null, null), 0, modified, null, 0, 0, null);
    }

    private VersionRecord Record(EntryType type, int mode, PathChange change, bool isImplicit, int rawForm, string raw, int layer, Owner owner, long size, DateTimeOffset modified, string? linkTarget, int deviceMajor, int deviceMinor, IReadOnlyDictionary<string, string>? xattrs)
    {
        var plainMode = mode is >= 0 and <= 0xFFF;
        var plainSize = size is >= 0 and <= uint.MaxValue;
        var ticks = modified.UtcTicks - DateTimeOffset.UnixEpoch.Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var plainTime = modified.Offset == TimeSpan.Zero && ticks % TimeSpan.TicksPerSecond == 0 && seconds is >= int.MinValue and <= int.MaxValue;
        var extra = None;
        if (linkTarget is not null || rawForm < 0 || deviceMajor != 0 || deviceMinor != 0 || xattrs is not null || !plainTime || !plainMode || !plainSize || layer >= VersionRecord.LayerInExtras)
        {
            extra = extras.Count;
            extras.Add(new EntryExtras(
                linkTarget,
                rawForm < 0 ? raw : null,
                deviceMajor,
                deviceMinor,
                xattrs,
                plainTime ? null : modified,
                plainMode ? null : mode,
                plainSize ? null : size,
                layer >= VersionRecord.LayerInExtras ? layer : -1));
        }

        return new VersionRecord(
            VersionRecord.Pack(type, plainMode ? mode : 0, change, isImplicit, Math.Max(0, rawForm), layer),
            OwnerId(owner),
            extra,
            plainSize ? (uint)size : 0,
            plainTime ? (int)seconds : 0);
    }

    /// <summary>The entry a record stands for, at <paramref name="path"/>.</summary>
    public LayerEntry EntryOf(string path, in VersionRecord record)
    {
        var extra = record.Extra >= 0 ? extras[record.Extra] : null;
        var owner = owners[record.Owner];
        var raw = extra?.RawName ?? record.RawForm switch
        {
            0 => path,
            1 => path + "/",
            2 => "./" + path,
            _ => "./" + path + "/",
        };
        return new LayerEntry
        {
            Path = path,
            Type = record.Type,
            RawName = raw,
            LinkTarget = extra?.LinkTarget,
            Mode = extra?.Mode ?? record.Mode,
            Uid = owner.Uid,
            Gid = owner.Gid,
            UserName = owner.UserName,
            GroupName = owner.GroupName,
            Size = SizeOf(record),
            ModifiedTime = extra?.Modified ?? DateTimeOffset.FromUnixTimeSeconds(record.Seconds),
            DeviceMajor = extra?.DeviceMajor ?? 0,
            DeviceMinor = extra?.DeviceMinor ?? 0,
            Xattrs = extra?.Xattrs,
        };
    }

    /// <summary>The node of a normalised path, or <see cref="None"/>.</summary>
    /// <param name="remember">Start from, and keep, the last path found this way (one thread only: the merge).</param>
    public int Find(ReadOnlySpan<char> path, bool remember = false)
    {
        // Symlink resolution asks for each prefix of a path in turn (usr, usr/lib, usr/lib/x): start from the last
        // one found when it is a prefix, so each step looks up one segment. Nodes are never removed, so it stays true.
        var id = Root;
        var rest = path;
        var known = remember ? lastFound.AsSpan(0, lastFoundLength) : [];
        if (known.Length > 0 && path.StartsWith(known, StringComparison.Ordinal) && (path.Length == known.Length || path[known.Length] == '/'))
        {
            id = lastFoundId;
            rest = path.Length == known.Length ? [] : path[(known.Length + 1)..];
        }

        while (rest.Length > 0 && id != None)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            id = segment.Length == 0 ? id : Child(id, segment, create: false);
        }

        if (remember && id != None && path.Length > 0)
        {
            if (lastFound.Length < path.Length)
            {
                lastFound = new char[Math.Max(256, path.Length * 2)];
            }

            path.CopyTo(lastFound);
            lastFoundLength = path.Length;
            lastFoundId = id;
        }

        return id;
    }

    /// <summary>The node of a normalised path, created (with its parents) when missing.</summary>
    public int GetOrAdd(ReadOnlySpan<char> path)
    {
        var id = Root;
        while (path.Length > 0)
        {
            var slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path[..slash];
            path = slash < 0 ? [] : path[(slash + 1)..];
            if (segment.Length > 0)
            {
                id = Child(id, segment, create: true);
            }
        }

        return id;
    }

    /// <summary>The children of a node (every one ever recorded, deleted ones too).</summary>
    public ChildList Children(int id) => new(this, firstChild[id]);

    public bool HasChildren(int id) => firstChild[id] != None;

    /// <summary>The full path of a node (<c>""</c> for the root).</summary>
    public string PathOf(int id)
    {
        if (id == Root)
        {
            return string.Empty;
        }

        var length = -1;
        for (var n = id; n != Root; n = parents[n])
        {
            length += Encoding.UTF8.GetCharCount(NameBytes(n)) + 1;
        }

        return string.Create(length, (this, id), static (span, state) =>
        {
            var (table, node) = state;
            var end = span.Length;
            for (var n = node; n != Root; n = table.parents[n])
            {
                var bytes = table.NameBytes(n);
                var chars = Encoding.UTF8.GetCharCount(bytes);
                Encoding.UTF8.GetChars(bytes, span.Slice(end - chars, chars));
                end -= chars;
                if (end > 0)
                {
                    span[--end] = '/';
                }
            }
        });
    }

    public string NameOf(int id) => Encoding.UTF8.GetString(NameBytes(id));

    /// <summary>Marks a node as written by the current layer (see <see cref="ClearMarks"/>).</summary>
    public bool Mark(int id)
    {
        var word = id >> 6;
        if (word >= marks.Length)
        {
            Array.Resize(ref marks, Math.Max(marks.Length * 2, word + 1));
        }

        var bit = 1UL << (id & 63);
        if ((marks[word] & bit) != 0)
        {
            return false;
        }

        marks[word] |= bit;
        return true;
    }

    public bool IsMarked(int id) => (id >> 6) < marks.Length && (marks[id >> 6] & (1UL << (id & 63))) != 0;

    public void ClearMarks() => Array.Clear(marks);

    /// <summary>
    /// Nodes with a version, sorted as their paths compare ordinally (so <c>a</c>, <c>a-b</c>, <c>a/c</c>: a
    /// directory's subtree sorts as its name followed by <c>/</c>, not right after the directory).
    /// </summary>
    public int[] Sorted(Func<int, bool> include)
    {
        var result = new int[PathCount];
        var count = 0;
        if (HasVersion(Root) && include(Root))
        {
            result[count++] = Root;
        }

        var stack = new Stack<(SortItem[] Items, int Next)>();
        stack.Push((SortedItems(Root), 0));
        while (stack.Count > 0)
        {
            var (items, next) = stack.Pop();
            if (next >= items.Length)
            {
                continue;
            }

            stack.Push((items, next + 1));
            var item = items[next];
            if (item.Subtree)
            {
                stack.Push((SortedItems(item.Node), 0));
            }
            else if (include(item.Node))
            {
                result[count++] = item.Node;
            }
        }

        // Exactly sized when every path is wanted (the common case); trimmed otherwise.
        return count == result.Length ? result : result[..count];
    }

    /// <summary>Bytes held by the table's arrays (for the memory bench).</summary>
    public long AllocatedBytes =>
        parents.AllocatedBytes + names.AllocatedBytes + firstChild.AllocatedBytes + nextSibling.AllocatedBytes
        + current.AllocatedBytes + older.AllocatedBytes + ((long)slots.Length * sizeof(int)) + ((long)nameCache.Length * 4) + ((long)pool.Count * PoolChunkBytes) + ((long)marks.Length * 8);

    private SortItem[] SortedItems(int directory)
    {
        var items = new List<SortItem>();
        for (var child = firstChild[directory]; child != None; child = nextSibling[child])
        {
            if (HasVersion(child))
            {
                items.Add(new SortItem(child, false));
            }

            if (firstChild[child] != None)
            {
                items.Add(new SortItem(child, true));
            }
        }

        var array = items.ToArray();
        Array.Sort(array, CompareItems);
        return array;
    }

    private int CompareItems(SortItem a, SortItem b)
    {
        var x = NameBytes(a.Node);
        var y = NameBytes(b.Node);
        if (NeedsUtf16Order(x) || NeedsUtf16Order(y))
        {
            return string.CompareOrdinal(Encoding.UTF8.GetString(x) + (a.Subtree ? "/" : string.Empty), Encoding.UTF8.GetString(y) + (b.Subtree ? "/" : string.Empty));
        }

        // UTF-8 byte order is code point order, which is UTF-16 ordinal order below U+E000.
        var common = Math.Min(x.Length, y.Length);
        var order = x[..common].SequenceCompareTo(y[..common]);
        if (order != 0)
        {
            return order;
        }

        int At(ReadOnlySpan<byte> name, bool subtree, int index) => index < name.Length ? name[index] : index == name.Length && subtree ? '/' : -1;
        for (var i = common; ; i++)
        {
            var c = At(x, a.Subtree, i);
            var d = At(y, b.Subtree, i);
            if (c != d || c < 0)
            {
                return c.CompareTo(d);
            }
        }
    }

    /// <summary>Lead bytes of U+E000 and above, where UTF-16 order (surrogates first) differs from code point order.</summary>
    private static bool NeedsUtf16Order(ReadOnlySpan<byte> name) => name.IndexOfAnyInRange((byte)0xEE, (byte)0xF4) >= 0;

    private int Child(int parent, ReadOnlySpan<char> segment, bool create)
    {
        var max = Encoding.UTF8.GetMaxByteCount(segment.Length);
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var bytes = buffer[..Encoding.UTF8.GetBytes(segment, buffer)];
            var nameHash = NameHash(bytes);
            var hash = Hash(parent, nameHash);
            var mask = slots.Length - 1;
            for (var slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                var n = slots[slot];
                if (n == None)
                {
                    return create ? AddNode(parent, bytes, nameHash) : None;
                }

                if (parents[n] == parent && NameBytes(n).SequenceEqual(bytes))
                {
                    return n;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private int AddNode(int parent, ReadOnlySpan<byte> name, int nameHash)
    {
        var id = parents.Add(parent);
        names.Add(Store(name, nameHash));
        firstChild.Add(None);
        current.Add(VersionRecord.Empty);
        if (parent == None)
        {
            nextSibling.Add(None);
            return id;
        }

        nextSibling.Add(firstChild[parent]);
        firstChild[parent] = id;
        if ((long)(hashed + 1) * 4 > (long)slots.Length * 3)
        {
            Grow();
        }

        Insert(id, Hash(parent, nameHash));
        return id;
    }

    private void Insert(int id, int hash)
    {
        var mask = slots.Length - 1;
        var slot = hash & mask;
        while (slots[slot] != None)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot] = id;
        hashed++;
    }

    /// <summary>Doubles the slots and re-inserts every hashed node (all but the root and the one being added).</summary>
    private void Grow()
    {
        var size = slots.Length * 2;

        // Free the old array first: it is not needed to rebuild (the nodes are), so the two are never both held.
        slots.Free();
        slots = new NativeArray<int>(size, None);
        var count = hashed;
        hashed = 0;
        for (var n = 1; n <= count; n++)
        {
            Insert(n, Hash(parents[n], NameHash(NameBytes(n))));
        }
    }

    private static int NameHash(ReadOnlySpan<byte> name)
    {
        var hash = new HashCode();
        hash.AddBytes(name);
        return hash.ToHashCode();
    }

    private static int Hash(int parent, int nameHash) => HashCode.Combine(parent, nameHash) & int.MaxValue;

    /// <summary>Stores a name in the pool as a varint length and its bytes, unless the same name was stored recently; returns where.</summary>
    private int Store(ReadOnlySpan<byte> name, int nameHash)
    {
        var cached = nameCache[nameHash & (NameCacheSize - 1)];
        if (cached != None && BytesAt(cached).SequenceEqual(name))
        {
            return cached;
        }


        var need = name.Length + 5;
        if (need > PoolChunkBytes)
        {
            throw new ArgumentException("A path segment longer than the name pool's chunk.", nameof(name));
        }

        if (poolUsed + need > PoolChunkBytes)
        {
            pool.Add(new byte[PoolChunkBytes]);
            poolUsed = 0;
        }

        var chunk = pool[^1];
        var start = ((pool.Count - 1) * PoolChunkBytes) + poolUsed;
        var length = (uint)name.Length;
        while (length >= 0x80)
        {
            chunk[poolUsed++] = (byte)(length | 0x80);
            length >>= 7;
        }

        chunk[poolUsed++] = (byte)length;
        name.CopyTo(chunk.AsSpan(poolUsed));
        poolUsed += name.Length;
        nameCache[nameHash & (NameCacheSize - 1)] = start;
        return start;
    }

    private ReadOnlySpan<byte> NameBytes(int id) => BytesAt(names[id]);

    private ReadOnlySpan<byte> BytesAt(int start)
    {
        var chunk = pool[start / PoolChunkBytes];
        var at = start % PoolChunkBytes;
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = chunk[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return chunk.AsSpan(at, length);
    }

    private int OwnerId(Owner owner)
    {
        if (!ownerIds.TryGetValue(owner, out var id))
        {
            id = owners.Count;
            owners.Add(owner);
            ownerIds[owner] = id;
        }

        return id;
    }

    /// <summary>The children of one node, enumerated without allocating.</summary>
    public readonly struct ChildList(PathTable table, int first)
    {
        public Enumerator GetEnumerator() => new(table, first);

        public struct Enumerator(PathTable table, int first)
        {
            private int next = first;

            public int Current { get; private set; } = None;

            public bool MoveNext()
            {
                if (next == None)
                {
                    return false;
                }

                Current = next;
                next = table.nextSibling[next];
                return true;
            }
        }
    }

    private readonly record struct SortItem(int Node, bool Subtree);

    private readonly record struct Owner(long Uid, long Gid, string? UserName, string? GroupName);

    private readonly record struct OlderVersion(VersionRecord Record, int Previous);

    /// <summary>What few entries have: a link target, an unusual tar name, device numbers, xattrs, a local time offset, a mode beyond 16 bits.</summary>
    private sealed record EntryExtras(string? LinkTarget, string? RawName, int DeviceMajor, int DeviceMinor, IReadOnlyDictionary<string, string>? Xattrs, DateTimeOffset? Modified, int? Mode, long? Size, int Layer)
    {
        public static readonly EntryExtras None = new(null, null, 0, 0, null, null, null, null, -1);
    }
}

/// <summary>
/// One version of a path in 20 bytes: mode (12 bits), type, change, flags and layer packed in one int, then owner,
/// extras, size and time. What does not fit (a mode beyond 07777, a layer past 2046, a size of 4 GiB or more, a time
/// outside 1901-2038 or with a fraction of a second) is kept in the extras.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct VersionRecord(int Bits, int Owner, int Extra, uint SmallSize, int Seconds)
{
    /// <summary>The layer field's value when the layer is in the extras (or there is no version yet).</summary>
    public const int LayerInExtras = 0x7FF;

    public static readonly VersionRecord Empty = new(LayerInExtras << 21, 0, -1, 0, 0);

    public int Mode => Bits & 0xFFF;

    public EntryType Type => (EntryType)((Bits >> 12) & 0xF);

    public PathChange Change => (PathChange)((Bits >> 16) & 0x3);

    public bool Implicit => (Bits & (1 << 18)) != 0;

    /// <summary>How the tar named the entry: 0 its path, 1 path + "/", 2 "./" + path, 3 "./" + path + "/" (others are in the extras).</summary>
    public int RawForm => (Bits >> 19) & 0x3;

    public int PackedLayer => (Bits >> 21) & 0x7FF;

    public static int Pack(EntryType type, int mode, PathChange change, bool isImplicit, int rawForm, int layer) =>
        (mode & 0xFFF) | ((int)type << 12) | ((int)change << 16) | (isImplicit ? 1 << 18 : 0) | (rawForm << 19) | (Math.Min(layer, LayerInExtras) << 21);

    public VersionRecord With(PathChange change, bool isImplicit) =>
        this with { Bits = (Bits & ~((0x3 << 16) | (1 << 18))) | ((int)change << 16) | (isImplicit ? 1 << 18 : 0) };
}
