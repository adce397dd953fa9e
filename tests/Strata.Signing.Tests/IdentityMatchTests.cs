namespace Strata.Signing.Tests;

using Strata.Signing.Identity;
using Strata.Signing.Policy;

/// <summary>The cases of containers/image's policy_reference_match_test.go, rewritten as xunit theories.</summary>
public sealed class IdentityMatchTests
{
    private const string FullRhel = "registry.access.redhat.com/rhel7/rhel:7.2.3";
    private const string UntaggedRhel = "registry.access.redhat.com/rhel7/rhel";
    private const string D = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string DOther = "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    // Exact match; symmetric.
    private static readonly (string A, string B, bool Result)[] ExactTable =
    [
        ("busybox:latest", "busybox:latest", true),
        (FullRhel, FullRhel, true),
        ("busybox" + D, "busybox" + D, true),
        ("library/busybox:latest", "busybox:latest", true),
        ("docker.io/library/busybox:latest", "busybox:latest", true),
        ("library/busybox" + D, "busybox" + D, true),
        ("busybox:latest", "busybox:notlatest", false),
        ("busybox:latest", "notbusybox:latest", false),
        ("busybox:latest", "hostname/library/busybox:notlatest", false),
        ("hostname/library/busybox:latest", "busybox:notlatest", false),
        ("busybox:latest", FullRhel, false),
        ("busybox" + D, "notbusybox" + D, false),
        ("busybox:latest", "busybox" + D, false),
        ("busybox" + D, "busybox" + DOther, false),
        ("busybox", "busybox:latest", false),
        ("busybox", "busybox" + D, false),
        ("busybox", "busybox", false),
        ("busybox:latest" + D, "busybox:latest" + D, true),
        ("busybox:latest" + D, "busybox:latest" + DOther, false),
        ("busybox:latest" + D, "busybox:notlatest" + D, false),
        ("busybox:latest" + D, "busybox" + D, false),
        ("busybox:latest" + D, "busybox:latest", false),
        ("UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", "busybox:latest", false),
        (string.Empty, "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", false),
        ("INVALID", "INVALID", false),
    ];

    // Repository match; symmetric.
    private static readonly (string A, string B, bool Result)[] RepositoryTable =
    [
        ("busybox:latest", "busybox:latest", true),
        (FullRhel, FullRhel, true),
        ("busybox" + D, "busybox" + D, true),
        ("library/busybox:latest", "busybox:latest", true),
        ("docker.io/library/busybox:latest", "busybox:latest", true),
        ("library/busybox" + D, "busybox" + D, true),
        ("busybox:latest", "busybox:notlatest", true),
        (FullRhel + "tagsuffix", FullRhel, true),
        ("library/busybox:latest", "busybox:notlatest", true),
        ("busybox:latest", "library/busybox:notlatest", true),
        ("docker.io/library/busybox:notlatest", "busybox:latest", true),
        ("busybox:notlatest", "docker.io/library/busybox:latest", true),
        ("busybox:latest", "busybox" + D, true),
        ("busybox" + D, "busybox" + DOther, true),
        ("busybox", "busybox:notlatest", true),
        (FullRhel, UntaggedRhel, true),
        ("busybox", "busybox" + D, true),
        ("library/busybox", "busybox", true),
        ("docker.io/library/busybox", "busybox", true),
        ("busybox:latest", "notbusybox:latest", false),
        ("hostname/library/busybox:latest", "busybox:notlatest", false),
        ("busybox:latest", FullRhel, false),
        ("busybox" + D, "notbusybox" + D, false),
        ("busybox:latest" + D, "busybox:latest" + D, true),
        ("busybox:latest" + D, "busybox:latest" + DOther, true),
        ("busybox:latest" + D, "busybox:notlatest" + D, true),
        ("busybox:latest" + D, "busybox" + D, true),
        ("busybox:latest" + D, "busybox:latest", true),
        ("UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", "busybox:latest", false),
        (string.Empty, "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES", false),
        ("INVALID", "INVALID", false),
    ];

