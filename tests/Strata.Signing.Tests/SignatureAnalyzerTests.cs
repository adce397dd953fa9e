namespace Strata.Signing.Tests;

using System.Text;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Oci;
using Strata.Signing.Policy;
using Strata.Signing.Cosign;
using Strata.Signing.Keys;
using Strata.Signing.Rules;

/// <summary>The SIG- checks (strata scan --policy) on containers/image's signed dir: fixtures.</summary>
public sealed class SignatureAnalyzerTests
{
    private static readonly string GpgKey = SimpleSigningFixtures.File("public-key.gpg");

    [Fact]
    public async Task AnUnsignedImageIsNotSignedAndRejected()
    {
        var findings = await ScanAsync("dir-img-unsigned", """{"type":"exactRepository","dockerRepository":"testing/manifest"}""");
        Assert.Equal(["SIG-001", "SIG-002"], findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        Assert.Contains("no simple-signing signature exists", findings.Single(f => f.RuleId == "SIG-002").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValidSignatureForTheAcceptedIdentityGivesNoFinding()
        => Assert.Empty(await ScanAsync("dir-img-valid", """{"type":"exactRepository","dockerRepository":"testing/manifest"}"""));

    [Theory]
    [InlineData("dir-img-manifest-digest-error", """{"type":"exactRepository","dockerRepository":"testing/manifest"}""", "manifest digest mismatch")]
    [InlineData("dir-img-modified-manifest", """{"type":"exactRepository","dockerRepository":"testing/manifest"}""", "manifest digest mismatch")]
    [InlineData("dir-img-valid", """{"type":"exactRepository","dockerRepository":"testing/other"}""", "identity mismatch (exactRepository)")]
    [InlineData("dir-img-valid", """{"type":"matchRepoDigestOrExact"}""", "no Docker reference identity")]
    public async Task APresentSignatureThatDoesNotFitIsInvalid(string directory, string identity, string reason)
    {
        var findings = await ScanAsync(directory, identity);
        Assert.DoesNotContain(findings, f => f.RuleId == "SIG-001");
        Assert.Contains(findings, f => f.RuleId == "SIG-002");
        var invalid = Assert.Single(findings, f => f.RuleId == "SIG-003");
        Assert.Contains(reason, invalid.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.High, invalid.Severity);
    }

    [Fact]
    public async Task AnotherKeysSignatureIsInvalid()
    {
        var findings = await ScanAsync("dir-img-valid", """{"type":"matchRepository"}""", SimpleSigningFixtures.File("public-key-2.gpg"));
        Assert.Contains(findings, f => f.RuleId == "SIG-003");
    }

    private static async Task<IReadOnlyList<Finding>> ScanAsync(string directory, string signedIdentity, string? key = null)
    {
        var json = $$$"""{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"{{{JsonEncode(key ?? GpgKey)}}}","signedIdentity":{{{signedIdentity}}}}]}""";
        var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes(json));
        var scanner = new ImageSignatureScanner(policy, "/etc/containers/policy.json", PolicySignatureSources.None, ImageOpenOptions.Default);
        var locator = "dir:" + SimpleSigningFixtures.File(directory);
        return await scanner.ScanAsync(new ScanTarget(TargetKind.Image, locator, locator), new ScanContext(), CancellationToken.None);
    }

    private static string JsonEncode(string text) => System.Text.Json.JsonEncodedText.Encode(text).Value;
}

/// <summary>An OCI layout with a cosign signature stored as the <c>sha256-&lt;hex&gt;.sig</c> tag, as strata sign and cosign write it.</summary>
public sealed class SignatureAnalyzerOciLayoutTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("strata-sig-oci-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData(true, true, new string[0])]
    [InlineData(true, false, new[] { "SIG-002", "SIG-003" })]
    [InlineData(false, true, new[] { "SIG-001", "SIG-002" })]
    public async Task ReadsTheAttachmentTag(bool hasSignature, bool rightDigest, string[] expected)
    {
        var key = SigningKey.GenerateEcdsaP256(out _);
        var writer = new Strata.Testing.Images.OciLayoutWriter(root);
        var image = writer.WriteImage([Strata.Testing.Images.OciLayoutWriter.Plain(Strata.Testing.Images.OciLayoutWriter.Tar(_ => { }))]);
        var manifestDigest = Digest.Parse((string)image["digest"]!, "test");
        var entries = new List<(System.Text.Json.Nodes.JsonObject, string?)> { (image, "1.0") };
        if (hasSignature)
        {
            var signedDigest = rightDigest ? manifestDigest : Digest.Sha256Of("another manifest"u8);
            var payload = new SignaturePayload("registry.example.com/app:1.0", signedDigest, SignaturePayload.CosignType, null, null).ToJson();
            var signature = Convert.ToBase64String(key.Sign(payload));
            var payloadDigest = writer.Describe(payload, SigstoreSignature.MediaType);
            payloadDigest["annotations"] = new System.Text.Json.Nodes.JsonObject { [SigstoreSignature.SignatureAnnotation] = signature };
            var config = writer.Describe("{}"u8.ToArray(), "application/vnd.oci.image.config.v1+json");
            var attachment = new System.Text.Json.Nodes.JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = config,
                ["layers"] = new System.Text.Json.Nodes.JsonArray(payloadDigest),
            };
            var attachmentDescriptor = writer.Describe(Encoding.UTF8.GetBytes(attachment.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
            entries.Add((attachmentDescriptor, PolicyImageLoader.AttachmentTag(manifestDigest)));
        }

        writer.WriteIndex([.. entries]);
        var keyPath = Path.Combine(root, "cosign.pub");
        await File.WriteAllTextAsync(keyPath, key.PublicKey.ToPem());
        var policy = ContainersPolicy.Parse(Encoding.UTF8.GetBytes($$$"""{"default":[{"type":"sigstoreSigned","keyPath":"{{{System.Text.Json.JsonEncodedText.Encode(keyPath).Value}}}","signedIdentity":{"type":"exactRepository","dockerRepository":"registry.example.com/app"}}]}"""));
        var scanner = new ImageSignatureScanner(policy, "policy.json", PolicySignatureSources.None, ImageOpenOptions.Default);
        var locator = $"oci:{root}:1.0";
        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.Image, locator, locator), new ScanContext(), CancellationToken.None);
        Assert.Equal(expected, findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
    }
}
