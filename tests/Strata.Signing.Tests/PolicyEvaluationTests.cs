namespace Strata.Signing.Tests;

using System.Text;
using Strata.Core;
using Strata.Oci;
using Strata.Signing.Policy;

/// <summary>
/// Policies evaluated against containers/image's signed <c>dir:</c> fixtures, with the outcomes its
/// policy_eval_signedby_test.go and policy_eval_sigstore_test.go expect.
/// </summary>
public sealed class PolicyEvaluationTests
{
    private const string CosignIdentity = "192.168.64.2:5000/cosign-signed-single-sample";

    [Theory]
    [InlineData("dir-img-valid", "testing/manifest:latest", "public-key.gpg", "matchExact", true)]
    [InlineData("dir-img-unsigned", "testing/manifest:latest", "public-key.gpg", "matchExact", false)]
    [InlineData("dir-img-valid", "testing/manifest:notlatest", "public-key.gpg", "matchExact", false)]
    [InlineData("dir-img-valid-2", "testing/manifest:latest", "public-key.gpg", "matchExact", true)]
    [InlineData("dir-img-mixed", "testing/manifest:latest", "public-key.gpg", "matchExact", true)]
    [InlineData("dir-img-valid-2", "testing/manifest:notlatest", "public-key.gpg", "matchExact", false)]
    [InlineData("dir-img-valid-subkey", "testing/manifest:latest", "public-key-with-subkey.gpg", "matchExact", true)]
    [InlineData("dir-img-valid", "testing/manifest:latest", "public-key-2.gpg", "matchExact", false)]
    [InlineData("dir-img-manifest-digest-error", "testing/manifest:latest", "public-key.gpg", "matchExact", false)]
    [InlineData("dir-img-modified-manifest", "testing/manifest:latest", "public-key.gpg", "matchExact", false)]
    [InlineData("dir-img-valid", "testing/manifest:latest", "public-key.gpg", "matchRepoDigestOrExact", true)]
    [InlineData("dir-img-valid", "testing/manifest:other", "public-key.gpg", "matchRepository", true)]
    [InlineData("dir-img-valid", "testing/other:latest", "public-key.gpg", "matchRepository", false)]
    public async Task SignedBy(string directory, string identity, string key, string signedIdentity, bool accepted)
    {
        var requirement = $$$"""{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{Json(SimpleSigningFixtures.File(key))}}},"signedIdentity":{"type":"{{{signedIdentity}}}"}}""";
        var decision = await EvaluateAsync(requirement, directory, identity);
        Assert.True(accepted == decision.Accepted, decision.Results[0].Reason);
    }

    [Fact]
    public async Task SignedByWithKeyDataAndKeyPaths()
    {
        var keyData = Convert.ToBase64String(SimpleSigningFixtures.Read("public-key.gpg"));
        var byData = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyData":"{{{keyData}}}"}""", "dir-img-valid", "testing/manifest:latest");
        Assert.True(byData.Accepted, byData.Results[0].Reason);
        Assert.Contains(SimpleSigningFixtures.TestKeyFingerprint, byData.Results[0].Reason, StringComparison.Ordinal);

