namespace Strata.Secrets.Tests;

using Strata.Testing;

/// <summary>False-positive control on a real distribution: Debian bookworm minbase, made by debootstrap.</summary>
public sealed class DebianRootFsTests
{
    [Fact]
    public async Task A_debian_minbase_root_filesystem_has_no_findings()
    {
        var result = await new RootFsSecretScanner(SecretScanner.Default).ScanAsync(await DebianRootfs.GetRootfsDirectoryAsync());

        Assert.True(result.FilesScanned > 1000, $"only {result.FilesScanned} files scanned");
        Assert.True(result.FilesBinary > 300, $"only {result.FilesBinary} binaries");
        Assert.True(result.FilesAllowed > 500, $"only {result.FilesAllowed} allowed files");
        Assert.True(result.Matches.Count == 0, "false positives:\n" + string.Join('\n', result.Matches.Take(50)));
    }
}
