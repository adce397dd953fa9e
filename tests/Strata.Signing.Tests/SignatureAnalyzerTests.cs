namespace Strata.Signing.Tests;

using System.Text;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Oci;
using Strata.Signing.Policy;
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