        var paths = $"[{Json(SimpleSigningFixtures.File("public-key-1.gpg"))},{Json(SimpleSigningFixtures.File("public-key.gpg"))}]";
        var byPaths = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyPaths":{{{paths}}}}""", "dir-img-valid", "testing/manifest:latest");
        Assert.True(byPaths.Accepted, byPaths.Results[0].Reason);
    }

    [Theory]
    [InlineData("signedByGPGKeys", "unimplemented \"keyType\" value")]
    [InlineData("X509Certificates", "unimplemented \"keyType\" value")]
    public async Task OtherKeyTypesParseButReject(string keyType, string message)
    {
        var decision = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"{{{keyType}}}","keyPath":{{{Json(SimpleSigningFixtures.File("public-key.gpg"))}}}}""", "dir-img-valid", "testing/manifest:latest");
        Assert.False(decision.Accepted);
        Assert.Contains(message, decision.Results[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectionsSayWhich()
    {
        var key = Json(SimpleSigningFixtures.File("public-key.gpg"));
        var unsigned = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{key}}}}""", "dir-img-unsigned", "testing/manifest:latest");
        Assert.Equal("a signature was required, but no simple-signing signature exists", unsigned.Results[0].Reason);

        var digest = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{key}}}}""", "dir-img-manifest-digest-error", "testing/manifest:latest");
        Assert.Contains("manifest digest mismatch", digest.Results[0].Reason, StringComparison.Ordinal);

        var identity = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{key}}}}""", "dir-img-valid", "testing/manifest:notlatest");
        Assert.Contains("identity mismatch (matchRepoDigestOrExact): signed for docker.io/testing/manifest:latest, image is docker.io/testing/manifest:notlatest", identity.Results[0].Reason, StringComparison.Ordinal);

        var wrongKey = await EvaluateAsync($$$"""{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{Json(SimpleSigningFixtures.File("public-key-2.gpg"))}}}}""", "dir-img-valid", "testing/manifest:latest");
        Assert.False(wrongKey.Accepted);
        Assert.Contains("signature-1", wrongKey.Results[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dir-img-cosign-valid", CosignIdentity, "matchRepository", true)]
    [InlineData("dir-img-unsigned", "testing/manifest:latest", "matchRepository", false)]
    [InlineData("dir-img-valid", "testing/manifest:latest", "matchRepository", false)]
    [InlineData("dir-img-cosign-other-attachment", "testing/manifest:latest", "matchRepository", false)]
    [InlineData("dir-img-cosign-valid", "testing/manifest:notlatest", "matchRepository", false)]
    [InlineData("dir-img-cosign-valid-2", CosignIdentity, "matchRepository", true)]
    [InlineData("dir-img-cosign-mixed", CosignIdentity, "matchRepository", true)]
    [InlineData("dir-img-cosign-valid-2", "this/does-not:match", "matchRepository", false)]
    [InlineData("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:tag", "matchExact", true)]
    [InlineData("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:othertag", "matchExact", false)]
    [InlineData("dir-img-cosign-valid", CosignIdentity, "matchExact", false)]
    [InlineData("dir-img-cosign-manifest-digest-error", CosignIdentity, "matchRepository", false)]
    [InlineData("dir-img-cosign-modified-manifest", CosignIdentity, "matchRepository", false)]
    public async Task SigstoreSigned(string directory, string identity, string signedIdentity, bool accepted)
    {
        var requirement = $$$"""{"type":"sigstoreSigned","keyPath":{{{Json(SimpleSigningFixtures.File("cosign.pub"))}}},"signedIdentity":{"type":"{{{signedIdentity}}}"}}""";
        var decision = await EvaluateAsync(requirement, directory, identity);
        Assert.True(accepted == decision.Accepted, decision.Results[0].Reason);
    }

    [Fact]
    public async Task SigstoreSignedWithAnotherKeyOrKeyData()
    {
        var other = await EvaluateAsync($$$"""{"type":"sigstoreSigned","keyPath":{{{Json(SimpleSigningFixtures.File("cosign2.pub"))}}},"signedIdentity":{"type":"matchRepository"}}""", "dir-img-cosign-valid", CosignIdentity);
        Assert.False(other.Accepted);

        var keyData = Convert.ToBase64String(SimpleSigningFixtures.Read("cosign.pub"));
        var byData = await EvaluateAsync($$$"""{"type":"sigstoreSigned","keyData":"{{{keyData}}}","signedIdentity":{"type":"matchRepository"}}""", "dir-img-cosign-valid", CosignIdentity);
        Assert.True(byData.Accepted, byData.Results[0].Reason);

        var rekor = await EvaluateAsync($$$"""{"type":"sigstoreSigned","keyData":"{{{keyData}}}","rekorPublicKeyPath":"/r","signedIdentity":{"type":"matchRepository"}}""", "dir-img-cosign-valid", CosignIdentity);
        Assert.False(rekor.Accepted);
        Assert.Contains("not supported", rekor.Results[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequirementMustAccept()
    {
        var key = Json(SimpleSigningFixtures.File("public-key.gpg"));
        var cosign = Json(SimpleSigningFixtures.File("cosign.pub"));
        var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes($$$"""
            {"default":[{"type":"insecureAcceptAnything"},{"type":"signedBy","keyType":"GPGKeys","keyPath":{{{key}}}},{"type":"sigstoreSigned","keyPath":{{{cosign}}}}]}
            """));
        var image = await LoadAsync("dir-img-valid", "testing/manifest:latest");
        var decision = await PolicyEvaluator.EvaluateAsync(policy, image, CancellationToken.None);
        Assert.False(decision.Accepted);
        Assert.Equal([true, true, false], decision.Results.Select(r => r.Accepted));
        Assert.Equal("default", decision.Scope);
    }

    [Fact]
    public async Task TheFixturePolicyAcceptsDirImagesAndRejectsTheRest()
    {
        var policy = ContainersPolicy.Parse(SimpleSigningFixtures.Read("policy.json"));
        var dir = await PolicyEvaluator.EvaluateAsync(policy, await LoadAsync("dir-img-unsigned", null), CancellationToken.None);
        Assert.True(dir.Accepted);
        Assert.Equal("transports.dir[\"\"]", dir.Scope);

        var name = PolicyImageName.Parse("docker://example.com/playground/app:1");
        var image = new PolicyImage(name, "{}"u8.ToArray(), []);
        Assert.True((await PolicyEvaluator.EvaluateAsync(policy, image, CancellationToken.None)).Accepted);
        var rejected = await PolicyEvaluator.EvaluateAsync(policy, new PolicyImage(PolicyImageName.Parse("docker://quay.io/app:1"), "{}"u8.ToArray(), []), CancellationToken.None);
        Assert.False(rejected.Accepted);
        Assert.Equal("default", rejected.Scope);
        Assert.Contains("rejected by policy", rejected.Results[0].Reason, StringComparison.Ordinal);
        // "bogus/…" names docker.io/bogus/…: the scope never matches, as in containers/image.
        var bogus = await PolicyEvaluator.EvaluateAsync(policy, new PolicyImage(PolicyImageName.Parse("docker://bogus/signed-identity-example:1"), "{}"u8.ToArray(), []), CancellationToken.None);
        Assert.Equal("default", bogus.Scope);
        var hardened = await PolicyEvaluator.EvaluateAsync(policy, new PolicyImage(PolicyImageName.Parse("docker://example.com/hardened/app:1"), "{}"u8.ToArray(), []), CancellationToken.None);
        Assert.Equal("transports.docker[\"example.com/hardened\"]", hardened.Scope);
        Assert.Equal(3, hardened.Results.Count);
        Assert.Contains("signedBaseLayer is not implemented", hardened.Results[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableSignatureIsAnError()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"strata-invalid-sig-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "manifest.json"), "{}");
            File.CreateSymbolicLink(Path.Combine(directory, "signature-1"), "signature-1");
            await Assert.ThrowsAsync<StrataException>(() => PolicyImageLoader.LoadAsync(PolicyImageName.Parse("dir:" + directory), PolicySignatureSources.None, ImageOpenOptions.Default, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static async Task<PolicyImage> LoadAsync(string directory, string? identity)
    {
        var name = PolicyImageName.Parse("dir:" + SimpleSigningFixtures.File(directory));
        if (identity is not null)
        {
            name = name with { DockerReference = ImageReference.Parse(identity) };
        }

        return await PolicyImageLoader.LoadAsync(name, PolicySignatureSources.None, ImageOpenOptions.Default, CancellationToken.None);
    }

    private static async Task<PolicyDecision> EvaluateAsync(string requirement, string directory, string identity)
    {
        var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes($$$"""{"default":[{{{requirement}}}]}"""));
        return await PolicyEvaluator.EvaluateAsync(policy, await LoadAsync(directory, identity), CancellationToken.None);
    }

    private static string Json(string text) => "\"" + System.Text.Json.JsonEncodedText.Encode(text).Value + "\"";
}
