namespace Strata.Signing.Tests;

using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Signing.Cosign;
using Strata.Signing.Identity;
using Strata.Signing.Keys;
using Strata.Signing.Policy;
using Strata.Signing.Lookaside;
using Strata.Testing;

/// <summary>
/// Strata signs into a real docker-registry (2.8, no referrers API, so the sha256-HEX.sig tag); skopeo 1.9.3 with
/// registries.d <c>use-sigstore-attachments: true</c> copies the attachment to a <c>dir:</c> folder, where Strata
/// verifies it again. (Debian's skopeo 1.9.3 cannot check a sigstoreSigned policy either: it answers "Debian-local
/// change: sigstore disabled", so that direction is not tested here.)
/// </summary>
public sealed class CosignRegistryInteropTests
{
    private static readonly RegistryOptions Plain = new() { TlsVerify = false };

    [Fact]
    public async Task Registry_signature_round_trips_through_skopeo_to_a_dir_copy_that_verifies()
    {
        using var dir = new TempDirectory("strata-cosign-registry");
        await using var registry = await RegistryServer.StartAsync(dir.Path, dir.Combine("storage"), null);
        var reference = $"{registry.HostPort}/team/app:v1";
        var key = SigningKey.GenerateEcdsaP256(out _);
        File.WriteAllText(dir.Combine("cosign.pub"), key.PublicKey.ToPem());

        Digest image;
        await using (var store = ImageDestinations.Open("docker://" + reference, Plain))
        {
            image = await CosignTestImages.WriteAsync(store, "v1", "signed");
            var signed = await CosignSigner.SignAsync(store, key, null, null, CancellationToken.None);
            Assert.Equal(reference, signed.DockerReference);
            Assert.Equal(image, signed.ImageDigest);
        }

        // Straight from the registry, with the default identity check (the tag is signed exactly).
        var fromRegistry = await CosignImage.LoadAsync("docker://" + reference, Plain, null, CancellationToken.None);
        var verdict = Assert.Single(CosignImageVerifier.Verify(fromRegistry, [key.PublicKey], Check(fromRegistry, SignedIdentity.MatchRepoDigestOrExact)));
        Assert.True(verdict.Accepted, verdict.Reason);

        // skopeo copies the .sig attachment into dir:, as signature-1 in the sigstore-json form.
        var registriesD = dir.Combine("registries.d");
        Directory.CreateDirectory(registriesD);
        File.WriteAllText(Path.Combine(registriesD, "strata.yaml"), $"docker:\n  {registry.HostPort}:\n    use-sigstore-attachments: true\n");
        var insecure = dir.WriteFile("insecure.json", """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var copy = dir.Combine("copy");
        await Skopeo(["--policy", insecure, "--registries.d", registriesD, "copy", "--src-tls-verify=false", "docker://" + reference, "dir:" + copy]);
        Assert.True(SigstoreSignature.IsDirBlob(File.ReadAllBytes(Path.Combine(copy, "signature-1"))));

        var fromDir = await CosignImage.LoadAsync("dir:" + copy, Plain, ImageReference.Parse(reference), CancellationToken.None);
        Assert.Equal(image, fromDir.ManifestDigest);
        verdict = Assert.Single(CosignImageVerifier.Verify(fromDir, [key.PublicKey], Check(fromDir, SignedIdentity.MatchRepoDigestOrExact)));
        Assert.True(verdict.Accepted, verdict.Reason);

        // A sigstoreSigned policy (what `strata policy check` evaluates) accepts the signed image straight from the
        // registry and rejects an unsigned one and a key that did not sign.
        await using (var store = ImageDestinations.Open($"docker://{registry.HostPort}/team/app:unsigned", Plain))
        {
            await CosignTestImages.WriteAsync(store, "unsigned", "not signed");
        }

        var other = SigningKey.GenerateEcdsaP256(out _);
        File.WriteAllText(dir.Combine("other.pub"), other.PublicKey.ToPem());
        async Task<PolicyDecision> DecideAsync(string image, string publicKey)
        {
            var policy = dir.WriteFile($"policy-{Path.GetFileNameWithoutExtension(publicKey)}.json", "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + dir.Combine(publicKey) + "\"}]}");
            var loaded = await ContainersPolicy.LoadAsync(policy, CancellationToken.None);
            var name = PolicyImageName.Parse("docker://" + image);
            var loadedImage = await PolicyImageLoader.LoadAsync(name, PolicySignatureSources.From(RegistriesConfiguration.Load(registriesD)), new ImageOpenOptions { Registry = Plain }, CancellationToken.None);
            return await PolicyEvaluator.EvaluateAsync(loaded, loadedImage, CancellationToken.None);
        }

        var accepted = await DecideAsync(reference, "cosign.pub");
        Assert.True(accepted.Accepted, accepted.FirstRejection);
        Assert.False((await DecideAsync($"{registry.HostPort}/team/app:unsigned", "cosign.pub")).Accepted);
        Assert.False((await DecideAsync(reference, "other.pub")).Accepted);
    }

    private static Func<string, string?> Check(CosignImage image, SignedIdentity identity) =>
        signed => identity.Matches(image.DockerReference, signed, out var reason) ? null : reason;

    private static async Task Skopeo(string[] arguments)
    {
        var result = await ExternalTool.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"skopeo {string.Join(' ', arguments)}: {result.StdErr}");
    }
}
