namespace Strata.Signing.Tests;

using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Strata.Oci;
using Strata.Oci.Registry;
using Strata.Signing.Lookaside;
using Strata.Signing.Policy;
using Strata.Signing.SimpleSigning;
using Strata.Testing;
using Strata.Testing.Images;
using static Strata.Signing.Tests.SimpleSigningFixtures;

/// <summary>GPG simple signing both ways with the real skopeo and gpg, and the tampering that must be caught.</summary>
public sealed class SkopeoSimpleSigningTests
{
    private const string Identity = "testing/manifest:latest";

    private static readonly SimpleSigner FixtureSigner = SimpleSigner.Load(File("secring.gpg"), TestKeyFingerprint, "");

    [Fact]
    public async Task Skopeo_standalone_sign_output_verifies_in_strata()
    {
        await using var home = await SimpleSigningGnuPgHome.CreateAsync(File("secring.gpg"));
        using var temp = new TempDirectory();
        var signature = temp.Combine("signature-1");
        await home.RunCheckedAsync("skopeo", "standalone-sign", "-o", signature, File("image.manifest.json"), Identity, TestKeyFingerprint);
        var payload = SimpleSignatureVerifier.Verify(await System.IO.File.ReadAllBytesAsync(signature), OpenPgpKeyring.Load(File("public-key.gpg")), out var fingerprint);
        Assert.Equal(TestKeyFingerprint, fingerprint);
        Assert.Equal(Identity, payload.DockerReference);
        Assert.Equal(ImageManifestDigest, payload.ManifestDigest.ToString());
        Assert.StartsWith("atomic ", payload.Creator, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strata_signatures_pass_skopeo_standalone_verify()
    {
        await using var home = await SimpleSigningGnuPgHome.CreateAsync(File("public-key.gpg"));
        using var temp = new TempDirectory();
        var manifest = Read("image.manifest.json");
        var signature = temp.Combine("signature-1");
        await System.IO.File.WriteAllBytesAsync(signature, FixtureSigner.Sign(new SignaturePayload(Identity, Digest.Sha256Of(manifest), SignaturePayload.AtomicType, "strata", DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
        var output = await home.RunCheckedAsync("skopeo", "standalone-verify", File("image.manifest.json"), Identity, TestKeyFingerprint, signature);
        Assert.Contains($"Signature verified, digest {ImageManifestDigest}", output, StringComparison.Ordinal);

        var wrongIdentity = await home.RunAsync("skopeo", "standalone-verify", File("image.manifest.json"), "testing/manifest:other", TestKeyFingerprint, signature);
        Assert.NotEqual(0, wrongIdentity.ExitCode);
    }

    [Fact]
    public async Task Signatures_of_a_key_generated_by_gpg_pass_both_ways()
    {
        await using var home = await SimpleSigningGnuPgHome.CreateAsync();
        await home.RunCheckedAsync("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Strata Test <strata@example.invalid>", "default", "default", "never");
        var fingerprint = (await home.RunCheckedAsync("gpg", "--batch", "--with-colons", "--list-secret-keys"))
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        using var temp = new TempDirectory();
        var secret = temp.Combine("secret.asc");
        var output = await home.RunAsync("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", fingerprint);
        await System.IO.File.WriteAllTextAsync(secret, output.StdOut);
        var signer = SimpleSigner.Load(secret, null, "");
        Assert.Equal(fingerprint, signer.Fingerprint);

        var signature = temp.Combine("strata.sig");
        await System.IO.File.WriteAllBytesAsync(signature, signer.Sign(new SignaturePayload(Identity, Digest.Parse(ImageManifestDigest, "test"), SignaturePayload.AtomicType)));
        var verified = await home.RunCheckedAsync("skopeo", "standalone-verify", File("image.manifest.json"), Identity, fingerprint, signature);
        Assert.Contains("Signature verified", verified, StringComparison.Ordinal);

        var skopeoSignature = temp.Combine("skopeo.sig");
        await home.RunCheckedAsync("skopeo", "standalone-sign", "-o", skopeoSignature, File("image.manifest.json"), Identity, fingerprint);
        var publicKey = temp.Combine("public.asc");
        await System.IO.File.WriteAllTextAsync(publicKey, await home.RunCheckedAsync("gpg", "--armor", "--export", fingerprint));
        SimpleSignatureVerifier.Verify(await System.IO.File.ReadAllBytesAsync(skopeoSignature), OpenPgpKeyring.Load(publicKey), out var signerFingerprint);
        Assert.Equal(fingerprint, signerFingerprint);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_are_refused_as_gpg_refuses_them()
    {
        await using var home = await SimpleSigningGnuPgHome.CreateAsync();
        using var temp = new TempDirectory();
        var payload = new SignaturePayload(Identity, Digest.Parse(ImageManifestDigest, "test"), SignaturePayload.AtomicType);

        // A key that expired long ago: gpg made it (and the signature) at a faked time in 2020.
        await home.RunCheckedAsync("gpg", "--batch", "--faked-system-time", "20200101T000000", "--passphrase", "", "--quick-gen-key", "Expired <expired@example.invalid>", "ed25519", "sign", "1d");
        var expiredFingerprint = await FingerprintAsync(home, "expired@example.invalid");
        var expiredSignature = temp.Combine("expired.sig");
        await System.IO.File.WriteAllTextAsync(temp.Combine("payload.json"), System.Text.Encoding.UTF8.GetString(payload.ToJson()));
        await home.RunCheckedAsync("gpg", "--batch", "--faked-system-time", "20200101T000100", "-u", expiredFingerprint, "-o", expiredSignature, "--sign", temp.Combine("payload.json"));
        var expiredKeyring = await ExportAsync(home, temp, expiredFingerprint);
        var expired = Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.Verify(System.IO.File.ReadAllBytes(expiredSignature), expiredKeyring, out _));
        Assert.Contains($"key {expiredFingerprint} expired on 2020-01-02", expired.Message, StringComparison.Ordinal);

        // A key signed with, then revoked with the revocation certificate gpg keeps for it.
        await home.RunCheckedAsync("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Revoked <revoked@example.invalid>", "ed25519", "sign", "never");
        var revokedFingerprint = await FingerprintAsync(home, "revoked@example.invalid");
        var secret = temp.Combine("revoked-secret.asc");
        await System.IO.File.WriteAllTextAsync(secret, (await home.RunAsync("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", revokedFingerprint)).StdOut);
        var signature = SimpleSigner.Load(secret, null, "").Sign(payload);
        var certificate = System.IO.File.ReadAllText(Path.Combine(home.Path, "openpgp-revocs.d", revokedFingerprint + ".rev")).Replace(":-----BEGIN", "-----BEGIN", StringComparison.Ordinal);
        await System.IO.File.WriteAllTextAsync(temp.Combine("revocation.asc"), certificate);
        await home.RunCheckedAsync("gpg", "--batch", "--import", temp.Combine("revocation.asc"));
        var revokedKeyring = await ExportAsync(home, temp, revokedFingerprint);
        var revoked = Assert.Throws<SignatureException>(() => SimpleSignatureVerifier.Verify(signature, revokedKeyring, out _));
        Assert.Contains($"key {revokedFingerprint} is revoked", revoked.Message, StringComparison.Ordinal);
        var skopeo = await home.RunAsync("skopeo", "standalone-verify", File("image.manifest.json"), Identity, revokedFingerprint, WriteTo(temp.Combine("revoked.sig"), signature));
        Assert.NotEqual(0, skopeo.ExitCode);
    }

    private static string WriteTo(string path, byte[] bytes)
    {
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<string> FingerprintAsync(SimpleSigningGnuPgHome home, string email) =>
        (await home.RunCheckedAsync("gpg", "--batch", "--with-colons", "--list-keys", email))
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];

    private static async Task<OpenPgpKeyring> ExportAsync(SimpleSigningGnuPgHome home, TempDirectory temp, string fingerprint)
    {
        var path = temp.Combine(fingerprint + ".asc");
        await System.IO.File.WriteAllTextAsync(path, await home.RunCheckedAsync("gpg", "--armor", "--export", fingerprint));
        return OpenPgpKeyring.Load(path);
    }

    [Fact]
    public async Task Tampering_is_rejected_saying_which()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("img");
        System.IO.Directory.CreateDirectory(dir);
        System.IO.File.Copy(File("image.manifest.json"), Path.Combine(dir, "manifest.json"));
        await SimpleSigningWorkflow.SignAsync("dir:" + dir, FixtureSigner, Identity, new SimpleSigningOptions(), CancellationToken.None);
        var good = await System.IO.File.ReadAllBytesAsync(Path.Combine(dir, "signature-1"));
        var keyring = OpenPgpKeyring.Load(File("public-key.gpg"));
        var manifest = Read("image.manifest.json");
        var identity = SimpleSigningWorkflowTests.ExactIdentity(Identity);
        SimpleSignatureCheck CheckOf(byte[] signature, byte[] manifestBytes, OpenPgpKeyring ring, Func<string, string?> id) =>
            SimpleSigningWorkflow.Check("signature-1", signature, ring, null, manifestBytes, id, DateTimeOffset.UtcNow);

        Assert.True(CheckOf(good, manifest, keyring, identity).Accepted);

        var inner = Inner(good);
        var payloadAt = IndexOf(inner, "testing/manifest"u8);
        var changedPayload = (byte[])inner.Clone();
        changedPayload[payloadAt] ^= 0x01;
        Assert.Contains("does not match", CheckOf(Repack(changedPayload), manifest, keyring, identity).Problem, StringComparison.Ordinal);

        var changedSignature = (byte[])inner.Clone();
        changedSignature[^5] ^= 0x01;
        Assert.Contains("does not match", CheckOf(Repack(changedSignature), manifest, keyring, identity).Problem, StringComparison.Ordinal);

        var changedManifest = (byte[])manifest.Clone();
        changedManifest[10] = (byte)' ';
        Assert.Contains("manifest digest mismatch", CheckOf(good, changedManifest, keyring, identity).Problem, StringComparison.Ordinal);

        Assert.Contains("unknown key", CheckOf(good, manifest, OpenPgpKeyring.Load(File("public-key-2.gpg")), identity).Problem, StringComparison.Ordinal);
        var notAccepted = SimpleSigningWorkflow.Check("signature-1", good, keyring, [TestKeyFingerprintWithPassphrase], manifest, identity, DateTimeOffset.UtcNow);
        Assert.Contains($"signature by key {TestKeyFingerprint} is not accepted", notAccepted.Problem, StringComparison.Ordinal);

        var other = CheckOf(good, manifest, keyring, SimpleSigningWorkflowTests.ExactIdentity("testing/manifest:v2"));
        Assert.Contains("identity mismatch: signed for testing/manifest:latest, image is testing/manifest:v2", other.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skopeo_copy_with_a_signedBy_policy_pulls_strata_signed_images_and_rejects_unsigned_ones()
    {
        using var temp = new TempDirectory("strata-gpg-registry");
        await using var registry = await RegistryServer.StartAsync(temp.Path, temp.Combine("storage"), null);
        var layout = OciLayoutWriter.WriteSingle(temp.Combine("layout"), OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "hello.txt", "signed by strata\n"))));
        foreach (var repository in new[] { "team/signed:v1", "team/unsigned:v1", "team/wrong-identity:v1" })
        {
            await ExternalTool.RunCheckedAsync("skopeo", "copy", "--dest-tls-verify=false", layout, $"docker://{registry.HostPort}/{repository}");
        }

        var lookaside = temp.Combine("lookaside");
        var registriesD = temp.Combine("registries.d");
        System.IO.Directory.CreateDirectory(registriesD);
        await System.IO.File.WriteAllTextAsync(Path.Combine(registriesD, "local.yaml"), $"docker:\n  {registry.HostPort}:\n    lookaside: file://{lookaside}\n");
        var options = new SimpleSigningOptions
        {
            Image = new ImageOpenOptions { Registry = new RegistryOptions { TlsVerify = false, EnvironmentVariable = _ => null } },
            Registries = RegistriesConfiguration.Load(registriesD),
        };
        var signed = await SimpleSigningWorkflow.SignAsync($"docker://{registry.HostPort}/team/signed:v1", FixtureSigner, null, options, CancellationToken.None);
        Assert.Equal($"{registry.HostPort}/team/signed:v1", signed.DockerReference);
        Assert.StartsWith($"file://{lookaside}/team/signed@sha256=", signed.Location.ToString(), StringComparison.Ordinal);
        await SimpleSigningWorkflow.SignAsync($"docker://{registry.HostPort}/team/wrong-identity:v1", FixtureSigner, $"{registry.HostPort}/team/signed:v1", options, CancellationToken.None);

        var verified = await SimpleSigningWorkflow.VerifyAsync($"docker://{registry.HostPort}/team/signed:v1", OpenPgpKeyring.Load(File("public-key.gpg")), SimpleSigningWorkflowTests.ExactIdentity($"{registry.HostPort}/team/signed:v1"), options, CancellationToken.None);
        Assert.True(verified.Accepted, verified.Summary);

        var policy = temp.Combine("policy.json");
        await System.IO.File.WriteAllTextAsync(policy, $$"""
            {
              "default": [{"type": "reject"}],
              "transports": {
                "docker": {"{{registry.HostPort}}/team": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "{{File("public-key.gpg")}}"}]}
              }
            }
            """);
        await using var home = await SimpleSigningGnuPgHome.CreateAsync();
        Task<ExternalTool.Result> CopyAsync(string repository) => home.RunAsync(
            "skopeo", "--policy", policy, "--registries.d", registriesD, "copy", "--src-tls-verify=false", "--remove-signatures",
            $"docker://{registry.HostPort}/{repository}", $"oci:{temp.Combine("out")}:{repository.Replace('/', '-').Replace(':', '-')}");

        var pulled = await CopyAsync("team/signed:v1");
        Assert.True(pulled.ExitCode == 0, pulled.StdErr);
        var unsigned = await CopyAsync("team/unsigned:v1");
        Assert.NotEqual(0, unsigned.ExitCode);
        Assert.Contains("no signature exists", unsigned.StdErr, StringComparison.Ordinal);
        var wrongIdentity = await CopyAsync("team/wrong-identity:v1");
        Assert.NotEqual(0, wrongIdentity.ExitCode);
        Assert.Contains($"Signature for identity {registry.HostPort}/team/signed:v1 is not accepted", wrongIdentity.StdErr, StringComparison.Ordinal);

        // Strata's own policy evaluation (what `strata policy check` runs) gives the same three verdicts from the registry.
        var loaded = await ContainersPolicy.LoadAsync(policy, CancellationToken.None);
        async Task<PolicyDecision> DecideAsync(string repository)
        {
            var name = PolicyImageName.Parse($"docker://{registry.HostPort}/{repository}");
            var image = await PolicyImageLoader.LoadAsync(name, PolicySignatureSources.From(options.Registries), options.Image, CancellationToken.None);
            return await PolicyEvaluator.EvaluateAsync(loaded, image, CancellationToken.None);
        }

        Assert.True((await DecideAsync("team/signed:v1")).Accepted);
        var unsignedDecision = await DecideAsync("team/unsigned:v1");
        Assert.False(unsignedDecision.Accepted);
        var wrongDecision = await DecideAsync("team/wrong-identity:v1");
        Assert.False(wrongDecision.Accepted);
        Assert.Contains("identity", wrongDecision.FirstRejection, StringComparison.Ordinal);
    }

    /// <summary>The packets inside the compressed packet: one-pass signature, literal data, signature.</summary>
    private static byte[] Inner(byte[] signature)
    {
        var compressed = (PgpCompressedData)new PgpObjectFactory(signature).NextPgpObject();
        using var stream = compressed.GetDataStream();
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] Repack(byte[] inner)
    {
        var output = new MemoryStream();
        using (var compressed = new PgpCompressedDataGenerator(CompressionAlgorithmTag.Zip).Open(output))
        {
            compressed.Write(inner);
        }

        return output.ToArray();
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return at;
    }
}
