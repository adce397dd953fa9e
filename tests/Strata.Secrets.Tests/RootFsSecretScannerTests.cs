namespace Strata.Secrets.Tests;

using Strata.Testing;

public sealed class RootFsSecretScannerTests
{
    [Fact]
    public async Task Every_planted_secret_is_found_on_its_line_and_nothing_else()
    {
        using var tree = new TempDirectory();
        var planted = PlantedSecrets.Plant(tree.Path);
        var result = await new RootFsSecretScanner(SecretScanner.Default).ScanAsync(tree.Path);

        var expected = planted.Select(p => $"{p.Path}:{p.Line} {p.RuleId}").Order(StringComparer.Ordinal).ToList();
        var actual = result.Matches.Select(m => $"{m.Path}:{m.Line} {m.Rule.Id}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.True(planted.Count >= 30, $"only {planted.Count} planted secrets");
    }

    [Fact]
    public async Task Symbolic_links_are_not_followed_and_special_files_are_skipped()
    {
        using var outside = new TempDirectory();
        File.WriteAllText(outside.Combine("token.txt"), "GITHUB_TOKEN=ghp_q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");
        using var tree = new TempDirectory();
        Directory.CreateDirectory(tree.Combine("etc"));
        File.CreateSymbolicLink(tree.Combine("etc", "linked.txt"), outside.Combine("token.txt"));
        Directory.CreateSymbolicLink(tree.Combine("outside"), outside.Path);
        Directory.CreateSymbolicLink(tree.Combine("etc", "loop"), tree.Path);
        await ExternalTool.RunCheckedAsync("mkfifo", tree.Combine("etc", "fifo"));
        tree.WriteFile(".config/app/.env", "GITHUB_TOKEN=ghp_w7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await new RootFsSecretScanner(SecretScanner.Default).ScanAsync(tree.Path, cancellationToken: timeout.Token);

        var match = Assert.Single(result.Matches);
        Assert.Equal("/.config/app/.env", match.Path);
        Assert.Equal(1, result.FilesScanned);
    }

    [Fact]
    public async Task Documentation_and_package_metadata_trees_are_allowed()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("usr/share/doc/tool/README", "export GITHUB_TOKEN=ghp_q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");
        tree.WriteFile("var/lib/dpkg/info/tool.postinst", "GITHUB_TOKEN=ghp_q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");
        tree.WriteFile("app/node_modules/jwt/test/key.txt", "GITHUB_TOKEN=ghp_q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");
        tree.WriteFile("app/test/settings.env", "GITHUB_TOKEN=ghp_q7Lm2XcV9rT4bN8wZ1sK6dF3hJ5gP0aE2uYi\n");

        var result = await new RootFsSecretScanner(SecretScanner.Default).ScanAsync(tree.Path);

        // An application's own test tree is still scanned: a live secret there is still live.
        Assert.Equal("/app/test/settings.env", Assert.Single(result.Matches).Path);
        Assert.Equal(3, result.FilesAllowed);
    }

    [Fact]
    public async Task A_missing_directory_is_a_usage_error()
    {
        var error = await Assert.ThrowsAsync<Core.StrataException>(() => new RootFsSecretScanner(SecretScanner.Default).ScanAsync("/nonexistent/strata-root"));
        Assert.Equal(Core.ExitCode.Usage, error.ExitCode);
    }
}
