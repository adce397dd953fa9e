namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary><c>strata key generate</c>: cosign.key (0600, encrypted) and cosign.pub, no silent overwrite.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeyCommandTests
{
    [Fact]
    public async Task Generates_a_key_pair_and_refuses_to_overwrite_without_force()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("pass", "s3cret-passphrase\n");
        string[] generate = ["key", "generate", "--passphrase-file", "pass"];

        var first = await CliRunner.RunAsync(generate, temp.Path);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains(temp.Combine("cosign.key"), first.StdOut, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", first.StdOut, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----", File.ReadAllText(temp.Combine("cosign.key")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Combine("cosign.key")));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(temp.Combine("cosign.pub")), StringComparison.Ordinal);
        var publicKey = File.ReadAllText(temp.Combine("cosign.pub"));

        var again = await CliRunner.RunAsync(generate, temp.Path);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists; use --force", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(publicKey, File.ReadAllText(temp.Combine("cosign.pub")));

        Assert.Equal(0, (await CliRunner.RunAsync([.. generate, "--force"], temp.Path)).ExitCode);
        Assert.NotEqual(publicKey, File.ReadAllText(temp.Combine("cosign.pub")));

        Directory.CreateDirectory(temp.Combine("keys"));
        Assert.Equal(0, (await CliRunner.RunAsync([.. generate, "--output-key-prefix", "keys/release"], temp.Path)).ExitCode);
        Assert.True(File.Exists(temp.Combine("keys", "release.key")));
        Assert.True(File.Exists(temp.Combine("keys", "release.pub")));
    }

    [Fact]
    public async Task Without_any_passphrase_source_it_says_where_one_can_come_from()
    {
        using var temp = new TempDirectory();
        var result = await CliRunner.RunAsync(["key", "generate"], temp.Path);
        if (Environment.GetEnvironmentVariable("STRATA_PASSWORD") is null && Environment.GetEnvironmentVariable("COSIGN_PASSWORD") is null)
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--passphrase-file", result.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(temp.Combine("cosign.key")));
        }
    }
}