    private static readonly (string Image, string Signed, bool Result)[] RepoDigestOrExactTable =
    [
        ("busybox:latest", "busybox:notlatest", false),
        (FullRhel + "tagsuffix", FullRhel, false),
        ("library/busybox:latest", "busybox:notlatest", false),
        ("busybox:latest", "library/busybox:notlatest", false),
        ("docker.io/library/busybox:notlatest", "busybox:latest", false),
        ("busybox:notlatest", "docker.io/library/busybox:latest", false),
        ("busybox", "busybox:latest", false),
        ("busybox:latest", "busybox", false),
        ("busybox", "busybox" + D, false),
        ("busybox" + D, "busybox", false),
        (FullRhel, UntaggedRhel, false),
        ("busybox", "busybox", false),
        ("busybox:latest", "busybox" + D, false),
        ("busybox" + D, "busybox:latest", true),
        ("busybox" + D, "busybox" + DOther, true),
        ("busybox:latest" + D, "busybox:latest", false),
        ("busybox:latest" + D, "busybox:notlatest", false),
        ("busybox:latest", "busybox:latest" + D, false),
        ("busybox:latest" + D, "busybox:latest" + DOther, false),
        ("busybox:latest" + D, "busybox:notlatest" + DOther, false),
    ];

    public static TheoryData<string, string, bool> ExactCases() => Symmetric(ExactTable);

    public static TheoryData<string, string, bool> RepositoryCases() => Symmetric(RepositoryTable);

