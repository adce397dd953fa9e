namespace Strata.Signing.Tests;

using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Signing.Cosign;
using Strata.Signing.Identity;
using Strata.Signing.Keys;
using Strata.Testing;

/// <summary>
/// Signing into an OCI layout: the stored form (tag sha256-HEX.sig, cosign's manifest and config), appending and
/// de-duplication, and each kind of tampering rejected with the check that failed.
/// </summary>
public sealed class CosignSignTests
{
    private const string Identity = "registry.example/team/app:v1";

    private static SigningKey NewKey() => SigningKey.GenerateEcdsaP256(out _);

    private static async Task<IReadOnlyList<CosignImageVerifier.Verdict>> VerifyAsync(string reference, IReadOnlyList<PublicKeyMaterial> keys, SignedIdentity? identity = null, string imageName = Identity)
    {
        var image = await CosignImage.LoadAsync(reference, new RegistryOptions(), ImageReference.Parse(imageName), CancellationToken.None);
        var check = identity ?? SignedIdentity.MatchRepoDigestOrExact;
        return CosignImageVerifier.Verify(image, keys, signed => check.Matches(image.DockerReference, signed, out var reason) ? null : reason);
    }

    [Fact]
    public async Task Signature_is_stored_as_cosign_stores_it_and_verifies()
    {
        using var dir = new TempDirectory("strata-cosign");
        var layout = dir.Combine("layout");
        var key = NewKey();
        Digest image;
        CosignSigner.SignedImage signed;
        await using (var store = new OciLayoutDestination(layout, "v1"))
        {
            image = await CosignTestImages.WriteAsync(store, "v1", "one");
            signed = await CosignSigner.SignAsync(store, key, Identity, null, CancellationToken.None);
        }

        Assert.Equal(image, signed.ImageDigest);
        Assert.True(signed.Stored.Added);
        Assert.Equal($"sha256-{image.Hex}.sig", signed.Stored.Tag);
        Assert.Equal(
            $"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"{Identity}\"}},\"image\":{{\"docker-manifest-digest\":\"{image}\"}},\"type\":\"cosign container image signature\"}},\"optional\":null}}",
            Encoding.UTF8.GetString(signed.Signature.Payload));

        await using (var store = new OciLayoutDestination(layout))
        {
            var manifest = (await store.GetManifestAsync(signed.Stored.Tag, CancellationToken.None))!;
            using var json = JsonDocument.Parse(manifest.Bytes);
            var root = json.RootElement;
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
            Assert.Equal("application/vnd.oci.image.config.v1+json", root.GetProperty("config").GetProperty("mediaType").GetString());
            var layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
            Assert.Equal(SigstoreSignature.MediaType, layer.GetProperty("mediaType").GetString());
            Assert.Equal(signed.Signature.Base64Signature, layer.GetProperty("annotations").GetProperty(SigstoreSignature.SignatureAnnotation).GetString());

            var configDescriptor = new Oci.Model.Descriptor
            {
                MediaType = "application/vnd.oci.image.config.v1+json",
                Digest = Digest.Parse(root.GetProperty("config").GetProperty("digest").GetString()!, "test"),
                Size = root.GetProperty("config").GetProperty("size").GetInt64(),
            };
            await using var configStream = await store.OpenBlobAsync(configDescriptor, CancellationToken.None);
            using var reader = new StreamReader(configStream);
            Assert.Equal(
                $"{{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{{\"created\":\"0001-01-01T00:00:00Z\"}}],\"os\":\"\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest.Sha256Of(signed.Signature.Payload)}\"]}},\"config\":{{}}}}",
                await reader.ReadToEndAsync());
        }

        var verdict = Assert.Single(await VerifyAsync("oci:" + layout + ":v1", [key.PublicKey]));
        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Same(key.PublicKey, verdict.Key);
    }

