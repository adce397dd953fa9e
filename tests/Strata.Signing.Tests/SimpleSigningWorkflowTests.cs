namespace Strata.Signing.Tests;

using Strata.Oci;
using Strata.Signing.Lookaside;
using Strata.Signing.SimpleSigning;
using Strata.Testing;
using static Strata.Signing.Tests.SimpleSigningFixtures;

/// <summary>The dir-img-* fixtures, with the outcomes containers/image's signedBy tests expect.</summary>
public sealed class SimpleSigningWorkflowTests
{
    private static readonly SimpleSigningOptions Options = new();

    /// <summary>matchExact, enough for these fixtures (the policy's SignedIdentity does the real matching).</summary>
    internal static Func<string, string?> ExactIdentity(string image) => signed =>
    {
        var expected = ImageReference.Parse(image);
        return ImageReference.TryParse(signed, out var parsed, out _) && parsed.Name == expected.Name && (parsed.Tag ?? "latest") == (expected.Tag ?? "latest") && parsed.Digest == expected.Digest
            ? null
            : $"signed for {signed}, image is {image}";
    };

    private static Task<SimpleVerificationResult> VerifyAsync(string fixture, string key, string identity) =>
        SimpleSigningWorkflow.VerifyAsync("dir:" + File(fixture), OpenPgpKeyring.Load(File(key)), ExactIdentity(identity), Options, CancellationToken.None);

    [Theory]
    [InlineData("dir-img-valid", "public-key.gpg")]
    [InlineData("dir-img-valid-2", "public-key.gpg")]
    [InlineData("dir-img-mixed", "public-key.gpg")]
    [InlineData("dir-img-valid-subkey", "public-key-with-subkey.gpg")]
    public async Task Accepted_fixtures(string fixture, string key)
    {
        var result = await VerifyAsync(fixture, key, "testing/manifest:latest");
        Assert.True(result.Accepted, result.Summary);
    }

    [Theory]
    [InlineData("dir-img-valid", "testing/manifest:notlatest", "identity mismatch")]
    [InlineData("dir-img-valid-2", "testing/manifest:notlatest", "identity mismatch")]
    [InlineData("dir-img-unsigned", "testing/manifest:latest", "no GPG simple signatures")]
    [InlineData("dir-img-modified-manifest", "testing/manifest:latest", "manifest digest mismatch")]
    [InlineData("dir-img-manifest-digest-error", "testing/manifest:latest", "digest")]
    [InlineData("dir-img-no-manifest", "testing/manifest:latest", "no manifest")]
    public async Task Rejected_fixtures_say_why(string fixture, string identity, string reason)
    {
        var result = await VerifyAsync(fixture, "public-key.gpg", identity);
        Assert.False(result.Accepted);
        Assert.Contains(reason, result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_key_is_rejected_as_unknown()
    {
        var result = await VerifyAsync("dir-img-valid", "public-key-2.gpg", "testing/manifest:latest");
        Assert.False(result.Accepted);
        Assert.Contains("unknown key", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_a_dir_copy_appends_the_next_signature_and_verifies()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("img");
        System.IO.Directory.CreateDirectory(dir);
        System.IO.File.Copy(File("dir-img-valid/manifest.json"), Path.Combine(dir, "manifest.json"));
        System.IO.File.Copy(File("dir-img-valid/signature-1"), Path.Combine(dir, "signature-1"));
        var signer = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprint, "");
        var signed = await SimpleSigningWorkflow.SignAsync("dir:" + dir, signer, "testing/manifest:latest", Options, CancellationToken.None);
        Assert.EndsWith("signature-2", signed.Location.LocalPath, StringComparison.Ordinal);
        Assert.Equal(Digest.Sha256Of(await System.IO.File.ReadAllBytesAsync(Path.Combine(dir, "manifest.json"))), signed.ManifestDigest);
        var result = await SimpleSigningWorkflow.VerifyAsync("dir:" + dir, OpenPgpKeyring.Load(File("public-key.gpg")), ExactIdentity("testing/manifest:latest"), Options, CancellationToken.None);
        Assert.Equal(2, result.Signatures.Count(s => s.Accepted));
        await Assert.ThrowsAsync<Strata.Core.StrataException>(() => SimpleSigningWorkflow.SignAsync("dir:" + dir, signer, null, Options, CancellationToken.None));
    }

    [Fact]
    public async Task Oci_layout_signs_into_an_explicit_lookaside_location()
    {
        using var temp = new TempDirectory();
        var layout = Strata.Testing.Images.OciLayoutWriter.WriteSingle(temp.Combine("layout"), Strata.Testing.Images.OciLayoutWriter.Gzip(Strata.Testing.Images.OciLayoutWriter.Tar(w => Strata.Testing.Images.OciLayoutWriter.AddFile(w, "a.txt", "a\n"))));
        var options = new SimpleSigningOptions { Lookaside = new Uri("file://" + temp.Combine("sigs", "team", "app")) };
        var signer = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprint, "");
        var signed = await SimpleSigningWorkflow.SignAsync(layout, signer, "registry.example/team/app:1.0", options, CancellationToken.None);
        Assert.Equal(LookasideStore.SignatureUrl(options.Lookaside, signed.ManifestDigest, 1), signed.Location);
        var result = await SimpleSigningWorkflow.VerifyAsync(layout, OpenPgpKeyring.Load(File("public-key.gpg")), ExactIdentity("registry.example/team/app:1.0"), options, CancellationToken.None);
        Assert.True(result.Accepted, result.Summary);
        var usage = await Assert.ThrowsAsync<Strata.Core.StrataException>(() => SimpleSigningWorkflow.SignAsync(layout, signer, "registry.example/team/app:1.0", new SimpleSigningOptions(), CancellationToken.None));
        Assert.Contains("lookaside", usage.Message, StringComparison.Ordinal);
    }
}
