namespace Strata.Signing.Tests;

using System.Text;
using Strata.Oci;
using Strata.Signing.SimpleSigning;
using Strata.Testing;
using static Strata.Signing.Tests.SimpleSigningFixtures;

public sealed class SimpleSigningSignerTests
{
    private static SignaturePayload PayloadFor(byte[] manifest, string reference) =>
        new(reference, Digest.Sha256Of(manifest), SignaturePayload.AtomicType, "strata test", 1_700_000_000);

    [Fact]
    public void Signs_with_the_fixture_secret_keyring_and_verifies()
    {
        var signer = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprint, "");
        Assert.Equal(TestKeyFingerprint, signer.Fingerprint);
        var manifest = Read("image.manifest.json");
        var signature = signer.Sign(PayloadFor(manifest, "testing/manifest:latest"));
        var payload = SimpleSignatureVerifier.Verify(signature, OpenPgpKeyring.Load(File("public-key.gpg")), out var fingerprint);
        Assert.Equal(TestKeyFingerprint, fingerprint);
        Assert.Equal(ImageManifestDigest, payload.ManifestDigest.ToString());
        Assert.Equal("testing/manifest:latest", payload.DockerReference);
    }

    [Fact]
    public void Passphrase_protected_key_needs_its_passphrase_and_errors_never_show_it()
    {
        var missing = Assert.Throws<SignatureException>(() => SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprintWithPassphrase, ""));
        Assert.Contains("protected by a passphrase", missing.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<SignatureException>(() => SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprintWithPassphrase, "not-the-passphrase"));
        Assert.Contains("wrong passphrase", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-passphrase", wrong.Message, StringComparison.Ordinal);
        var signer = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprintWithPassphrase, TestPassphrase);
        var content = SimpleSignatureVerifier.VerifyMessage(signer.Sign("content"u8), OpenPgpKeyring.Load(File("pubring.gpg")), DateTimeOffset.UtcNow, out var fingerprint);
        Assert.Equal("content", Encoding.UTF8.GetString(content));
        Assert.Equal(TestKeyFingerprintWithPassphrase, fingerprint);
    }

    [Fact]
    public void Keyring_with_several_keys_needs_a_fingerprint()
    {
        var error = Assert.Throws<SignatureException>(() => SimpleSigner.Load(File("secring.gpg"), null, ""));
        Assert.Contains("name one by its fingerprint", error.Message, StringComparison.Ordinal);
        Assert.Throws<SignatureException>(() => SimpleSigner.Load(File("secring.gpg"), "0123456789ABCDEF0123456789ABCDEF01234567", ""));
        Assert.Throws<SignatureException>(() => SimpleSigner.Load(File("public-key.gpg"), null, ""));
    }

    [Fact]
    public async Task Packet_layout_matches_what_gpg_sign_writes()
    {
        await using var home = await SimpleSigningGnuPgHome.CreateAsync(File("public-key.gpg"));
        using var temp = new TempDirectory();
        var signature = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprint, "").Sign("payload"u8);
        var path = temp.Combine("sig");
        await System.IO.File.WriteAllBytesAsync(path, signature);
        var packets = await home.RunCheckedAsync("gpg", "--list-packets", path);
        string[] expected =
        [
            ":compressed packet: algo=1",
            ":onepass_sig packet: keyid E932F44B23E8DD43",
            "version 3, sigclass 0x00, digest 10, pubkey 1, last=1",
            "mode b (62)",
            "name=\"\"",
            ":signature packet: algo 1, keyid E932F44B23E8DD43",
            "digest algo 10",
            "hashed subpkt 33 len 21 (issuer fpr v4 08CD26E446E2E95249B7A405E932F44B23E8DD43)",
            "hashed subpkt 2 len 4 (sig created",
            "subpkt 16 len 8 (issuer key ID E932F44B23E8DD43)",
        ];
        foreach (var line in expected)
        {
            Assert.Contains(line, packets, StringComparison.Ordinal);
        }

        var decoded = await home.RunAsync("gpg", "--batch", "--decrypt", path);
        Assert.Equal(0, decoded.ExitCode);
        Assert.Equal("payload", decoded.StdOut);
        Assert.Contains("Good signature", decoded.StdErr, StringComparison.Ordinal);
    }
}
