namespace Strata.Oci.Tests;

using Strata.Core;
using Strata.Oci.Extraction;
using Strata.Oci.Registry;
using Strata.Oci.Resolution;
using Strata.Testing;

/// <summary>FIFOs where an image store or a credentials file should be: refused at once, never waited on.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-special");

    public void Dispose() => temp.Dispose();

    private string Layout => temp.Combine("layout");

    private static LayerBlob SimpleLayer() => OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/hello", "hello\n")));

    [Fact]
    public async Task An_oci_layout_whose_index_json_is_a_fifo_is_refused_naming_it()
    {
        var reference = OciLayoutWriter.WriteSingle(Layout, SimpleLayer());
        File.Delete(Path.Combine(Layout, "index.json"));
        await SpecialFiles.MakeFifoAsync(Path.Combine(Layout, "index.json"));

        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => ImageResolver.OpenAsync(reference, ImageOpenOptions.Default, CancellationToken.None)));
        Assert.Contains($"oci:{Layout}: index.json: is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Error, error.ExitCode);
    }

    [Fact]
    public async Task A_layer_blob_that_is_a_fifo_is_refused_naming_it()
    {
        var layer = SimpleLayer();
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);
        var blob = new OciLayoutWriter(Layout).BlobPath(layer.Digest);
        File.Delete(blob);
        await SpecialFiles.MakeFifoAsync(blob);

        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(async () =>
        {
            var image = await ImageResolver.OpenAsync(reference, ImageOpenOptions.Default, CancellationToken.None);
            return await ImageExtractor.ExtractAsync(image, temp.Combine("out"), null, CancellationToken.None);
        }));
        Assert.Contains(layer.Digest.Split(':')[1], error.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_that_is_a_fifo_is_refused()
    {
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("image.tar"));
        foreach (var transport in new[] { "oci-archive:", "docker-archive:" })
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => ImageResolver.OpenAsync(transport + fifo, ImageOpenOptions.Default, CancellationToken.None)));
            Assert.Contains($"{fifo}: is a FIFO", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_authfile_that_is_a_fifo_is_refused_naming_it()
    {
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("auth.json"));
        var store = new CredentialStore([fifo], explicitFile: true);
        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => store.FindAsync("registry.example", "team/app", CancellationToken.None)));
        Assert.Contains($"{fifo}: is a FIFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authfile_of_endless_zeros_is_refused()
    {
        // A character device reports length 0: the old length check let it be read until memory ran out.
        var store = new CredentialStore(["/dev/zero"], explicitFile: true);
        var error = await Assert.ThrowsAsync<StrataException>(() => SpecialFiles.WithinHangLimit(() => store.FindAsync("registry.example", "team/app", CancellationToken.None)));
        Assert.Contains("/dev/zero: is a character device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directories_made_for_an_entry_without_its_own_get_the_entry_time_not_1901()
    {
        var layer = OciLayoutWriter.Plain(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "opt/app/conf/app.conf", "x=1\n")));
        var image = await ImageResolver.OpenAsync(OciLayoutWriter.WriteSingle(Layout, layer), ImageOpenOptions.Default, CancellationToken.None);
        var target = temp.Combine("rootfs");
        await ImageExtractor.ExtractAsync(image, target, null, CancellationToken.None);

        var entryTime = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(entryTime, File.GetLastWriteTimeUtc(Path.Combine(target, "opt/app/conf/app.conf")));
        foreach (var directory in new[] { "opt", "opt/app", "opt/app/conf" })
        {
            Assert.Equal(entryTime, Directory.GetLastWriteTimeUtc(Path.Combine(target, directory)));
        }
    }
}
