namespace Strata.Signing.Tests;

using Strata.Oci;
using Strata.Oci.Registry;
using Strata.Signing.Cosign;
using Strata.Signing.Identity;
using Strata.Signing.Keys;
using static Strata.Signing.Tests.CosignVerifierTests;

/// <summary>
/// containers/image's cosign fixtures (skopeo dir: copies with signature-N files), with the outcomes its
/// policy_eval_sigstore_test.go expects: accepted with cosign.pub, rejected for a changed manifest, a schema 1
/// manifest, a missing manifest, another attachment type, a wrong key or a wrong identity.
/// </summary>
public sealed class CosignFixtureTests
{
    private const string CosignSample = "192.168.64.2:5000/cosign-signed-single-sample";

    private static async Task<IReadOnlyList<CosignImageVerifier.Verdict>> VerifyAsync(string folder, string imageName, SignedIdentity identity, string key = "cosign.pub")
    {
        var image = await CosignImage.LoadAsync("dir:" + Path.Combine(Fixtures, folder), new RegistryOptions(), ImageReference.Parse(imageName), CancellationToken.None);
        var keys = new[] { PublicKeyMaterial.Load(Path.Combine(Fixtures, key)) };
        return CosignImageVerifier.Verify(image, keys, signed => identity.Matches(image.DockerReference, signed, out var reason) ? null : reason);
    }

    [Theory]
    [InlineData("dir-img-cosign-valid", 1)]
    [InlineData("dir-img-cosign-valid-2", 2)]
    [InlineData("dir-img-cosign-mixed", 1)]
    public async Task Cosign_signed_images_are_accepted_with_match_repository(string folder, int valid)
    {
        var verdicts = await VerifyAsync(folder, CosignSample, SignedIdentity.MatchRepository);
        Assert.Equal(valid, verdicts.Count(v => v.Accepted));
        Assert.All(verdicts.Where(v => v.Accepted), v => Assert.EndsWith("cosign.pub", v.Key!.Source, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mixed_fixtures_first_signature_fails_the_key_check()
    {
        var verdicts = await VerifyAsync("dir-img-cosign-mixed", CosignSample, SignedIdentity.MatchRepository);
        Assert.False(verdicts[0].Accepted);
        Assert.Contains("signature does not match the key", verdicts[0].Reason, StringComparison.Ordinal);
        Assert.True(verdicts[1].Accepted);
    }

    [Fact]
    public async Task Cosign_repository_only_identity_is_rejected_by_match_exact_and_repo_digest_or_exact_for_a_tag()
    {
        foreach (var identity in new[] { SignedIdentity.MatchExact, SignedIdentity.MatchRepoDigestOrExact })
        {
            var verdict = Assert.Single(await VerifyAsync("dir-img-cosign-valid", CosignSample, identity));
            Assert.False(verdict.Accepted);
            Assert.Contains("identity mismatch", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_tagged_identity_matches_exactly_its_tag()
    {
        Assert.True(Assert.Single(await VerifyAsync("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:tag", SignedIdentity.MatchExact)).Accepted);
        var other = Assert.Single(await VerifyAsync("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed:othertag", SignedIdentity.MatchExact));
        Assert.False(other.Accepted);
        Assert.Contains("identity mismatch", other.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dir-img-cosign-valid", "testing/manifest:notlatest")]
    [InlineData("dir-img-cosign-valid-2", "this/does-not:match")]
    public async Task Another_repository_is_an_identity_mismatch(string folder, string imageName)
    {
        var verdicts = await VerifyAsync(folder, imageName, SignedIdentity.MatchRepository);
        Assert.All(verdicts, v =>
        {
            Assert.False(v.Accepted);
            Assert.Contains("identity mismatch", v.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_exact_reference_for_something_else_is_rejected()
    {
        var verdict = Assert.Single(await VerifyAsync("dir-img-cosign-valid", CosignSample, SignedIdentity.ExactReference("this/does-not:match")));
        Assert.False(verdict.Accepted);
        Assert.Contains("identity mismatch", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dir-img-cosign-modified-manifest", "manifest digest mismatch")]
    [InlineData("dir-img-cosign-manifest-digest-error", "manifest digest mismatch")]
    [InlineData("dir-img-cosign-no-manifest", "image manifest unavailable")]
    [InlineData("dir-img-cosign-other-attachment", "not a signature")]
    public async Task Broken_images_are_rejected_naming_the_check(string folder, string expected)
    {
        var verdict = Assert.Single(await VerifyAsync(folder, CosignSample, SignedIdentity.MatchRepository));
        Assert.False(verdict.Accepted);
        Assert.Contains(expected, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_other_key_verifies_nothing()
    {
        var verdict = Assert.Single(await VerifyAsync("dir-img-cosign-valid", CosignSample, SignedIdentity.MatchRepository, "cosign2.pub"));
        Assert.False(verdict.Accepted);
        Assert.Contains("signature does not match the key", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gpg_signatures_in_a_dir_copy_are_skipped()
    {
        var image = await CosignImage.LoadAsync("dir:" + Path.Combine(Fixtures, "dir-img-valid"), new RegistryOptions(), null, CancellationToken.None);
        Assert.Empty(image.Signatures);
        Assert.Equal(1, image.OtherSignatures);
    }

    [Fact]
    public void A_valid_signature_by_an_unknown_key_is_rejected()
    {
        var path = Path.Combine(Fixtures, "unknown-cosign-key.signature");
        var signature = SigstoreSignature.FromDirBlob(File.ReadAllBytes(path), path);
        var error = Assert.Throws<SignatureException>(() => CosignVerifier.Verify(signature, [PublicKeyMaterial.Load(Path.Combine(Fixtures, "cosign.pub"))]));
        Assert.Contains("signature does not match the key", error.Message, StringComparison.Ordinal);
    }
}
