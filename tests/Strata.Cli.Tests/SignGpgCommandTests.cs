namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary>
/// <c>strata sign --gpg-key</c> and <c>strata verify --gpg-keyring</c> on a skopeo <c>dir:</c> copy of an umoci-made
/// image, with containers/image's fixture keys: what Strata signs passes <c>skopeo standalone-verify</c>, and a
/// wrong identity or key is rejected with the reason.
/// </summary>
public sealed class SignGpgCommandTests
{
    private const string Fingerprint = "08CD26E446E2E95249B7A405E932F44B23E8DD43";

    private static string Fixture(string name) => Path.Combine(RepoPaths.Shared, "fixtures", "containers-image-signatures", name);

    [Fact]
    public async Task Signs_a_dir_copy_that_skopeo_verifies_and_verifies_it_with_the_identity_checked()
    {
        using var temp = new TempDirectory();
        await ExternalTool.RunCheckedAsync("umoci", "init", "--layout", temp.Combine("layout"));
        await ExternalTool.RunCheckedAsync("umoci", "new", "--image", temp.Combine("layout") + ":v1");
        await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "copy", "-q", "oci:" + temp.Combine("layout") + ":v1", "dir:" + temp.Combine("copy"));

        var both = await CliRunner.RunAsync(["sign", "--key", "cosign.key", "--gpg-key", Fixture("secring.gpg"), "dir:copy"], temp.Path);
        Assert.Equal(2, both.ExitCode);

        var sign = await CliRunner.RunAsync(["sign", "--gpg-key", Fixture("secring.gpg"), "--sign-by", Fingerprint, "--identity", "testing/manifest:latest", "dir:copy"], temp.Path);
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Assert.Contains(Fingerprint, sign.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("copy", "signature-1")));

        var home = temp.Combine("gnupg");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        Assert.Equal(0, (await ExternalTool.RunAsync("gpg", ["--batch", "--import", Fixture("public-key.gpg")], environment: environment)).ExitCode);
        var skopeo = await ExternalTool.RunAsync("skopeo", ["standalone-verify", temp.Combine("copy", "manifest.json"), "testing/manifest:latest", Fingerprint, temp.Combine("copy", "signature-1")], environment: environment);
        Assert.True(skopeo.ExitCode == 0, skopeo.StdErr);

        var verify = await CliRunner.RunAsync(["verify", "--gpg-keyring", Fixture("public-key.gpg"), "--image-identity", "testing/manifest:latest", "dir:copy"], temp.Path);
        Assert.True(verify.ExitCode == 0, verify.StdErr + verify.StdOut);
        Assert.Contains($"VERIFIED", verify.StdOut, StringComparison.Ordinal);
        Assert.Contains("verified: 1 of 1 signatures valid", verify.StdOut, StringComparison.Ordinal);

        var wrongIdentity = await CliRunner.RunAsync(["verify", "--gpg-keyring", Fixture("public-key.gpg"), "--image-identity", "testing/other:latest", "dir:copy"], temp.Path);
        Assert.Equal(1, wrongIdentity.ExitCode);
        Assert.Contains("identity mismatch", wrongIdentity.StdOut, StringComparison.Ordinal);

        var wrongKey = await CliRunner.RunAsync(["verify", "--gpg-keyring", Fixture("public-key-2.gpg"), "--image-identity", "testing/manifest:latest", "dir:copy"], temp.Path);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("REJECTED", wrongKey.StdOut, StringComparison.Ordinal);
    }
}
