namespace Strata.Signing.Tests;

using System.Text;
using Strata.Signing.Policy;

/// <summary>Which scope applies to an image, as containers/image looks it up (policy_eval_test.go, naming_test.go).</summary>
public sealed class PolicyScopeTests
{
    private static readonly string[] DockerScopes =
    [
        "", "unmatched", "deep.com", "*.very.deep.com", "*.deep.com", "deep.com/n1", "deep.com/n1/n2", "deep.com/n1/n2/n3",
        "deep.com/n1/n2/n3/repo", "deep.com/n1/n2/n3/repo:tag2",
    ];

    [Theory]
    [InlineData("docker://deep.com/n1/n2/n3/repo:tag2", "transports.docker[\"deep.com/n1/n2/n3/repo:tag2\"]")]
    [InlineData("docker://deep.com/n1/n2/n3/repo:nottag2", "transports.docker[\"deep.com/n1/n2/n3/repo\"]")]
    [InlineData("docker://deep.com/n1/n2/n3/notrepo:tag2", "transports.docker[\"deep.com/n1/n2/n3\"]")]
    [InlineData("docker://deep.com/n1/n2/notn3/repo:tag2", "transports.docker[\"deep.com/n1/n2\"]")]
    [InlineData("docker://deep.com/n1/notn2/n3/repo:tag2", "transports.docker[\"deep.com/n1\"]")]
    [InlineData("docker://deep.com/notn1/n2/n3/repo:tag2", "transports.docker[\"deep.com\"]")]
    [InlineData("docker://very.deep.com/n1/n2/n3/repo:tag2", "transports.docker[\"*.deep.com\"]")]
    [InlineData("docker://not.very.deep.com/n1/n2/n3/repo:tag2", "transports.docker[\"*.very.deep.com\"]")]
    [InlineData("docker://this.does-not/match:anything", "transports.docker[\"\"]")]
    [InlineData("atomic:this.does-not/match:anything", "default")]
    [InlineData("dir:/what/ever", "default")]
    public void TheMostSpecificScopeWins(string image, string expected)
    {
        var json = new StringBuilder("""{"default":[{"type":"reject"}],"transports":{"docker":{""");
        json.AppendJoin(',', DockerScopes.Select(s => $$$"""
            "{{{s}}}":[{"type":"insecureAcceptAnything"}]
            """));
        json.Append("""},"atomic":{"unmatched":[{"type":"reject"}]}}}""");
        var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes(json.ToString()));
        Assert.Equal(expected, policy.RequirementsFor(PolicyImageName.Parse(image)).Scope);
    }

    [Theory]
    [InlineData("example.com", new[] { "example.com", "*.com" })]
    [InlineData("example.com/ns/repo", new[] { "example.com/ns/repo", "example.com/ns", "example.com", "*.com" })]
    [InlineData("example.com:5000/ns/repo", new[] { "example.com:5000/ns/repo", "example.com:5000/ns", "example.com:5000", "*.com" })]
    [InlineData("a.b.example.com/repo", new[] { "a.b.example.com/repo", "a.b.example.com", "*.b.example.com", "*.example.com", "*.com" })]
    [InlineData("localhost:5000/repo", new[] { "localhost:5000/repo", "localhost:5000" })]
    [InlineData("docker.io/library/busybox", new[] { "docker.io/library/busybox", "docker.io/library", "docker.io", "*.io" })]
    public void DockerNamespacesGoFromRepositoryToWildcardDomains(string name, string[] expected)
        => Assert.Equal(expected, PolicyImageName.DockerNamespaces(name));

    [Fact]
    public void DockerIdentityIsTheTagOrDigestReference()
    {
        var tagged = PolicyImageName.Parse("busybox");
        Assert.Equal("docker", tagged.Transport);
        Assert.Equal("docker.io/library/busybox:latest", tagged.Identity);
        Assert.Equal("docker.io/library/busybox:latest", tagged.DockerReference!.ToString());
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var digested = PolicyImageName.Parse($"docker://example.com/ns/app@{digest}");
        Assert.Equal($"example.com/ns/app@{digest}", digested.Identity);
        Assert.Throws<Core.StrataException>(() => PolicyImageName.Parse($"docker://example.com/app:1@{digest}"));
        Assert.Throws<Core.StrataException>(() => PolicyImageName.Parse("docker:example.com/app:1"));
    }

    [Fact]
    public void PathTransportsUseTheResolvedPathAndItsParents()
    {
        var root = Path.Combine(Path.GetTempPath(), $"strata-scope-{Guid.NewGuid():N}");
        var real = Path.Combine(root, "real", "img");
        Directory.CreateDirectory(real);
        var link = Path.Combine(root, "link");
        Directory.CreateSymbolicLink(link, Path.Combine(root, "real"));
        try
        {
            var resolvedRoot = PolicyImageName.CleanPath(new DirectoryInfo(root).ResolveLinkTarget(true)?.FullName ?? root);
            var dir = PolicyImageName.Parse($"dir:{link}/img");
            Assert.Equal($"{resolvedRoot}/real/img", dir.Identity);
            Assert.Equal($"{resolvedRoot}/real", dir.Namespaces[0]);
            Assert.DoesNotContain("/", dir.Namespaces);
            Assert.Null(dir.DockerReference);

            var oci = PolicyImageName.Parse($"oci:{link}/img:1.0");
            Assert.Equal("oci", oci.Transport);
            Assert.Equal($"{resolvedRoot}/real/img", oci.Identity);
            Assert.Equal($"{resolvedRoot}/real/img", oci.Namespaces[0]);
            Assert.Equal($"{resolvedRoot}/real", oci.Namespaces[1]);

            var missing = PolicyImageName.Parse($"dir:{link}/not-yet");
            Assert.Equal($"{resolvedRoot}/real/not-yet", missing.Identity);

            var archive = PolicyImageName.Parse($"docker-archive:{root}/a.tar:example.com/app:1");
            Assert.Equal(string.Empty, archive.Identity);
            Assert.Empty(archive.Namespaces);
            Assert.Equal("example.com/app:1", archive.DockerReference!.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void APathScopeAppliesToImagesBelowIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"strata-scope-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "trusted", "app"));
        try
        {
            var resolved = new DirectoryInfo(root).ResolveLinkTarget(true)?.FullName ?? root;
            var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes($$$$"""
                {"default":[{"type":"reject"}],"transports":{"dir":{"{{{{resolved}}}}/trusted":[{"type":"insecureAcceptAnything"}]}}}
                """));
            Assert.Equal($"transports.dir[\"{resolved}/trusted\"]", policy.RequirementsFor(PolicyImageName.Parse($"dir:{root}/trusted/app")).Scope);
            Assert.Equal("default", policy.RequirementsFor(PolicyImageName.Parse($"dir:{root}/other")).Scope);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
