namespace Strata.Signing.Tests;

using System.Text;
using Strata.Signing.Policy;

/// <summary>Parsing containers-policy.json as strictly as containers/image (policy_config_test.go's cases).</summary>
public sealed class PolicyConfigTests
{
    [Fact]
    public void ParsesTheFixturePolicy()
    {
        var policy = ContainersPolicy.Parse(SimpleSigningFixtures.Read("policy.json"));
        Assert.IsType<RejectRequirement>(Assert.Single(policy.Default));
        Assert.Equal(["dir", "docker"], policy.Transports.Keys.Order(StringComparer.Ordinal));
        var docker = policy.Transports["docker"];
        var hardened = docker["example.com/hardened"];
        Assert.Equal(3, hardened.Count);
        var first = Assert.IsType<SignedByRequirement>(hardened[0]);
        Assert.Equal("GPGKeys", first.KeyType);
        Assert.Equal("/keys/employee-gpg-keyring", first.KeyPath);
        Assert.Equal("matchRepository", first.SignedIdentity.Type);
        Assert.IsType<SignedBaseLayerRequirement>(hardened[2]);
        var production = Assert.IsType<SignedByRequirement>(Assert.Single(docker["example.com/production"]));
        Assert.Equal("matchRepoDigestOrExact", production.SignedIdentity.Type);
        var beta = Assert.IsType<SignedByRequirement>(Assert.Single(docker["registry.redhat.io/beta"]));
        Assert.Equal(2, beta.KeyPaths!.Count);
        var keyData = Assert.IsType<SignedByRequirement>(Assert.Single(docker["bogus/key-data-example"]));
        Assert.Equal("nonsense"u8.ToArray(), keyData.KeyData);
        var remap = Assert.IsType<SignedByRequirement>(Assert.Single(docker["private-mirror:5000/vendor-mirror"]));
        Assert.Equal("remapIdentity", remap.SignedIdentity.Type);
        var sigstoreData = Assert.IsType<SigstoreSignedRequirement>(Assert.Single(docker["example.com/sigstore/key-data-example"]));
        Assert.Equal("keyData", sigstoreData.KeySource);
        Assert.Equal("matchRepoDigestOrExact", sigstoreData.SignedIdentity.Type);
        var sigstorePath = Assert.IsType<SigstoreSignedRequirement>(Assert.Single(docker["example.com/sigstore/key-path-example"]));
        Assert.Equal(["/keys/public-key"], sigstorePath.KeyPaths);
        Assert.Equal("matchRepository", sigstorePath.SignedIdentity.Type);
        Assert.IsType<InsecureAcceptAnythingRequirement>(Assert.Single(policy.Transports["dir"][string.Empty]));
    }

