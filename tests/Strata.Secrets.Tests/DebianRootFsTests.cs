namespace Strata.Secrets.Tests;

using Strata.Testing;

/// <summary>
/// A Debian bookworm minbase tree made by debootstrap, built once and kept under .test-cache.
/// If debootstrap is missing or fails, the tests that use it fail: they are never skipped.
/// </summary>
public sealed class DebianMinbaseTree : IAsyncLifetime
{
    public const string Name = "debian-bookworm-minbase";

    public string Root { get; } = Path.Combine(RepoPaths.TestCache, Name);

    public async Task InitializeAsync()
    {
        var marker = Path.Combine(Root, ".strata-complete");
        if (File.Exists(marker))
        {
            return;
        }

        var partial = Root + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        var result = await ExternalTool.RunAsync(
            "debootstrap",
            ["--variant=minbase", "bookworm", partial, "http://deb.debian.org/debian"],
            timeout: TimeSpan.FromMinutes(15));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"debootstrap exited {result.ExitCode}: {result.StdErr}{result.StdOut}");
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.Move(partial, Root);
        await File.WriteAllTextAsync(marker, "debootstrap --variant=minbase bookworm\n");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class DebianRootFsTests(DebianMinbaseTree debian) : IClassFixture<DebianMinbaseTree>
{
    [Fact]
    public async Task A_debian_minbase_root_filesystem_has_no_findings()
    {
        var result = await new RootFsSecretScanner(SecretScanner.Default).ScanAsync(debian.Root);

        Assert.True(result.FilesScanned > 1000, $"only {result.FilesScanned} files scanned");
        Assert.True(result.FilesBinary > 300, $"only {result.FilesBinary} binaries");
        Assert.True(result.FilesAllowed > 500, $"only {result.FilesAllowed} allowed files");
        Assert.True(result.Matches.Count == 0, "false positives:\n" + string.Join('\n', result.Matches.Take(50)));
    }
}
