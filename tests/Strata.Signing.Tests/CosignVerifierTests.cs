namespace Strata.Signing.Tests;

using Strata.Signing.Cosign;
using Strata.Signing.Keys;
using Strata.Testing;

/// <summary>
/// cosign-made signatures from containers/image's fixtures verify with their key and are rejected with another,
/// naming the failed check.
/// </summary>
public sealed class CosignVerifierTests
{
    internal static string Fixtures => Path.Combine(RepoPaths.Shared, "fixtures", "containers-image-signatures");

    internal static SigstoreSignature ReadSignature(string folder, int index = 1)
    {
        var path = Path.Combine(Fixtures, folder, $"signature-{index}");
        return SigstoreSignature.FromDirBlob(File.ReadAllBytes(path), path);
    }

    [Fact]
    public void Cosign_made_signature_verifies_with_its_key()
    {
        var key = PublicKeyMaterial.Load(Path.Combine(Fixtures, "cosign.pub"));
        Assert.Equal("ECDSA P-256", key.Algorithm);
        var payload = CosignVerifier.Verify(ReadSignature("dir-img-cosign-valid"), [key], out var by);
        Assert.Same(key, by);
        Assert.Equal("192.168.64.2:5000/cosign-signed-single-sample", payload.DockerReference);
        Assert.Equal(SignaturePayload.CosignType, payload.Type);
    }

    [Fact]
    public void Any_of_several_keys_verifies()
    {
        var keys = PublicKeyMaterial.Load([Path.Combine(Fixtures, "cosign2.pub"), Path.Combine(Fixtures, "cosign.pub")]);
        CosignVerifier.Verify(ReadSignature("dir-img-cosign-valid"), keys, out var by);
        Assert.EndsWith("cosign.pub", by.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_key_is_rejected_naming_the_key()
    {
        var key = PublicKeyMaterial.Load(Path.Combine(Fixtures, "cosign2.pub"));
        var error = Assert.Throws<SignatureException>(() => CosignVerifier.Verify(ReadSignature("dir-img-cosign-valid"), [key]));
        Assert.Contains("signature does not match the key", error.Message, StringComparison.Ordinal);
        Assert.Contains("cosign2.pub", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dir_blob_round_trips_byte_for_byte()
    {
        var path = Path.Combine(Fixtures, "dir-img-cosign-valid", "signature-1");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(bytes, SigstoreSignature.FromDirBlob(bytes, path).ToDirBlob());
    }

    [Fact]
    public void Other_attachments_are_not_signatures()
    {
        var attachment = ReadSignature("dir-img-cosign-other-attachment");
        Assert.False(attachment.IsSignature);
        var key = PublicKeyMaterial.Load(Path.Combine(Fixtures, "cosign.pub"));
        var error = Assert.Throws<SignatureException>(() => CosignVerifier.Verify(attachment, [key]));
        Assert.Contains("not a cosign signature", error.Message, StringComparison.Ordinal);
    }
}