    // matchRepoDigestOrExact agrees with exact matching where that succeeds and with repository matching where that fails.
    public static TheoryData<string, string, bool> RepoDigestOrExactCases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (a, b, r) in ExactTable.Where(t => t.Result).Concat(RepositoryTable.Where(t => !t.Result)))
        {
            data.Add(a, b, r);
            data.Add(b, a, r);
        }

        foreach (var (image, signedReference, r) in RepoDigestOrExactTable)
        {
            data.Add(image, signedReference, r);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExactCases))]
    public void MatchExact(string image, string signedReference, bool expected) => AssertImageMatch(SignedIdentity.MatchExact, image, signedReference, expected);

    [Theory]
    [MemberData(nameof(RepoDigestOrExactCases))]
    public void MatchRepoDigestOrExact(string image, string signedReference, bool expected) => AssertImageMatch(SignedIdentity.MatchRepoDigestOrExact, image, signedReference, expected);

    [Theory]
    [MemberData(nameof(RepositoryCases))]
    public void MatchRepository(string image, string signedReference, bool expected) => AssertImageMatch(SignedIdentity.MatchRepository, image, signedReference, expected);

    [Theory]
    [MemberData(nameof(RepoDigestOrExactCases))]
    public void RemapIdentityThatNeverRewritesIsMatchRepoDigestOrExact(string image, string signedReference, bool expected)
        => AssertImageMatch(SignedIdentity.RemapIdentity("never-causes-a-rewrite.example", "never-causes-a-rewrite.example"), image, signedReference, expected);

    [Theory]
    [MemberData(nameof(RepoDigestOrExactCases))]
    public void RemapIdentityFromAModifiedDomainIsMatchRepoDigestOrExact(string image, string signedReference, bool expected)
    {
        if (!DockerReference.TryParseNormalized(image, out var parsed, out _))
        {
            return;
        }

        // The image's domain with its first letter shifted is remapped back to the domain: the outcome must not change.
        var domain = parsed.Domain;
        var identity = SignedIdentity.RemapIdentity(Shift(domain), domain);
        AssertImageMatch(identity, Shift(parsed.ToString()), signedReference, expected);
    }

    [Theory]
    [MemberData(nameof(ExactCases))]
    public void ExactReference(string reference, string signedReference, bool expected)
    {
        var identity = DockerReference.TryParseNormalized(reference, out var parsed, out _) && !parsed.IsNameOnly
            ? SignedIdentity.ExactReference(reference)
            : null;
        if (identity is null)
        {
            Assert.False(expected);
            return;
        }

        Assert.Equal(expected, identity.MatchesReference(image: null, signedReference, out _));
    }

    [Theory]
    [MemberData(nameof(RepositoryCases))]
    public void ExactRepository(string repository, string signedReference, bool expected)
    {
        if (!DockerReference.TryParseNormalized(repository, out _, out _))
        {
            Assert.False(expected);
            return;
        }

        Assert.Equal(expected, SignedIdentity.ExactRepository(repository).MatchesReference(image: null, signedReference, out _));
    }

    [Fact]
    public void AnImageWithoutDockerIdentityMatchesNothingButExactOnes()
    {
        Assert.False(SignedIdentity.MatchExact.MatchesReference(image: null, "busybox:latest", out var reason));
        Assert.Contains("no Docker reference identity", reason, StringComparison.Ordinal);
        Assert.False(SignedIdentity.MatchRepository.MatchesReference(image: null, string.Empty, out _));
        Assert.False(SignedIdentity.RemapIdentity("docker.io", "docker.io").MatchesReference(image: null, string.Empty, out _));
        Assert.True(SignedIdentity.ExactRepository("busybox").MatchesReference(image: null, "busybox:1", out _));
    }

    [Theory]
    [InlineData("docker.io/image", "docker.io", true)]
    [InlineData("docker.io/image", "example.com", false)]
    [InlineData("example.com:5000/image", "example.com:5000", true)]
    [InlineData("example.com:50000/image", "example.com:5000", false)]
    [InlineData("example.com:5000/image", "example.com", false)]
    [InlineData("example.com/foo", "example.com", true)]
    [InlineData("example.com/foo/bar", "example.com", true)]
    [InlineData("example.com/foo/bar:baz", "example.com", true)]
    [InlineData("example.com/foo/bar" + D, "example.com", true)]
    [InlineData("docker.io/ns/image", "docker.io/library", false)]
    [InlineData("example.com/library", "docker.io/library", false)]
    [InlineData("docker.io/libraryy/image", "docker.io/library", false)]
    [InlineData("docker.io/library/busybox", "docker.io/library", true)]
    [InlineData("example.com/ns/image", "example.com/ns", true)]
    [InlineData("example.com/ns2/image", "example.com/ns", false)]
    [InlineData("example.com/n2/image", "example.com/ns", false)]
    [InlineData("example.com", "example.com/library/busybox", false)]
    [InlineData("example.com:5000/ns/image", "example.com/ns", false)]
    [InlineData("example.com/ns/image", "example.com:5000/ns", false)]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox", true)]
    [InlineData("example.com/library/busybox", "docker.io/library/busybox", false)]
    [InlineData("docker.io/library/busybox2", "docker.io/library/busybox", false)]
    [InlineData("example.com/ns/image", "example.com/ns/image", true)]
    [InlineData("example.com/ns/imag2", "example.com/ns/image", false)]
    [InlineData("example.com/ns/imagee", "example.com/ns/image", false)]
    [InlineData("example.com:5000/ns/image", "example.com/ns/image", false)]
    [InlineData("example.com/ns/image", "example.com:5000/ns/image", false)]
    [InlineData("example.com/ns/image:tag", "example.com/ns/image", true)]
    [InlineData("example.com/ns/image" + D, "example.com/ns/image", true)]
    [InlineData("example.com/ns/image:tag" + D, "example.com/ns/image", true)]
    public void RemapPrefixMatchesAtASlash(string reference, string prefix, bool expected)
    {
        var identity = (SignedIdentity.RemapIdentityMatch)SignedIdentity.RemapIdentity(prefix, "docker.io/library/signed-prefix");
        Assert.True(DockerReference.TryParseNormalized(reference, out var parsed, out _));
        Assert.Equal(expected, identity.NameMatchesPrefix(parsed));
    }

    [Theory]
    [InlineData("mirror.example", "vendor.example", "mirror.example/ns/image:tag", "vendor.example/ns/image:tag")]
    [InlineData("mirror.example", "vendor.example", "different.com/ns/image:tag", "different.com/ns/image:tag")]
    [InlineData("mirror.example/ns", "vendor.example/vendor-ns", "mirror.example/different-ns/image:tag", "mirror.example/different-ns/image:tag")]
    [InlineData("docker.io", "not-docker-signedReference.example/ns", "busybox", "not-docker-signedReference.example/ns/library/busybox")]
    [InlineData("example.com/mirror", "example.com/vendor", "example.com/mirror/image:tag", "example.com/vendor/image:tag")]
    [InlineData("example.com/ns/mirror", "example.com/ns/vendor", "example.com/ns/mirror:tag", "example.com/ns/vendor:tag")]
    [InlineData("mirror.example", "vendor.example", "prefixmirror.example/ns/image:tag", "prefixmirror.example/ns/image:tag")]
    [InlineData("docker.io", "not-docker-signedReference.example", "busybox", "not-docker-signedReference.example/library/busybox")]
    [InlineData("docker.io/library", "not-docker-signedReference.example/ns", "busybox", "not-docker-signedReference.example/ns/busybox")]
    [InlineData("docker.io/library/busybox", "not-docker-signedReference.example/ns/notbusybox", "busybox", "not-docker-signedReference.example/ns/notbusybox")]
    [InlineData("mirror.example", "vendor.example", "mirror.example/image", "vendor.example/image")]
    [InlineData("mirror.example", "vendor.example", "mirror.example/image:tag", "vendor.example/image:tag")]
    [InlineData("mirror.example", "vendor.example", "mirror.example/image" + D, "vendor.example/image" + D)]
    [InlineData("mirror.example", "vendor.example", "mirror.example/image:tag" + D, "vendor.example/image:tag" + D)]
    [InlineData("mirror.example/ns/image", "vendor.example:5000", "mirror.example/ns/image:tag", "")]
    [InlineData("mirror.example/ns/image", "vendor.example:5000", "mirror.example/ns/image" + D, "")]
    [InlineData("mirror.example/ns/image", "notlocalhost", "mirror.example/ns/image:tag", "")]
    public void RemapRewritesThePrefix(string prefix, string signedPrefix, string reference, string expected)
    {
        var identity = (SignedIdentity.RemapIdentityMatch)SignedIdentity.RemapIdentity(prefix, signedPrefix);
        Assert.True(DockerReference.TryParseNormalized(reference, out var parsed, out _));
        var ok = identity.TryRemap(parsed, out var remapped, out var error);
        if (expected.Length == 0)
        {
            Assert.False(ok);
            Assert.Contains("error rewriting reference", error, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(ok, error);
            Assert.Equal(expected, remapped.ToString());
        }
    }

    [Theory]
    [InlineData("does-not-match.com", "does-not-match.rewritten", "busybox:latest", "busybox:latest", true)]
    [InlineData("does-not-match.com", "does-not-match.rewritten", "busybox:latest", "notbusybox:latest", false)]
    [InlineData("mirror.example", "public.com", "mirror.example/busybox:1", "public.com/busybox:1", true)]
    [InlineData("mirror.example", "public.com", "mirror.example/busybox:1", "public.com/busybox:not1", false)]
    [InlineData("mirror.example", "docker.io/library", "mirror.example/busybox:latest", "busybox:latest", true)]
    [InlineData("mirror.example", "docker.io/library", "mirror.example/alpine:latest", "busybox:latest", false)]
    [InlineData("docker.io/library", "original.com", "copied:latest", "original.com/copied:latest", true)]
    [InlineData("docker.io/library", "original.com", "copied:latest", "original.com/ns/copied:latest", false)]
    [InlineData("busybox", "example.com/busybox", "busybox:latest", "example.com/busybox:latest", false)]
    [InlineData("docker.io/library/busybox", "busybox", "docker.io/library/busybox:latest", "busybox:latest", false)]
    public void RemapIdentityMatches(string prefix, string signedPrefix, string image, string signedReference, bool expected)
        => AssertImageMatch(SignedIdentity.RemapIdentity(prefix, signedPrefix), image, signedReference, expected);

    [Theory]
    [InlineData("""{"type":"matchExact"}""", "matchExact")]
    [InlineData("""{"type":"matchRepoDigestOrExact"}""", "matchRepoDigestOrExact")]
    [InlineData("""{"type":"matchRepository"}""", "matchRepository")]
    [InlineData("""{"type":"exactReference","dockerReference":"docker.io/library/busybox:latest"}""", "exactReference")]
    [InlineData("""{"type":"exactRepository","dockerRepository":"quay.io/example/busybox"}""", "exactRepository")]
    [InlineData("""{"type":"remapIdentity","prefix":"example.com","signedPrefix":"example.net"}""", "remapIdentity")]
    public void ParsesEveryType(string json, string type)
    {
        var identity = SignedIdentity.Parse(json);
        Assert.Equal(type, identity.Type);
        Assert.Equal(json, identity.ToJson());
    }

    [Theory]
    [InlineData("[]", "JSON object expected")]
    [InlineData("""{"type":"this is invalid"}""", "unknown policy reference match type")]
    [InlineData("""{"type":"matchExact","unknown":1}""", "unknown key \"unknown\"")]
    [InlineData("""{"type":"matchExact","type":"matchExact"}""", "duplicate key \"type\"")]
    [InlineData("""{"type":1}""", "expected a string")]
    [InlineData("""{"type":"exactReference"}""", "key \"dockerReference\" missing")]
    [InlineData("""{"type":"exactReference","dockerReference":"busybox"}""", "contains neither a tag nor digest")]
    [InlineData("""{"type":"exactReference","dockerReference":"UPPERCASE"}""", "invalid format of dockerReference")]
    [InlineData("""{"type":"exactReference","dockerReference":1}""", "expected a string")]
    [InlineData("""{"type":"exactRepository","dockerRepository":"UPPERCASE"}""", "invalid format of dockerRepository")]
    [InlineData("""{"type":"exactRepository","dockerRepository":"busybox","dockerReference":"busybox:1"}""", "unknown key")]
    [InlineData("""{"type":"remapIdentity","prefix":"example.com"}""", "key \"signedPrefix\" missing")]
    [InlineData("""{"type":"remapIdentity","prefix":"busybox:latest","signedPrefix":"example.com"}""", "prefix \"busybox:latest\" is not valid")]
    [InlineData("""{"type":"remapIdentity","prefix":"example.com","signedPrefix":"example.com/ns/image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}""", "is not valid")]
    [InlineData("""{"type":"remapIdentity","prefix":"","signedPrefix":"example.com"}""", "prefix \"\" is not valid")]
    [InlineData("""{"type":"remapIdentity","prefix":"example.com/docker-library","signedPrefix":"example.com/UPPERCASEISINVALID"}""", "prefix \"example.com/UPPERCASEISINVALID\" is not valid")]
    public void RejectsWhatContainersImageRejects(string json, string message)
    {
        var error = Assert.Throws<PolicyFormatException>(() => SignedIdentity.Parse(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com:5000")]
    [InlineData("example.com/ns")]
    [InlineData("example.com:5000/ns/image")]
    [InlineData("localhost")]
    [InlineData("busybox")]
    [InlineData("[::1]:5000/ns")]
    public void AcceptsRemapPrefixes(string prefix) => Assert.Equal("remapIdentity", SignedIdentity.RemapIdentity(prefix, prefix).Type);

    [Fact]
    public void ANameOnlyImageIsTaggedLatestAsTheDockerTransportDoes()
    {
        var image = Strata.Oci.ImageReference.Parse("busybox");
        Assert.True(SignedIdentity.MatchRepoDigestOrExact.Matches(image, "docker.io/library/busybox:latest", out _));
        Assert.False(SignedIdentity.MatchRepoDigestOrExact.Matches(image, "busybox:1", out var reason));
        Assert.Equal("identity mismatch (matchRepoDigestOrExact): signed for docker.io/library/busybox:1, image is docker.io/library/busybox:latest", reason);
    }

    private static void AssertImageMatch(SignedIdentity identity, string image, string signedReference, bool expected)
    {
        // As the Go tests: an image reference that does not parse is not a case.
        if (!DockerReference.TryParseNormalized(image, out var parsed, out _))
        {
            return;
        }

        Assert.True(expected == identity.MatchesReference(parsed, signedReference, out var reason), $"{identity} {image} vs {signedReference}: {reason}");
    }

    private static TheoryData<string, string, bool> Symmetric((string A, string B, bool Result)[] table)
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (a, b, r) in table)
        {
            data.Add(a, b, r);
            data.Add(b, a, r);
        }

        return data;
    }

    private static string Shift(string text) => (text[0] == 'z' ? 'a' : (char)(text[0] + 1)) + text[1..];
}
