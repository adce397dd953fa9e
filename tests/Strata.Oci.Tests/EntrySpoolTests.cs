namespace Strata.Oci.Tests;

using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Oci.Resolution;

/// <summary>
/// The spool that holds a layer read ahead of its turn: entries come back exactly, in order, from memory and after
/// spilling to a temporary file; and the layered filesystem built with layers arriving out of order (so spooled,
/// past the budget) equals the one built in order, whiteouts and opaque directories included.
/// </summary>
public sealed class EntrySpoolTests
{
    [Fact]
    public void Entries_come_back_in_order_and_whole()
    {
        LayerEntry[] entries =
        [
            new() { Path = "a", Type = EntryType.Directory, RawName = "./a/", Mode = 0x1ED, ModifiedTime = DateTimeOffset.FromUnixTimeSeconds(5) },
            new()
            {
                Path = "a/\uFFFD\u00E9..",
                Type = EntryType.Symlink,
                RawName = "a/\uFFFD\u00E9..",
                LinkTarget = "../../etc/passwd",
                Mode = 0xFFF,
                Uid = long.MaxValue,
                Gid = -1,
                UserName = string.Empty,
                GroupName = "g",
                Size = long.MaxValue,
                ModifiedTime = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.FromHours(-11)),
                DeviceMajor = int.MaxValue,
                DeviceMinor = int.MinValue,
                Xattrs = new Dictionary<string, string> { ["security.capability"] = "\u0001\u0000", [string.Empty] = string.Empty },
            },
            new() { Path = new string('p', 70_000), Type = EntryType.Whiteout, RawName = ".wh." + new string('p', 70_000) },
        ];
        using var spool = new EntrySpool();
        foreach (var entry in entries)
        {
            spool.Write(entry);
        }

        Assert.Equal(3, spool.Count);
        var back = spool.Drain().ToList();

        Assert.Equal(entries.Length, back.Count);
        for (var i = 0; i < entries.Length; i++)
        {
            AssertSame(entries[i], back[i]);
        }

        Assert.Equal(0, spool.Count);
        Assert.Empty(spool.Drain());
    }

    [Fact]
    public void Past_the_budget_the_spool_moves_to_a_temporary_file_that_disappears()
    {
        var before = SpoolFiles();
        var entries = Enumerable.Range(0, 60_000).Select(i => File($"dir{i / 1000}/file-{i:000000}-{new string('x', 40)}", i)).ToList();
        List<LayerEntry> back;
        List<string> spilled;
        using (var spool = new EntrySpool())
        {
            foreach (var entry in entries)
            {
                spool.Write(entry);
            }

            spilled = [.. SpoolFiles().Except(before)];
            Assert.NotEmpty(spilled);
            back = [.. spool.Drain()];
        }

        Assert.DoesNotContain(spilled, System.IO.File.Exists);
        Assert.Equal(entries.Count, back.Count);
        for (var i = 0; i < entries.Count; i += 997)
        {
            AssertSame(entries[i], back[i]);
        }

        AssertSame(entries[^1], back[^1]);
    }

    /// <summary>
    /// Later layers delivered before earlier ones wait in spools (one past its memory budget); the result equals the
    /// in-order build: a file renamed by whiteout and re-add, an opaque directory, a deleted directory brought back.
    /// </summary>
    [Fact]
    public async Task Layers_merged_out_of_order_equal_layers_merged_in_order()
    {
        LayerEntry[][] layers =
        [
            [Directory("app"), File("app/old.conf", 1), Directory("cache"), File("cache/a", 2), File("cache/b", 3), File("gone/x", 4)],
            [
                new() { Path = "app/old.conf", Type = EntryType.Whiteout, RawName = "app/.wh.old.conf" },
                File("app/new.conf", 5),
                new() { Path = "cache", Type = EntryType.OpaqueWhiteout, RawName = "cache/.wh..wh..opq" },
                File("cache/c", 6),
                new() { Path = "gone", Type = EntryType.Whiteout, RawName = ".wh.gone" },
            ],
            [.. Enumerable.Range(0, 50_000).Select(i => File($"bulk/d{i / 500}/f{i}-{new string('y', 60)}", i)), File("gone/y", 7)],
        ];

        var inOrder = await BuildAsync(layers, [0, 1, 2]);
        var outOfOrder = await BuildAsync(layers, [2, 1, 0]);

        Assert.Equal(inOrder, outOfOrder);
        Assert.DoesNotContain("app/old.conf", inOrder.Keys);
        Assert.Contains("app/new.conf", inOrder.Keys);
        Assert.DoesNotContain("cache/a", inOrder.Keys);
        Assert.Contains("cache/c", inOrder.Keys);
        Assert.DoesNotContain("gone/x", inOrder.Keys);
        Assert.Contains("gone/y", inOrder.Keys);
        Assert.Equal(50_000 + 100 + 1 + 6, inOrder.Count);
    }

    private static async Task<SortedDictionary<string, string>> BuildAsync(LayerEntry[][] layers, int[] delivery)
    {
        var builder = new LayeredFileSystem.Builder();
        var imageLayers = layers.Select((_, i) => Layer(i)).ToList();
        var visitors = imageLayers.Select(builder.BeginLayer).ToList();
        foreach (var index in delivery)
        {
            foreach (var entry in layers[index])
            {
                await visitors[index].VisitAsync(entry, null, CancellationToken.None);
            }

            await visitors[index].EndLayerAsync(CancellationToken.None);
        }

        var fileSystem = builder.Build(imageLayers);
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var history in fileSystem.List())
        {
            tree[history.Path] = string.Join(" | ", history.Versions.Select(v => $"{v.LayerIndex} {v.Change} {v.Entry}"));
        }

        return tree;
    }

    private static ImageLayer Layer(int index)
    {
        var digest = Digest.Sha256Of([(byte)index]);
        var descriptor = new Descriptor { MediaType = "application/vnd.oci.image.layer.v1.tar", Digest = digest, Size = 1 };
        return new ImageLayer(index, descriptor, digest, LayerCompression.None, null);
    }

    private static LayerEntry File(string path, long size) => new()
    {
        Path = path,
        Type = EntryType.File,
        RawName = path,
        Mode = 0x1A4,
        Size = size,
        ModifiedTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + size),
    };

    private static LayerEntry Directory(string path) => new() { Path = path, Type = EntryType.Directory, RawName = path + "/", Mode = 0x1ED };

    private static HashSet<string> SpoolFiles() => [.. System.IO.Directory.EnumerateFiles(Path.GetTempPath(), "strata-entries-*")];

    private static void AssertSame(LayerEntry expected, LayerEntry actual)
    {
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.RawName, actual.RawName);
        Assert.Equal(expected.LinkTarget, actual.LinkTarget);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.Gid, actual.Gid);
        Assert.Equal(expected.UserName, actual.UserName);
        Assert.Equal(expected.GroupName, actual.GroupName);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.ModifiedTime, actual.ModifiedTime);
        Assert.Equal(expected.ModifiedTime.Offset, actual.ModifiedTime.Offset);
        Assert.Equal(expected.DeviceMajor, actual.DeviceMajor);
        Assert.Equal(expected.DeviceMinor, actual.DeviceMinor);
        Assert.Equal(expected.Xattrs?.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Xattrs?.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
