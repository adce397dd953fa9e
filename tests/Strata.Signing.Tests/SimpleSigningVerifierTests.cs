namespace Strata.Signing.Tests;

using System.Text;
using Strata.Signing.SimpleSigning;
using static Strata.Signing.Tests.SimpleSigningFixtures;

public sealed class SimpleSigningVerifierTests
{
    private static readonly OpenPgpKeyring TestKeyring = OpenPgpKeyring.Load(File("pubring.gpg"));

    [Fact]
    public void Keyring_reads_armored_binary_and_several_files_with_primary_fingerprints()
    {
        Assert.Equal([TestKeyFingerprint], OpenPgpKeyring.Load(File("public-key.gpg")).Fingerprints);
        Assert.Equal([PrimaryWithSubkey], OpenPgpKeyring.Load(File("public-key-with-subkey.gpg")).Fingerprints);
        Assert.Equal([PrimaryWithRevokedSubkey], OpenPgpKeyring.Load(File("public-key-with-revoked-subkey.gpg")).Fingerprints);
        Assert.Equal([TestKeyFingerprint, TestKeyFingerprintWithPassphrase], OpenPgpKeyring.Load(File("public-key-1.gpg"), File("public-key-2.gpg")).Fingerprints);
        string[] expected = [TestKeyFingerprintWithPassphrase, TestKeyFingerprint, PrimaryWithSubkey, PrimaryWithRevokedSubkey];
        var twice = OpenPgpKeyring.FromBytes([[.. Read("pubring.gpg"), .. Read("pubring.gpg")]]);
        Assert.Equal([.. expected, .. expected], twice.Fingerprints);
        Assert.Empty(OpenPgpKeyring.FromBytes([[]]).Fingerprints);
        Assert.Throws<SignatureException>(() => OpenPgpKeyring.FromBytes([Encoding.ASCII.GetBytes("This is invalid")]));
    }

    [Theory]
    [InlineData("invalid-blob.signature")]
    [InlineData("invalid-blob.signature-v3")]
    public void Valid_message_returns_content_and_fingerprint(string fixture)
    {
        var content = SimpleSignatureVerifier.VerifyMessage(Read(fixture), TestKeyring, DateTimeOffset.UtcNow, out var fingerprint);
        Assert.Equal("This is not JSON\n", Encoding.UTF8.GetString(content));
        Assert.Equal(TestKeyFingerprint, fingerprint);
    }

    [Theory]
    [InlineData("subkey.signature")]
    [InlineData("subkey.signature-v3")]
    public void Subkey_signature_names_the_primary_key(string fixture)
    {
        var payload = SimpleSignatureVerifier.Verify(Read(fixture), TestKeyring, out var fingerprint);
        Assert.Equal(PrimaryWithSubkey, fingerprint);
        Assert.Equal("testing/manifest:latest", payload.DockerReference);
        Assert.Equal(ImageManifestDigest, payload.ManifestDigest.ToString());
    }

    [Fact]
    public void Image_signature_payload_is_parsed()
    {
        var payload = SimpleSignatureVerifier.Verify(Read("image.signature"), OpenPgpKeyring.Load(File("public-key.gpg")), out var fingerprint);
        Assert.Equal(TestKeyFingerprint, fingerprint);
        Assert.Equal("testing/manifest", payload.DockerReference);
        Assert.Equal(ImageManifestDigest, payload.ManifestDigest.ToString());
    }

    [Theory]
    [InlineData("unsigned-literal.signature", "literal data without a signature")]
    [InlineData("unsigned-encrypted.signature", "encrypted")]
    [InlineData("expired.signature", "signature expired")]
    [InlineData("corrupt.signature", "does not match")]
    [InlineData("corrupt.signature-v3", "does not match")]
    [InlineData("unknown-key.signature", "unknown key")]
    [InlineData("unknown-key.signature-v3", "unknown key")]
    [InlineData("subkey-revoked.signature", "revoked")]
    [InlineData("subkey-revoked.signature-v3", "revoked")]
    public void Invalid_messages_are_rejected_saying_why(string fixture, string reason)
    {
        var error = Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.VerifyMessage(Read(fixture), TestKeyring, DateTimeOffset.UtcNow, out _));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_and_empty_input_are_rejected()
    {
        Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.VerifyMessage([], TestKeyring, DateTimeOffset.UtcNow, out _));
        Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.VerifyMessage(Encoding.ASCII.GetBytes("invalid signature"), TestKeyring, DateTimeOffset.UtcNow, out _));
    }

    [Fact]
    public void Key_missing_from_the_given_keyring_is_unknown()
    {
        var onlyOther = OpenPgpKeyring.Load(File("public-key-2.gpg"));
        var error = Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.Verify(Read("image.signature"), onlyOther, out _));
        Assert.Contains("unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_outside_the_accepted_fingerprints_is_rejected()
    {
        var error = Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.Verify(Read("image.signature"), TestKeyring, ["0123456789ABCDEF0123456789ABCDEF01234567"], out _));
        Assert.Contains($"signature by key {TestKeyFingerprint} is not accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_json_content_is_rejected_as_payload()
    {
        Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.Verify(Read("invalid-blob.signature"), TestKeyring, out _));
    }
}
