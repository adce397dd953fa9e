namespace Strata.Oci.Tests;

using CsCheck;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;

/// <summary>
/// The compact path table on its own: nodes by path, parents and children, versions (a deletion and a re-add keep
/// the history), hostile names, growth past many resizes, and random operations against a plain dictionary model.
/// </summary>
public sealed class PathTableTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Paths_are_found_with_their_parents_and_children()
    {
        var table = new PathTable();
        var file = table.GetOrAdd("usr/lib/x.so");
        var lib = table.Find("usr/lib");
        var usr = table.Find("usr");

        Assert.Equal(file, table.Find("usr/lib/x.so"));
        Assert.Equal(lib, table.ParentOf(file));
        Assert.Equal(usr, table.ParentOf(lib));
        Assert.Equal(PathTable.Root, table.ParentOf(usr));
        Assert.Equal(PathTable.Root, table.Find(string.Empty));
        Assert.Equal(PathTable.None, table.Find("usr/lib/y.so"));
        Assert.Equal(PathTable.None, table.Find("usr/lib/x.so/below"));
        Assert.Equal(file, table.GetOrAdd("usr/lib/x.so"));
        Assert.Equal("usr/lib/x.so", table.PathOf(file));
        Assert.Equal("x.so", table.NameOf(file));

        var other = table.GetOrAdd("usr/lib/y.so");
        Assert.Equal(new[] { file, other }.Order(), Children(table, lib).Order());
        Assert.True(table.HasChildren(lib));
        Assert.False(table.HasChildren(file));

        // Nodes made on the way have no version until one is added.
        Assert.Equal(0, table.PathCount);
        Assert.False(table.HasVersion(lib));
        Assert.Null(table.LiveType(lib));
    }

    [Fact]
    public void The_same_name_in_different_directories_is_a_different_node()
    {
        var table = new PathTable();
        var a = table.GetOrAdd("a/node_modules/index.js");
        var b = table.GetOrAdd("b/node_modules/index.js");

        Assert.NotEqual(a, b);
        Assert.Equal("a/node_modules/index.js", table.PathOf(a));
        Assert.Equal("b/node_modules/index.js", table.PathOf(b));
        Assert.Equal(a, table.Find("a/node_modules/index.js"));
        Assert.Equal(b, table.Find("b/node_modules/index.js"));
    }

    [Fact]
    public void A_deleted_path_keeps_its_history_and_can_come_back()
    {
        var table = new PathTable();
        var id = table.GetOrAdd("etc/app.conf");
        var added = table.RecordOf(Entry("etc/app.conf", EntryType.File, 0x1A4, 10), 0, PathChange.Added, isImplicit: false);
        table.AddVersion(id, added);
        Assert.True(table.Exists(id));
        Assert.Equal(1, table.PathCount);

        // As a whiteout does: the last entry with the change Deleted, in the later layer.
        table.AddVersion(id, table.With(added, PathChange.Deleted, isImplicit: false, layer: 1));
        Assert.True(table.HasVersion(id));
        Assert.False(table.Exists(id));
        Assert.Null(table.LiveType(id));
        Assert.True(table.HasOlderVersions(id));

        // Renamed back in a third layer (a rename in a layer is a whiteout of the old name and an add of the new).
        table.AddVersion(id, table.RecordOf(Entry("etc/app.conf", EntryType.Symlink, 0x1FF, 0, "other.conf"), 2, PathChange.Added, isImplicit: false));
        Assert.True(table.Exists(id));
        Assert.Equal(EntryType.Symlink, table.LiveType(id));
        Assert.Equal("other.conf", table.LinkTargetOf(table.Current(id)));
        Assert.Equal(1, table.PathCount);

        var versions = table.Versions(id);
        Assert.Equal([PathChange.Added, PathChange.Deleted, PathChange.Added], versions.Select(v => v.Change));
        Assert.Equal([0, 1, 2], versions.Select(v => table.LayerOf(v)));
        Assert.Equal(10, table.SizeOf(versions[0]));
    }

    [Fact]
    public void Entries_come_back_as_they_were_written()
    {
        var table = new PathTable();
        var plain = Entry("bin/tool", EntryType.File, 0x9ED, 4096, rawName: "./bin/tool");
        var unusual = new LayerEntry
        {
            Path = "dev/null",
            Type = EntryType.CharDevice,
            RawName = "dev//null",
            Mode = 0x1B6,
            Uid = 70000,
            Gid = 3,
            UserName = "someone",
            GroupName = "tty",
            Size = 5L << 32,
            ModifiedTime = new DateTimeOffset(2001, 2, 3, 4, 5, 6, 789, TimeSpan.FromHours(2)),
            DeviceMajor = 1,
            DeviceMinor = 3,
            Xattrs = new Dictionary<string, string> { ["user.x"] = "y" },
        };

        foreach (var (entry, layer) in new[] { (plain, 0), (unusual, 3000) })
        {
            var id = table.GetOrAdd(entry.Path);
            table.AddVersion(id, table.RecordOf(entry, layer, PathChange.Added, isImplicit: false));
            var back = table.EntryOf(entry.Path, table.Current(id));
            Assert.Equal(entry.ToString(), back.ToString());
            Assert.Equal(entry.RawName, back.RawName);
            Assert.Equal(entry.ModifiedTime, back.ModifiedTime);
            Assert.Equal(entry.ModifiedTime.Offset, back.ModifiedTime.Offset);
            Assert.Equal((entry.Uid, entry.Gid), table.OwnerOf(table.Current(id)));
            Assert.Equal(entry.UserName, back.UserName);
            Assert.Equal(entry.DeviceMinor, back.DeviceMinor);
            Assert.Equal(entry.Xattrs?.Count, back.Xattrs?.Count);
            Assert.Equal(layer, table.LayerOf(table.Current(id)));
        }
    }

    [Theory]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData(" ")]
    [InlineData("\uFFFD\uFFFD")]
    [InlineData("caf\u00E9/\u65E5\u672C/\U0001F600")]
    [InlineData("a\\b")]
    [InlineData("\u0001\u007F")]
    public void Hostile_names_are_kept_byte_for_byte(string path)
    {
        var table = new PathTable();
        var id = table.GetOrAdd(path);

        Assert.Equal(path, table.PathOf(id));
        Assert.Equal(id, table.Find(path));
        Assert.NotEqual(PathTable.Root, id);
    }

    [Fact]
    public void Empty_segments_are_skipped()
    {
        var table = new PathTable();
        var id = table.GetOrAdd("a//b/");

        Assert.Equal("a/b", table.PathOf(id));
        Assert.Equal(id, table.Find("a/b"));
        Assert.Equal(PathTable.Root, table.GetOrAdd(string.Empty));
    }

    [Fact]
    public void A_very_long_name_is_kept_and_one_longer_than_the_pool_chunk_is_refused()
    {
        var table = new PathTable();
        var longName = new string('n', 100_000);
        var id = table.GetOrAdd("d/" + longName);
        Assert.Equal("d/" + longName, table.PathOf(id));
        Assert.Equal(id, table.Find("d/" + longName));

        Assert.Throws<ArgumentException>(() => table.GetOrAdd(new string('x', 2 << 20)));
    }

    [Fact]
    public void Sorted_orders_paths_ordinally_as_strings_do()
    {
        var table = new PathTable();
        string[] paths = ["a", "a-b", "a/c", "a/c/d", "b", "\uE000", "\U0001F600", "A", "a.", "a0"];
        foreach (var path in paths)
        {
            var id = table.GetOrAdd(path);
            table.AddVersion(id, table.RecordOf(Entry(path, EntryType.Directory, 0x1ED, 0), 0, PathChange.Added, isImplicit: false));
        }

        var sorted = table.Sorted(table.Exists).Select(table.PathOf);

        Assert.Equal(paths.Order(StringComparer.Ordinal), sorted);
    }

    /// <summary>Far past several resizes of the hash table: every node is still found, and names are shared.</summary>
    [Fact]
    public void Many_nodes_survive_every_resize()
    {
        var table = new PathTable();
        var ids = new int[50_000];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = table.GetOrAdd($"pkg{i / 100}/file{i % 100}.js");
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(ids[i], table.Find($"pkg{i / 100}/file{i % 100}.js"));
        }

        Assert.Equal(ids.Length + (ids.Length / 100) + 1, table.NodeCount);
        Assert.Equal("pkg499/file99.js", table.PathOf(ids[^1]));
    }

    /// <summary>Random adds, deletions and lookups give what a dictionary of paths gives.</summary>
    [Fact]
    public void Random_operations_equal_a_dictionary_model()
    {
        var names = new[] { "a", "b", "..", "node_modules", "\uFFFD", "\u00E9", "a-b", "x.y", new string('l', 300) };
        var paths = Gen.Int[0, names.Length - 1].Array[1, 4].Select(parts => string.Join('/', parts.Select(i => names[i])));
        var operations = Gen.Select(Gen.Int[0, 2], paths, Gen.Int[0, 5]).Array[1, 80];
        operations.Sample(ops =>
        {
            var table = new PathTable();
            var model = new Dictionary<string, List<(PathChange Change, int Layer)>>(StringComparer.Ordinal);
            foreach (var (kind, path, layer) in ops)
            {
                var id = table.GetOrAdd(path);
                var history = model.TryGetValue(path, out var h) ? h : model[path] = [];
                if (kind < 2)
                {
                    table.AddVersion(id, table.RecordOf(Entry(path, kind == 0 ? EntryType.File : EntryType.Directory, 0x1A4, layer), layer, PathChange.Added, isImplicit: false));
                    history.Add((PathChange.Added, layer));
                }
                else if (table.Exists(id))
                {
                    table.AddVersion(id, table.With(table.Current(id), PathChange.Deleted, isImplicit: false, layer));
                    history.Add((PathChange.Deleted, layer));
                }
            }

            foreach (var (path, history) in model)
            {
                var id = table.Find(path);
                Assert.Equal(path, table.PathOf(id));
                Assert.Equal(history, table.Versions(id).Select(v => (v.Change, table.LayerOf(v))));
                Assert.Equal(history.Count > 0 && history[^1].Change != PathChange.Deleted, table.Exists(id));
            }

            var withVersions = model.Where(p => p.Value.Count > 0).Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.Equal(withVersions, table.Sorted(table.HasVersion).Select(table.PathOf));
            Assert.Equal(model.Count(p => p.Value.Count > 0), table.PathCount);

            // Every node's children are exactly the model's paths one segment below it.
            foreach (var path in model.Keys.Append(string.Empty))
            {
                var expected = model.Keys.Where(p => ParentOf(p) == path).Order(StringComparer.Ordinal);
                var id = table.Find(path);
                Assert.Equal(expected, Children(table, id).Select(table.PathOf).Where(model.ContainsKey).Order(StringComparer.Ordinal));
            }
        }, iter: 300, threads: 1);
    }

    private static string? ParentOf(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : string.Empty;

    private static List<int> Children(PathTable table, int id)
    {
        var list = new List<int>();
        foreach (var child in table.Children(id))
        {
            list.Add(child);
        }

        return list;
    }

    private static LayerEntry Entry(string path, EntryType type, int mode, long size, string? link = null, string? rawName = null) => new()
    {
        Path = path,
        Type = type,
        RawName = rawName ?? path,
        Mode = mode,
        Size = size,
        LinkTarget = link,
        ModifiedTime = Time,
    };
}
