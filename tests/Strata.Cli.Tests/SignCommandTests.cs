namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary>
/// <c>strata sign</c> and <c>strata verify</c> from the command line on an umoci-made OCI layout, and verify on
/// containers/image's cosign fixtures: which key verified, or why each signature failed, and exit 1 when none is valid.
/// </summary>
public sealed class SignCommandTests
{
    private static string Fixtures => Path.Combine(RepoPaths.Shared, "fixtures", "containers-image-signatures");

    [Fact]
    public async Task Signs_an_oci_layout_and_verifies_it_and_rejects_the_wrong_key_identity_and_passphrase()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("pass", "s3cret-passphrase\n");
        temp.WriteFile("wrong", "Wr0ng-passphrase\n");
        await ExternalTool.RunCheckedAsync("umoci", "init", "--layout", temp.Combine("layout"));
        await ExternalTool.RunCheckedAsync("umoci", "new", "--image", temp.Combine("layout") + ":v1");
        Assert.Equal(0, (await CliRunner.RunAsync(["key", "generate", "--passphrase-file", "pass"], temp.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["key", "generate", "--passphrase-file", "pass", "--output-key-prefix", "other"], temp.Path)).ExitCode);

        var badPassphrase = await CliRunner.RunAsync(["sign", "--key", "cosign.key", "--passphrase-file", "wrong", "--identity", "example.com/app:v1", "oci:layout:v1"], temp.Path);
        Assert.Equal(3, badPassphrase.ExitCode);
        Assert.Contains("wrong passphrase", badPassphrase.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng", badPassphrase.StdErr + badPassphrase.StdOut, StringComparison.Ordinal);

        var noIdentity = await CliRunner.RunAsync(["sign", "--key", "cosign.key", "--passphrase-file", "pass", "oci:layout:v1"], temp.Path);
        Assert.Equal(2, noIdentity.ExitCode);
        Assert.Contains("--identity", noIdentity.StdErr, StringComparison.Ordinal);

        var sign = await CliRunner.RunAsync(["sign", "--key", "cosign.key", "--passphrase-file", "pass", "--identity", "example.com/app:v1", "-a", "build=7", "oci:layout:v1"], temp.Path);
        Assert.Equal(0, sign.ExitCode);
        Assert.Contains("for example.com/app:v1", sign.StdOut, StringComparison.Ordinal);
        Assert.Contains(".sig", sign.StdOut, StringComparison.Ordinal);

        var verify = await CliRunner.RunAsync(["verify", "--key", "other.pub", "--key", "cosign.pub", "--image-identity", "example.com/app:v1", "oci:layout:v1"], temp.Path);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("VERIFIED", verify.StdOut, StringComparison.Ordinal);
        Assert.Contains($"signed by {temp.Combine("cosign.pub")}", verify.StdOut, StringComparison.Ordinal);

        var wrongKey = await CliRunner.RunAsync(["verify", "--key", "other.pub", "--image-identity", "example.com/app:v1", "oci:layout:v1"], temp.Path);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("REJECTED", wrongKey.StdOut, StringComparison.Ordinal);
        Assert.Contains("signature does not match the key", wrongKey.StdOut, StringComparison.Ordinal);

        var wrongIdentity = await CliRunner.RunAsync(["verify", "--key", "cosign.pub", "--image-identity", "example.com/app:v2", "oci:layout:v1"], temp.Path);
        Assert.Equal(1, wrongIdentity.ExitCode);
        Assert.Contains("identity mismatch", wrongIdentity.StdOut, StringComparison.Ordinal);

        var exact = await CliRunner.RunAsync(["verify", "--key", "cosign.pub", "--exact-reference", "example.com/app:v1", "oci:layout:v1", "--format", "json"], temp.Path);
        Assert.Equal(0, exact.ExitCode);
        using var json = JsonDocument.Parse(exact.StdOut);
        Assert.True(json.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal("example.com/app:v1", json.RootElement.GetProperty("signatures")[0].GetProperty("signedDockerReference").GetString());
    }

    [Fact]
    public async Task Verifies_cosign_made_fixtures_and_explains_each_rejection()
    {
        var valid = await CliRunner.RunAsync("verify", "--key", Path.Combine(Fixtures, "cosign.pub"), "--match-repository", "--image-identity", "192.168.64.2:5000/cosign-signed-single-sample", "dir:" + Path.Combine(Fixtures, "dir-img-cosign-mixed"));
        Assert.Equal(0, valid.ExitCode);
        Assert.Contains("REJECTED", valid.StdOut, StringComparison.Ordinal);
        Assert.Contains("VERIFIED", valid.StdOut, StringComparison.Ordinal);
        Assert.Contains("verified: 1 of 2 signatures valid", valid.StdOut, StringComparison.Ordinal);

        var modified = await CliRunner.RunAsync("verify", "--key", Path.Combine(Fixtures, "cosign.pub"), "--match-repository", "--image-identity", "192.168.64.2:5000/cosign-signed-single-sample", "dir:" + Path.Combine(Fixtures, "dir-img-cosign-modified-manifest"));
        Assert.Equal(1, modified.ExitCode);
        Assert.Contains("manifest digest mismatch", modified.StdOut, StringComparison.Ordinal);

        var unsigned = await CliRunner.RunAsync("verify", "--key", Path.Combine(Fixtures, "cosign.pub"), "dir:" + Path.Combine(Fixtures, "dir-img-unsigned"));
        Assert.Equal(1, unsigned.ExitCode);
        Assert.Contains("no cosign signatures found", unsigned.StdOut, StringComparison.Ordinal);

        var twoIdentities = await CliRunner.RunAsync("verify", "--key", Path.Combine(Fixtures, "cosign.pub"), "--match-repository", "--exact-repository", "a/b", "dir:" + Path.Combine(Fixtures, "dir-img-cosign-valid"));
        Assert.Equal(2, twoIdentities.ExitCode);
    }
}
