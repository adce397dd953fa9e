namespace Strata.Encryption.Tests;

using System.Text;
using System.Text.Json.Nodes;
using Strata.Encryption.Cipher;
using Strata.Encryption.KeyWrap;
using Strata.Encryption.Keys;
using Strata.Oci;
using Strata.Oci.Resolution;

/// <summary>
/// Bad input on decryption: each failure says which check failed, exits non-zero, and leaves no tag in the
/// destination (the manifest is written last).
/// </summary>
public sealed class EncryptionTamperTests(EncryptionWorld world) : IClassFixture<EncryptionWorld>
{
    [Fact]
    public async Task Changed_ciphertext_fails_the_hmac()
    {
        var layout = await EncryptedCopyAsync("hmac");
        OciLayout.Rewrite(layout, manifest =>
        {
            var layer = manifest["layers"]![0]!;
            var bytes = File.ReadAllBytes(OciLayout.BlobPath(layout, layer["digest"]!.GetValue<string>()));
            bytes[bytes.Length / 2] ^= 0x20;
            layer["digest"] = OciLayout.WriteBlob(layout, bytes);
        });

        await DecryptFailsAsync(layout, "rsa.key", "HMAC check failed");
    }

    [Fact]
    public async Task Truncated_blob_is_caught_by_its_descriptor()
    {
        var layout = await EncryptedCopyAsync("truncated");
        var path = OciLayout.BlobPath(layout, OciLayout.Digests(layout)[1]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 7)]);
        await DecryptFailsAsync(layout, "rsa.key", "truncated");
    }

    [Fact]
    public async Task A_key_that_is_no_recipient_is_refused_by_name_of_the_schemes()
    {
        var layout = await EncryptedCopyAsync("wrongkey");
        var error = await DecryptFailsAsync(layout, "ec.key", "none of the keys given opens it");
        Assert.Contains("wrapped for JWE", error, StringComparison.Ordinal);
        await DecryptFailsAsync(layout, "sec.gpg", "no key given can open it: it is encrypted for JWE recipients");
    }

    [Fact]
    public async Task Changed_digest_in_the_private_options_fails_the_plaintext_check()
    {
        var layout = await EncryptedCopyAsync("privdigest");
        var image = await ImageResolver.OpenAsync($"oci:{layout}:v1", ImageOpenOptions.Default, CancellationToken.None);
        await using (image.Source)
        {
            using var keys = DecryptionKeys.Parse([world.Path("rsa.key")]);
            var options = new LayerDecryptor(keys).Unwrap(image.Layers[0].Descriptor, "layer 0");
            var forged = options with { Digest = Digest.Parse("sha256:" + new string('b', 64), "test") };
            using var publicKey = AsymmetricKeys.LoadPublic(File.ReadAllBytes(world.Path("rsa.pub")), "rsa.pub");
            var wrapped = Convert.ToBase64String(Jwe.Encrypt(forged.ToJson(), [publicKey]));
            OciLayout.Rewrite(layout, manifest => manifest["layers"]![0]!["annotations"]![LayerAnnotations.Jwe] = wrapped);
        }

        var error = await DecryptFailsAsync(layout, "rsa.key", "digest mismatch");
        Assert.Contains("the digest its private options name", error, StringComparison.Ordinal);
        Assert.Contains("sha256:" + new string('b', 64), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LayerAnnotations.PublicOptions, "!!not base64", "annotation org.opencontainers.image.enc.pubopts: not base64")]
    [InlineData(LayerAnnotations.PublicOptions, "eyJjaXBoZXIiOiJST1QxMyJ9", "cipher 'ROT13' is not supported")]
    [InlineData(LayerAnnotations.Jwe, "e30=,@@", "annotation org.opencontainers.image.enc.keys.jwe, message 1: not base64")]
    [InlineData(LayerAnnotations.Jwe, "bm90IGpzb24=", "not a JWE in JSON serialization")]
    public async Task Malformed_annotations_are_named(string annotation, string value, string expected)
    {
        var layout = await EncryptedCopyAsync("annotation-" + Math.Abs(StringComparer.Ordinal.GetHashCode(annotation + value)));
        OciLayout.Rewrite(layout, manifest => manifest["layers"]![0]!["annotations"]![annotation] = value);
        await DecryptFailsAsync(layout, "rsa.key", expected);
    }

    [Fact]
    public async Task Public_options_with_a_wrong_hmac_length_are_refused()
    {
        var layout = await EncryptedCopyAsync("hmaclength");
        var options = new PublicLayerOptions(AesCtrHmac.CipherName, new byte[5], new Dictionary<string, byte[]>());
        OciLayout.Rewrite(layout, manifest => manifest["layers"]![0]!["annotations"]![LayerAnnotations.PublicOptions] = Convert.ToBase64String(options.ToJson()));
        await DecryptFailsAsync(layout, "rsa.key", "hmac is 5 bytes, not 32");
    }

    private async Task<string> EncryptedCopyAsync(string name)
    {
        var layout = world.Path("tamper-" + name);
        var run = await EncryptionWorld.StrataAsync("encrypt", "-q", "-r", "jwe:" + world.Path("rsa.pub"), world.Image, $"oci:{layout}:v1");
        Assert.True(run.Exit == 0, run.Err);
        return layout;
    }

    private async Task<string> DecryptFailsAsync(string layout, string key, string expected)
    {
        var output = world.Path("out-" + Path.GetFileName(layout) + "-" + key.Replace('.', '-'));
        var run = await EncryptionWorld.StrataAsync("decrypt", "-k", world.Path(key), $"oci:{layout}:v1", $"oci:{output}:v1");
        Assert.NotEqual(0, run.Exit);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
        Assert.Empty(run.Out);

        // No tag, no manifest: nothing names a half-written image.
        var index = Path.Combine(output, "index.json");
        Assert.True(!File.Exists(index) || JsonNode.Parse(File.ReadAllText(index))!["manifests"]!.AsArray().Count == 0, "the destination names an image after a failed decryption");
        Assert.DoesNotContain("PRIVATE KEY", run.Err, StringComparison.Ordinal);
        return run.Err;
    }
}
