namespace Strata.Oci.Tests;

using CsCheck;
using Strata.Core;
using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Resolution;
using Strata.Oci.Tests.Support;
using Strata.Testing;

/// <summary>
/// Random layer stacks (files, directories, symlinks, hard links, whiteouts, opaque directories, re-adds, type
/// changes) read by the real readers must give the tree <see cref="ReferenceLayerModel"/> gives. A failure prints the
/// seed and the shrunk stack as C#; each one found is kept below as a plain regression test.
/// </summary>
public sealed class LayerStackPropertyTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-layer-props");

    public void Dispose() => temp.Dispose();

    /// <summary>300 stacks take about 5 s (up to 20 s on a loaded 2-core machine); set CsCheck_Seed to replay a failure.</summary>
    [Fact]
    public async Task Layered_file_system_and_extraction_equal_the_reference_model()
    {
        await LayerOp.Stacks.SampleAsync(CheckAsync, iter: 300, threads: 1, print: LayerOp.Describe);
    }

    /// <summary>A whiteout or opaque marker below a file deletes nothing; the extractor refused the layer ("parent is not a directory").</summary>
    [Fact]
    public Task Whiteout_below_a_file_deletes_nothing() => CheckAsync(
    [
        [new(LayerOpKind.File, "c", 0x1A4, "KW"), new(LayerOpKind.Opaque, "c/c")],
        [new(LayerOpKind.Whiteout, "c/a")],
    ]);

    /// <summary>
    /// A whiteout after the same layer wrote below the path: what lower layers left there goes, this layer's entry
    /// stays. The extractor skipped the whiteout (the path was "this layer's"), keeping the lower file.
    /// </summary>
    [Fact]
    public Task Whiteout_after_the_layer_wrote_below_the_path_still_deletes_the_lower_files() => CheckAsync(
    [
        [new(LayerOpKind.File, "a/x", 0x1A4, "lower")],
        [new(LayerOpKind.File, "a/y", 0x1A4, "upper"), new(LayerOpKind.Whiteout, "a")],
    ]);

    /// <summary>
    /// An opaque marker after the same layer made its directory a looping symlink: the marker is about the lower
    /// directory, which the symlink replaced. The extractor followed the new symlink and refused the image (a loop).
    /// </summary>
    [Fact]
    public Task Whiteout_does_not_follow_a_symlink_its_own_layer_wrote() => CheckAsync(
    [
        [new(LayerOpKind.File, "a/c/a", 0x1A4, "lower")],
        [new(LayerOpKind.Symlink, "a", 0x1FF, "/a"), new(LayerOpKind.Opaque, "a"), new(LayerOpKind.Symlink, "b", 0x1FF, "c"), new(LayerOpKind.Whiteout, "b/x")],
    ]);

    /// <summary>A hard link to a symlink is that symlink: a later path through it resolves through it, as on disk. LayeredFileSystem took it for a plain file and replaced it by a directory.</summary>
    [Fact]
    public Task Hard_link_to_a_symlink_is_followed_like_the_symlink() => CheckAsync(
    [
        [new(LayerOpKind.Symlink, "b", 0x1FF, "."), new(LayerOpKind.File, "c/x", 0x1A4, "lower")],
        [new(LayerOpKind.HardLink, "a", 0x1A4, "b"), new(LayerOpKind.File, "a/c", 0x1A4, "through the link")],
    ]);

    /// <summary>A hard link over a symlink: the symlink goes first, so the target is not looked up through it (LayeredFileSystem linked to what the symlink led to).</summary>
    [Fact]
    public Task Hard_link_replacing_a_symlink_does_not_resolve_its_target_through_it() => CheckAsync(
    [
        [new(LayerOpKind.File, "a/b", 0x1A4, "lower"), new(LayerOpKind.Symlink, "c", 0x1FF, "/a")],
        [new(LayerOpKind.HardLink, "c", 0x1A4, "c/b")],
    ]);

    private async Task CheckAsync(LayerOp[][] stack)
    {
        var root = temp.Combine(Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await CheckStackAsync(stack, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Checks one stack: LayeredFileSystem against the model's metadata view, the extracted tree against its disk view.</summary>
    private static async Task CheckStackAsync(IReadOnlyList<LayerOp[]> stack, string root)
    {
        var model = ReferenceLayerModel.Apply(stack);
        var reference = OciLayoutWriter.WriteSingle(Path.Combine(root, "layout"), [.. stack.Select((ops, i) => OciLayoutWriter.Plain(LayerOp.Tar(ops), "layer " + i))]);
        var image = await ImageResolver.OpenAsync(reference, ImageOpenOptions.Default, CancellationToken.None);

        if (model.Loop)
        {
            await Assert.ThrowsAsync<StrataException>(() => LayeredFileSystem.BuildAsync(image, CancellationToken.None));
        }
        else
        {
            var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
            var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var history in fileSystem.List())
            {
                actual[history.Path] = Describe(history.Current!);
            }

            AssertSameTree("LayeredFileSystem", Masked(model.MetadataView(), actual, model), actual);
        }

        var target = Path.Combine(root, "rootfs");
        if (model.Loop || model.ExtractionRefused is not null)
        {
            await Assert.ThrowsAsync<StrataException>(() => ImageExtractor.ExtractAsync(image, target, null, CancellationToken.None));
            Assert.Empty(Directory.EnumerateFileSystemEntries(target));
            return;
        }

        await ImageExtractor.ExtractAsync(image, target, null, CancellationToken.None);
        var extracted = TreeSnapshot.Take(target);
        AssertSameTree("extracted tree", Masked(model.DiskView(), extracted, model), extracted);
    }

    /// <summary>Directories no entry described may have any mode: take the reader's, so only their presence is compared.</summary>
    private static SortedDictionary<string, string> Masked(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual, ReferenceLayerModel model)
    {
        foreach (var path in model.ImplicitDirectories)
        {
            if (actual.TryGetValue(path, out var line) && line.StartsWith("dir ", StringComparison.Ordinal))
            {
                expected[path] = line;
            }
        }

        return expected;
    }

    private static void AssertSameTree(string what, SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var diff = TreeSnapshot.Diff(expected, actual);
        Assert.True(diff.Length == 0, $"{what} differs from the reference model:\n{diff}");
    }

    private static string Describe(LayerEntry entry) => entry.Type switch
    {
        EntryType.Directory => "dir " + Convert.ToString(entry.Mode, 8).PadLeft(4, '0'),
        EntryType.Symlink => "symlink -> " + entry.LinkTarget,
        EntryType.HardLink => "hardlink -> " + entry.LinkTarget,
        EntryType.File => $"file {Convert.ToString(entry.Mode, 8).PadLeft(4, '0')} {entry.Size}",
        _ => entry.Type.ToString(),
    };
}
