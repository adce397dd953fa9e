namespace Strata.Oci.Tests.Registry;

using Strata.Core;
using Strata.Core.Findings;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", null, "docker.io/library/alpine:latest")]
    [InlineData("alpine:3.19", "docker.io", "library/alpine", "3.19", "docker.io/library/alpine:3.19")]
    [InlineData("library/alpine", "docker.io", "library/alpine", null, "docker.io/library/alpine:latest")]
    [InlineData("user/repo:v1", "docker.io", "user/repo", "v1", "docker.io/user/repo:v1")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", null, "docker.io/library/alpine:latest")]
    [InlineData("index.docker.io/alpine:edge", "docker.io", "library/alpine", "edge", "docker.io/library/alpine:edge")]
    [InlineData("docker.io/bitnami/redis", "docker.io", "bitnami/redis", null, "docker.io/bitnami/redis:latest")]
    [InlineData("localhost/foo", "localhost", "foo", null, "localhost/foo:latest")]
    [InlineData("localhost:5000/foo/bar:v1", "localhost:5000", "foo/bar", "v1", "localhost:5000/foo/bar:v1")]
    [InlineData("127.0.0.1:5000/test/single:v1", "127.0.0.1:5000", "test/single", "v1", "127.0.0.1:5000/test/single:v1")]
    [InlineData("quay.io/a/b/c", "quay.io", "a/b/c", null, "quay.io/a/b/c:latest")]
    [InlineData("[::1]:5000/foo:x", "[::1]:5000", "foo", "x", "[::1]:5000/foo:x")]
    [InlineData("Registry.Example.COM/foo", "Registry.Example.COM", "foo", null, "Registry.Example.COM/foo:latest")]
    [InlineData("Foo/bar", "Foo", "bar", null, "Foo/bar:latest")]
    [InlineData("example.com/a.b-c_d__e---f/g", "example.com", "a.b-c_d__e---f/g", null, "example.com/a.b-c_d__e---f/g:latest")]
    [InlineData("localhost:5000", "docker.io", "library/localhost", "5000", "docker.io/library/localhost:5000")]
    [InlineData("foo:_Tag.With-Chars", "docker.io", "library/foo", "_Tag.With-Chars", "docker.io/library/foo:_Tag.With-Chars")]
    public void Parses_and_normalizes_like_docker(string text, string registry, string repository, string? tag, string canonical)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Null(reference.Digest);
        Assert.Equal(tag ?? "latest", reference.ManifestReference);
        Assert.Equal(canonical, reference.ToString());
        Assert.Equal(text, reference.Original);
    }

    [Fact]
    public void Docker_hub_is_served_by_its_api_host()
    {
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("alpine").ApiHost);
        Assert.Equal("localhost:5000", ImageReference.Parse("localhost:5000/x").ApiHost);
    }

    [Fact]
    public void Digest_wins_over_tag_and_both_are_kept()
    {
        var byDigest = ImageReference.Parse("quay.io/a/b@" + Sha);
        Assert.Equal(Sha, byDigest.ManifestReference);
        Assert.Null(byDigest.Tag);
        Assert.Equal("quay.io/a/b@" + Sha, byDigest.ToString());

        var both = ImageReference.Parse("ghcr.io/x/y:1.0@" + Sha);
        Assert.Equal("1.0", both.Tag);
        Assert.Equal(Sha, both.Digest?.ToString());
        Assert.Equal(Sha, both.ManifestReference);
        Assert.Equal("ghcr.io/x/y:1.0@" + Sha, both.ToString());

        var pinned = ImageReference.Parse("alpine:3").WithDigest(Digest.Parse(Sha, "test"));
        Assert.Equal(Sha, pinned.ManifestReference);
    }

    [Fact]
    public void Tag_length_is_bounded_at_128()
    {
        Assert.Equal(128, ImageReference.Parse("a:" + new string('t', 128)).Tag?.Length);
        Assert.Throws<StrataException>(() => ImageReference.Parse("a:" + new string('t', 129)));
    }

    [Fact]
    public void Name_length_is_bounded_at_255_after_normalization()
    {
        // docker.io/library/ (18) + 237 = 255.
        Assert.Equal(255, ImageReference.Parse(new string('a', 237)).Name.Length);
        var error = Assert.Throws<StrataException>(() => ImageReference.Parse(new string('a', 238)));
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
        Assert.Throws<StrataException>(() => ImageReference.Parse("example.com/" + new string('b', 250)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Alpine", "lowercase")]
    [InlineData("docker.io/Library/alpine", "lowercase")]
    [InlineData("example.com/foo/Bar:v1", "lowercase")]
    [InlineData("alpine:", "invalid tag")]
    [InlineData("alpine:-bad", "invalid tag")]
    [InlineData("alpine:.bad", "invalid tag")]
    [InlineData("alpine:tag with space", "invalid tag")]
    [InlineData("alpine:ta\u00e9g", "invalid tag")]
    [InlineData("alpine:v1\n", "invalid tag")]
    [InlineData("alpine@sha256:abc", "invalid digest")]
    [InlineData("alpine@md5:d41d8cd98f00b204e9800998ecf8427e", "invalid digest")]
    [InlineData("alpine@SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "invalid digest")]
    [InlineData("alpine@" + Sha + ":tag", "invalid digest")]
    [InlineData("alpine@", "invalid digest")]
    [InlineData("foo//bar", "invalid repository name")]
    [InlineData("-foo/bar", "invalid repository name")]
    [InlineData("foo/bar_/baz", "invalid repository name")]
    [InlineData("foo/.bar", "invalid repository name")]
    [InlineData("foo/bar/", "invalid repository name")]
    [InlineData("foo___bar", "invalid repository name")]
    [InlineData("foo:bar:baz", "invalid repository name")]
    [InlineData("\u00fcmlaut/foo", "invalid repository name")]
    [InlineData("ex ample.com/foo", "invalid registry")]
    [InlineData("http://example.com/foo", "invalid registry")]
    [InlineData("my_host.com/foo", "invalid registry")]
    [InlineData("-host.com/foo", "invalid registry")]
    [InlineData("host.com:port/foo", "invalid registry")]
    [InlineData(":5000/foo", "invalid registry")]
    [InlineData(":tag", "missing repository")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "image ID")]
    public void Rejects_invalid_references_naming_the_text(string text, string reason)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);

        var error = Assert.Throws<StrataException>(() => ImageReference.Parse(text));
        Assert.Equal(ExitCode.Usage, error.ExitCode);

        // Named as every message quotes input: control characters replaced, anything shaped like a token redacted.
        Assert.Contains($"'{Redaction.Quote(text, 300)}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_long_input_is_rejected_without_echoing_all_of_it()
    {
        var text = new string('a', 100_000);
        var error = Assert.Throws<StrataException>(() => ImageReference.Parse(text));
        Assert.True(error.Message.Length < 500, error.Message);
    }
}
