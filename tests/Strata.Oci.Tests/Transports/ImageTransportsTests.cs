namespace Strata.Oci.Tests.Transports;

using Strata.Core;
using Strata.Oci.Resolution;
using Strata.Oci.Tests.Support;
using Strata.Oci.Transports;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>The one transport table: every local format is recognised without its prefix and opens to the same image.</summary>
[Collection(BuiltImageFixtureGroup.Name)]
public sealed class ImageTransportsTests(BuiltImageFixture fixture)
{
    public static TheoryData<string, string> LocalPaths => new()
    {
        { "oci", "oci" },
        { "image.oci.tar", "oci-archive" },
        { "image.docker.tar", "docker-archive" },
        { "dir", "dir" },
    };

    [Theory]
    [MemberData(nameof(LocalPaths))]
    public async Task A_local_image_is_recognised_without_its_prefix_and_opens_like_the_prefixed_reference(string relative, string transport)
    {
        var path = Path.Combine(fixture.Directory, relative);
        Assert.Equal(transport, ImageTransports.Recognise(path)?.Name);
        var located = ImageTransports.Locate(path);
        Assert.Equal(ImageTransports.All.Single(t => t.Name == transport).Prefix + path, located);

        var byPath = await ImageResolver.OpenAsync(located, ImageOpenOptions.Default, CancellationToken.None);
        await using (byPath.Source)
        {
            var byReference = await ImageResolver.OpenAsync(fixture.References["oci"], ImageOpenOptions.Default, CancellationToken.None);
            await using (byReference.Source)
            {
                Assert.Equal(byReference.Config.DiffIds, byPath.Config.DiffIds);
            }
        }
    }

    [Fact]
    public void Names_prefixes_and_syntaxes_are_listed_once_in_table_order()
    {
        Assert.Equal(["oci", "oci-archive", "docker-archive", "dir", "docker"], ImageTransports.All.Select(t => t.Name));
        Assert.Equal("oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:DIR, docker://REF", ImageTransports.Syntaxes);
        Assert.All(ImageTransports.All, t => Assert.StartsWith(t.Name, t.Prefix, StringComparison.Ordinal));
        Assert.Equal("docker", ImageTransports.ByPrefix("docker://alpine")?.Name);
        Assert.Equal("oci-archive", ImageTransports.ByPrefix("oci-archive:x.tar")?.Name);
        Assert.Null(ImageTransports.ByPrefix("alpine:3.20"));
        Assert.Equal("docker://alpine:3.20", ImageTransports.Locate("alpine:3.20"));
    }

    [Fact]
    public void Files_that_are_not_images_are_recognised_by_no_transport()
    {
        using var dir = new TempDirectory();
        Assert.Null(ImageTransports.Recognise(dir.WriteFile("notes.tar", "not a tar at all")));
        Assert.Null(ImageTransports.Recognise(dir.WriteFile("Dockerfile", "FROM scratch\n")));
        Assert.Null(ImageTransports.Recognise(dir.Path));
        var error = Assert.Throws<StrataException>(() => ImageTransports.Locate(dir.Path));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.Contains(ImageTransports.Syntaxes, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_transport_and_an_empty_reference_name_the_valid_syntax()
    {
        var unknown = await Assert.ThrowsAsync<StrataException>(() => ImageTransports.OpenSourceAsync("ocii:/x", ImageOpenOptions.Default, CancellationToken.None));
        Assert.Contains(ImageTransports.Syntaxes, unknown.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<StrataException>(() => ImageTransports.OpenSourceAsync("oci:", ImageOpenOptions.Default, CancellationToken.None));
        Assert.Contains("expected oci:DIR[:TAG|@DIGEST]", empty.Message, StringComparison.Ordinal);
    }
}