    [Fact]
    public async Task Re_signing_appends_and_the_same_key_and_payload_is_not_added_twice()
    {
        using var dir = new TempDirectory("strata-cosign");
        var layout = dir.Combine("layout");
        var first = NewKey();
        var second = NewKey();
        await using (var store = new OciLayoutDestination(layout, "v1"))
        {
            await CosignTestImages.WriteAsync(store, "v1", "one");
            Assert.True((await CosignSigner.SignAsync(store, first, Identity, null, CancellationToken.None)).Stored.Added);
            var again = await CosignSigner.SignAsync(store, first, Identity, null, CancellationToken.None);
            Assert.False(again.Stored.Added);
            Assert.Equal(1, again.Stored.SignatureCount);
            var annotated = await CosignSigner.SignAsync(store, first, Identity, new Dictionary<string, string> { ["build"] = "42" }, CancellationToken.None);
            Assert.True(annotated.Stored.Added);
            Assert.Equal("42", annotated.Payload.Annotations["build"]);
            var other = await CosignSigner.SignAsync(store, second, Identity, null, CancellationToken.None);
            Assert.Equal(3, other.Stored.SignatureCount);
        }

        var verdicts = await VerifyAsync("oci:" + layout + ":v1", [second.PublicKey]);
        Assert.Equal(3, verdicts.Count);
        Assert.Equal([false, false, true], verdicts.Select(v => v.Accepted));
        Assert.Equal(3, (await VerifyAsync("oci:" + layout + ":v1", [first.PublicKey, second.PublicKey])).Count(v => v.Accepted));
    }

    [Fact]
    public async Task An_oci_layout_needs_an_identity()
    {
        using var dir = new TempDirectory("strata-cosign");
        await using var store = new OciLayoutDestination(dir.Combine("layout"), "v1");
        await CosignTestImages.WriteAsync(store, "v1", "one");
        var error = await Assert.ThrowsAsync<StrataException>(() => CosignSigner.SignAsync(store, NewKey(), null, null, CancellationToken.None));
        Assert.Contains("--identity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampering_is_rejected_naming_the_failed_check()
    {
        using var dir = new TempDirectory("strata-cosign");
        var key = NewKey();
        SigstoreSignature signature;
        byte[] manifest;
        await using (var store = new OciLayoutDestination(dir.Combine("layout"), "v1"))
        {
            await CosignTestImages.WriteAsync(store, "v1", "one");
            signature = (await CosignSigner.SignAsync(store, key, Identity, null, CancellationToken.None)).Signature;
            manifest = (await store.GetManifestAsync("v1", CancellationToken.None))!.Bytes;
        }

        // The untouched dir: copy verifies; each tampered one fails its own check.
        Assert.True(Assert.Single(await VerifyAsync(WriteDirCopy(dir, "good", manifest, signature), [key.PublicKey])).Accepted);

        var payload = (byte[])signature.Payload.Clone();
        payload[Array.IndexOf(payload, (byte)'v', 40)] = (byte)'w';
        var changedPayload = new SigstoreSignature(signature.MimeType, payload, signature.Annotations);
        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "payload", manifest, changedPayload), [key.PublicKey]), "signature does not match the key");

        var raw = Convert.FromBase64String(signature.Base64Signature!);
        raw[^1] ^= 0x01;
        var changedSignature = new SigstoreSignature(signature.MimeType, signature.Payload, new Dictionary<string, string> { [SigstoreSignature.SignatureAnnotation] = Convert.ToBase64String(raw) });
        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "signature", manifest, changedSignature), [key.PublicKey]), "signature does not match the key");

        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "key", manifest, signature), [NewKey().PublicKey]), "signature does not match the key");

        var changedManifest = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest).Replace("\"schemaVersion\":2", "\"schemaVersion\": 2", StringComparison.Ordinal));
        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "manifest", changedManifest, signature), [key.PublicKey]), "manifest digest mismatch");

        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "identity", manifest, signature), [key.PublicKey], imageName: "registry.example/team/other:v1"), "identity mismatch");
        AssertRejected(await VerifyAsync(WriteDirCopy(dir, "tag", manifest, signature), [key.PublicKey], imageName: "registry.example/team/app:v2"), "identity mismatch");
    }

    private static void AssertRejected(IReadOnlyList<CosignImageVerifier.Verdict> verdicts, string expected)
    {
        var verdict = Assert.Single(verdicts);
        Assert.False(verdict.Accepted);
        Assert.Contains(expected, verdict.Reason, StringComparison.Ordinal);
    }

    private static string WriteDirCopy(TempDirectory dir, string name, byte[] manifest, SigstoreSignature signature)
    {
        var path = dir.Combine(name);
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "manifest.json"), manifest);
        File.WriteAllBytes(Path.Combine(path, "signature-1"), signature.ToDirBlob());
        return "dir:" + path;
    }
}
