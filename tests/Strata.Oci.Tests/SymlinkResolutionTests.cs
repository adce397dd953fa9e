namespace Strata.Oci.Tests;

using System.Formats.Tar;
using Strata.Core;
using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;
using Strata.Oci.Tests.Support;
using Strata.Testing;

/// <summary>
/// Later layers writing through symlinked directories (usrmerge's bin -> usr/bin): resolved inside the root as
/// umoci (securejoin) does, never out of it; the extractor and the layered filesystem agree on where entries land.
/// </summary>
public sealed class SymlinkResolutionTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-symlinks");

    public void Dispose() => temp.Dispose();

    private string Layout => temp.Combine("layout");

    private string Target => temp.Combine("strata", "rootfs");

    private static void Directory(TarWriter writer, string path) => OciLayoutWriter.AddEntry(writer, TarEntryType.Directory, path + "/");

    private static void Symlink(TarWriter writer, string path, string target) => OciLayoutWriter.AddEntry(writer, TarEntryType.SymbolicLink, path, target, 0x1FF);

    private static LayerBlob UsrMergeBase() => OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
    {
        Directory(w, "usr");
        Directory(w, "usr/bin");
        Directory(w, "usr/lib");
        Directory(w, "etc");
        Symlink(w, "bin", "usr/bin");
        Symlink(w, "lib", "/usr/lib");
        OciLayoutWriter.AddFile(w, "usr/bin/sh", "#!shell\n", 0x1ED);
        OciLayoutWriter.AddFile(w, "usr/bin/old", "old\n", 0x1ED);
        OciLayoutWriter.AddFile(w, "usr/lib/libc.so", "libc\n");
    }), "base");

    private async Task<string> UmociUnpackAsync(string reference)
    {
        var bundle = temp.Combine("umoci");
        await ExternalTool.RunCheckedAsync("umoci", "unpack", "--rootless", "--image", reference["oci:".Length..], bundle);
        return Path.Combine(bundle, "rootfs");
    }

    private static async Task<ResolvedImage> OpenAsync(string reference) =>
        await ImageResolver.OpenAsync(reference, ImageOpenOptions.Default, CancellationToken.None);

    [Fact]
    public async Task Usrmerge_later_layer_writing_bin_x_lands_in_usr_bin_like_umoci()
    {
        var later = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "bin/x", "new tool\n", 0x1ED);
            OciLayoutWriter.AddEntry(w, TarEntryType.HardLink, "bin/x-again", "bin/x");
            OciLayoutWriter.AddFile(w, "bin/.wh.old", string.Empty);
            OciLayoutWriter.AddFile(w, "lib/libnew.so", "new lib\n");
        }), "install x");
        var reference = OciLayoutWriter.WriteSingle(Layout, UsrMergeBase(), later);

        var image = await OpenAsync(reference);
        await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        var umoci = await UmociUnpackAsync(reference);

        var diff = TreeSnapshot.Diff(TreeSnapshot.Take(umoci), TreeSnapshot.Take(Target));
        Assert.True(diff.Length == 0, $"extracted tree differs from umoci's:\n{diff}");
        Assert.Equal("new tool\n", File.ReadAllText(Path.Combine(Target, "usr", "bin", "x")));
        Assert.Equal("usr/bin", new FileInfo(Path.Combine(Target, "bin")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(Target, "usr", "bin", "old")));
        Assert.True(File.Exists(Path.Combine(Target, "usr", "lib", "libnew.so")));

        // The model agrees with the extracted tree: entries recorded where they landed.
        var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
        var x = fileSystem.Find("usr/bin/x");
        Assert.NotNull(x);
        Assert.Equal(1, x.AddedIn);
        Assert.Equal("bin/x", x.Current!.RawName);
        Assert.Null(fileSystem.Find("bin/x"));
        Assert.Equal(EntryType.Symlink, fileSystem.Current("bin")!.Type);
        Assert.Equal("usr/bin/x", fileSystem.Current("usr/bin/x-again")!.LinkTarget);
        Assert.Equal([1], fileSystem.Find("usr/bin/old")!.DeletedIn);
        Assert.NotNull(fileSystem.Current("usr/lib/libnew.so"));
        Assert.Equal("usr/bin/sh", fileSystem.Resolve("/bin/sh"));
        Assert.Equal("usr/bin", fileSystem.Resolve("bin", followLast: true));
        Assert.Equal("bin", fileSystem.Resolve("bin"));
        Assert.Equal(TreeSnapshot.Take(Target).Keys.Where(k => !k.StartsWith(".strata", StringComparison.Ordinal)), ExistingPaths(fileSystem));
    }

    [Fact]
    public async Task Symlink_loop_is_a_clear_error()
    {
        var loop = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            Symlink(w, "a", "b");
            Symlink(w, "b", "a");
        }));
        var write = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "a/x", "never")));
        var reference = OciLayoutWriter.WriteSingle(Layout, loop, write);

        var error = await Assert.ThrowsAsync<StrataException>(async () =>
            await ImageExtractor.ExtractAsync(await OpenAsync(reference), Target, null, CancellationToken.None));
        Assert.Contains("a/x", error.Message, StringComparison.Ordinal);
        Assert.Contains("symlink loop", error.Message, StringComparison.Ordinal);
        Assert.Contains(write.Digest, error.Message, StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(Target));

        error = await Assert.ThrowsAsync<StrataException>(async () =>
            await LayeredFileSystem.BuildAsync(await OpenAsync(reference), CancellationToken.None));
        Assert.Contains("symlink loop", error.Message, StringComparison.Ordinal);
        Assert.Contains("a/x", error.Message, StringComparison.Ordinal);

        // umoci refuses it too (ELOOP), so refusing is not a Strata-only strictness.
        var umoci = await ExternalTool.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{Layout}:latest", temp.Combine("umoci")]);
        Assert.NotEqual(0, umoci.ExitCode);
    }

    [Fact]
    public async Task Symlinks_climbing_out_are_clamped_to_the_root_like_umoci()
    {
        var outside = temp.Combine("outside");
        System.IO.Directory.CreateDirectory(outside);
        var links = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            Directory(w, "etc");
            Symlink(w, "up", "/etc/../..");
            Symlink(w, "rel", "etc/../../../..");
            Symlink(w, "abs", outside);
        }));
        var write = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "up/x", "x");
            OciLayoutWriter.AddFile(w, "rel/y", "y");
            OciLayoutWriter.AddFile(w, "abs/z", "z");
        }));
        var reference = OciLayoutWriter.WriteSingle(Layout, links, write);

        var image = await OpenAsync(reference);
        await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(temp.Combine("strata", "x")));
        Assert.Equal("x", File.ReadAllText(Path.Combine(Target, "x")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(Target, "y")));
        Assert.Equal("z", File.ReadAllText(Path.Combine(Target, outside.TrimStart('/'), "z")));

        var umoci = await UmociUnpackAsync(reference);
        var diff = TreeSnapshot.Diff(TreeSnapshot.Take(umoci), TreeSnapshot.Take(Target));
        Assert.True(diff.Length == 0, $"extracted tree differs from umoci's:\n{diff}");

        var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
        Assert.NotNull(fileSystem.Current("x"));
        Assert.NotNull(fileSystem.Current("y"));
        Assert.NotNull(fileSystem.Current(outside.TrimStart('/') + "/z"));
        Assert.Equal(string.Empty, fileSystem.Resolve("up", followLast: true));
    }

    [Theory]
    [InlineData("bin/sh", "usr/bin/sh")]
    [InlineData("bin", "usr/bin")]
    [InlineData("up/etc/passwd", "etc/passwd")]
    [InlineData("chain/x", "usr/bin/x")]
    [InlineData("abs/../../../x", "x")]
    [InlineData("usr/bin/sh", "usr/bin/sh")]
    [InlineData("missing/../bin/sh", "usr/bin/sh")]
    public void Resolve_follows_links_inside_the_root(string path, string expected)
    {
        var links = new Dictionary<string, string>
        {
            ["bin"] = "usr/bin",
            ["up"] = "/etc/../..",
            ["chain"] = "bin/../bin",
            ["abs"] = "/usr/lib/deep",
        };
        Assert.Equal(expected, ScopedPath.Resolve(path, p => links.GetValueOrDefault(p.ToString()), "test"));
    }

    [Fact]
    public void Resolve_returns_the_same_string_when_nothing_is_a_symlink()
    {
        const string path = "usr/lib/x86_64-linux-gnu/libc.so.6";
        Assert.Same(path, ScopedPath.ResolveParent(path, _ => null, "test"));
        Assert.Same(path, ScopedPath.Resolve(path, _ => null, "test"));
    }

    [Fact]
    public void Self_loop_stops_after_the_link_limit()
    {
        var followed = 0;
        var error = Assert.Throws<StrataException>(() => ScopedPath.Resolve("self/x", p =>
        {
            followed++;
            return p.SequenceEqual("self") ? "self" : null;
        }, "layer 1"));
        Assert.StartsWith("layer 1: ", error.Message, StringComparison.Ordinal);
        Assert.InRange(followed, ScopedPath.MaxLinks, ScopedPath.MaxLinks + 3);
    }

    private static List<string> ExistingPaths(LayeredFileSystem fileSystem)
    {
        var paths = new List<string>();
        foreach (var history in fileSystem.List())
        {
            paths.Add(history.Path);
        }

        return paths;
    }
}