    [Theory]
    [InlineData("""{"default":[{"type":"reject"}]}""")]
    [InlineData("""{"default":[{"type":"insecureAcceptAnything"}],"transports":{}}""")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker":{}}}""")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"unknown-transport":{"anything goes":[{"type":"reject"}]}}}""")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"dir":{"/a/b":[{"type":"reject"}]},"oci":{"/a":[{"type":"reject"}]},"atomic":{"host/ns/stream:tag":[{"type":"reject"}]}}}""")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":["/a","/b"]}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyDatas":["bm9uc2Vuc2U="]}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","oidcIssuer":"https://o","subjectEmail":"a@b"},"rekorPublicKeyPath":"/r"}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/ca","subjectHostname":"h"}}]}""")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyData":"bm9uc2Vuc2U="}]}""")]
    public void AcceptsValidPolicies(string json) => Assert.NotNull(ContainersPolicy.Parse(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "JSON object expected")]
    [InlineData("{}", "default policy is missing")]
    [InlineData("""{"default":null}""", "default policy is missing")]
    [InlineData("""{"default":[]}""", "must not be empty")]
    [InlineData("""{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}""", "duplicate key \"default\"")]
    [InlineData("""{"default":[{"type":"reject"}],"other":1}""", "unknown key \"other\"")]
    [InlineData("""{"default":[{"type":"reject"}]} x""", "not valid JSON")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker":{"a":[{"type":"reject"}],"a":[{"type":"reject"}]}}}""", "duplicate key \"a\"")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker":[]}}""", "JSON object expected")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"dir":{"relative":[{"type":"reject"}]}}}""", "must be an absolute path")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"dir":{"/":[{"type":"reject"}]}}}""", "use the generic default scope")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"oci":{"/a/../b":[{"type":"reject"}]}}}""", "non-canonical")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker-archive":{"/a":[{"type":"reject"}]}}}""", "does not support any scopes")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"docker-daemon":{"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":[{"type":"reject"}]}}}""", "algo:digest")]
    [InlineData("""{"default":[{"type":"reject"}],"transports":{"atomic":{"host/ns/stream/extra":[{"type":"reject"}]}}}""", "invalid scope name")]
    [InlineData("""{"default":[{"type":"this is invalid"}]}""", "unknown policy requirement type")]
    [InlineData("""{"default":[{"type":"reject","unknown":1}]}""", "unknown key \"unknown\"")]
    [InlineData("""{"default":[{"type":"insecureAcceptAnything","type":"insecureAcceptAnything"}]}""", "duplicate key")]
    [InlineData("""{"default":[{"type":"signedBy","keyPath":"/k"}]}""", "invalid keyType \"\"")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"unknown","keyPath":"/k"}]}""", "unrecognized keyType value \"unknown\"")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}""", "none of them present")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","keyData":"YQ=="}]}""", "more than one present")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"not base64!"}]}""", "not valid base64")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":1}]}""", "expected a string")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":"/k"}]}""", "expected an array of strings")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"busybox"}}]}""", "contains neither a tag nor digest")]
    [InlineData("""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchExact","extra":1}}]}""", "unknown key \"extra\"")]
    [InlineData("""{"default":[{"type":"signedBaseLayer"}]}""", "key \"baseLayerIdentity\" missing")]
    [InlineData("""{"default":[{"type":"sigstoreSigned"}]}""", "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPath":"/k","keyData":"YQ=="}]}""", "exactly one of keyPath")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPaths":[]}]}""", "\"keyPaths\" contains no entries")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPath":"/k","rekorPublicKeyPath":"/r","rekorPublicKeyData":"YQ=="}]}""", "at most one of rekorPublicKeyPath")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","oidcIssuer":"https://o","subjectEmail":"a@b"}}]}""", "must be specified if fulcio is used")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","subjectEmail":"a@b"},"rekorPublicKeyPath":"/r"}]}""", "oidcIssuer not specified")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","caData":"YQ==","oidcIssuer":"o","subjectEmail":"a@b"},"rekorPublicKeyPath":"/r"}]}""", "caPath and caData cannot be used simultaneously")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","fulcio":{"caPath":"/ca","oidcIssuer":"o","subjectEmail":"a@b","x":1},"rekorPublicKeyPath":"/r"}]}""", "unknown key \"x\"")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/ca","subjectHostname":"h"},"rekorPublicKeyPath":"/r"}]}""", "not supported for pki")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","pki":{"caRootsPath":"/ca"}}]}""", "at least one of subjectEmail, subjectHostname")]
    [InlineData("""{"default":[{"type":"sigstoreSigned","keyPath":"/k","unknown":1}]}""", "unknown key \"unknown\"")]
    public void RejectsWhatContainersImageRejects(string json, string message)
    {
        var error = Assert.Throws<PolicyFormatException>(() => ContainersPolicy.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidFileIsNamedInTheError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"strata-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"default":[]}""");
        try
        {
            var error = await Assert.ThrowsAsync<PolicyFormatException>(() => ContainersPolicy.LoadAsync(path, CancellationToken.None));
            Assert.StartsWith($"invalid policy in {path}: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheDefaultPathIsTheUsersThenTheSystems()
    {
        var home = Path.Combine(Path.GetTempPath(), $"strata-home-{Guid.NewGuid():N}");
        var system = Path.Combine(home, "system-policy.json");
        try
        {
            Directory.CreateDirectory(home);
            Assert.Null(ContainersPolicy.FindDefaultPath(home, system));
            File.WriteAllText(system, "{}");
            Assert.Equal(system, ContainersPolicy.FindDefaultPath(home, system));
            var user = Path.Combine(home, ".config", "containers", "policy.json");
            Directory.CreateDirectory(Path.GetDirectoryName(user)!);
            File.WriteAllText(user, "{}");
            Assert.Equal(user, ContainersPolicy.FindDefaultPath(home, system));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
