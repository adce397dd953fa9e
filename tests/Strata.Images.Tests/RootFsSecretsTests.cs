namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Secrets;
using Strata.Testing;

/// <summary>Secret scanning of a directory tree, through the path <c>strata scan rootfs:DIR</c> takes (the image scanner's root filesystem walk).</summary>
public sealed class RootFsSecretsTests
{
    [Fact]
    public async Task Every_planted_secret_is_found_on_its_line_and_nothing_else()
    {
        using var tree = new TempDirectory();
        var planted = PlantedSecrets.Plant(tree.Path);
        var all = await SecretsAsync(tree.Path);

        // The public samples of .env.example (AWS's documentation keys) are shown at INFO, and only they are.
        var found = all.Where(f => !f.EndsWith(" INFO", StringComparison.Ordinal)).Select(f => f[..f.LastIndexOf(' ')]).ToList();
        Assert.Equal(
            ["/app/.env.example:1 SEC-AWS-ACCESS-KEY-ID INFO", "/app/.env.example:2 SEC-AWS-SECRET-ACCESS-KEY INFO"],
            all.Where(f => f.EndsWith(" INFO", StringComparison.Ordinal)));
        var expected = planted.Select(p => $"{p.Path}:{p.Line} {p.RuleId}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, found);
        Assert.True(planted.Count >= 30, $"only {planted.Count} planted secrets");
    }

    [Fact]
    public async Task Symbolic_links_are_not_followed_and_special_files_are_skipped()
    {
        using var outside = new TempDirectory();
        File.WriteAllText(outside.Combine("token.txt"), "GITHUB_TOKEN=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\n");
        using var tree = new TempDirectory();
        Directory.CreateDirectory(tree.Combine("etc"));
        File.CreateSymbolicLink(tree.Combine("etc", "linked.txt"), outside.Combine("token.txt"));
        Directory.CreateSymbolicLink(tree.Combine("outside"), outside.Path);
        Directory.CreateSymbolicLink(tree.Combine("etc", "loop"), tree.Path);
        await ExternalTool.RunCheckedAsync("mkfifo", tree.Combine("etc", "fifo"));
        tree.WriteFile(".config/app/.env", "GITHUB_TOKEN=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\n");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var found = await SecretsAsync(tree.Path, timeout.Token);

        Assert.Equal("/.config/app/.env:1 SEC-GITHUB-CLASSIC-PAT CRITICAL", Assert.Single(found));
    }

    [Fact]
    public async Task Documentation_and_package_metadata_trees_are_allowed()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("usr/share/doc/tool/README", "export GITHUB_TOKEN=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\n");
        tree.WriteFile("var/lib/dpkg/info/tool.postinst", "GITHUB_TOKEN=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\n");
        tree.WriteFile("app/node_modules/jwt/test/key.txt", "GITHUB_TOKEN=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\n");
        tree.WriteFile("app/test/settings.env", "GITHUB_TOKEN=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\n");

        // An application's own test tree is still scanned: a live secret there is still live.
        Assert.Equal("/app/test/settings.env:1 SEC-GITHUB-CLASSIC-PAT CRITICAL", Assert.Single(await SecretsAsync(tree.Path)));
    }

    /// <summary>False-positive control on a real distribution: Debian bookworm minbase, made by debootstrap.</summary>
    [Fact]
    public async Task A_debian_minbase_root_filesystem_has_no_secret_findings()
    {
        var found = await SecretsAsync(await DebianRootfs.GetRootfsDirectoryAsync());
        Assert.True(found.Count == 0, "false positives:\n" + string.Join('\n', found.Take(50)));
    }

    /// <summary>
    /// Code is not configuration, on real files: Debian's Python 3.11 (the interpreter and its whole standard library,
    /// as apt-get downloads and dpkg unpacks them) assigns passwords and tokens from parameters, prompts and calls
    /// (<c>passwd = _raw_input(prompt, …)</c> in getpass.py, <c>user, passwd = _splitpasswd(user)</c> in urllib), which
    /// the keyword rules once reported as HIGH findings.
    /// </summary>
    [Fact]
    public async Task The_python_standard_library_of_debian_has_no_keyword_findings()
    {
        var tree = await DebianPackages.GetTreeAsync("python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib");
        Assert.True(File.Exists(Path.Combine(tree, "usr/lib/python3.11/getpass.py")), "getpass.py is not in the unpacked packages");
        Assert.True(File.Exists(Path.Combine(tree, "usr/lib/python3.11/urllib/request.py")), "urllib/request.py is not in the unpacked packages");

        var found = await SecretsAsync(tree);
        var generic = found.Where(f => f.Contains(" SEC-GENERIC-", StringComparison.Ordinal)).ToList();
        Assert.True(generic.Count == 0, "keyword findings in the standard library:\n" + string.Join('\n', generic.Take(50)));
    }

    /// <summary>The secret findings of a root filesystem scan, as <c>path:line rule</c>, sorted.</summary>
    private static async Task<List<string>> SecretsAsync(string root, CancellationToken cancellationToken = default)
    {
        var scanner = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { Analyzers = [new ImageSecretsAnalyzer(BuiltInSecrets.Provider)] });
        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.RootFs, root, root), new ScanContext(), cancellationToken);
        return [.. findings
            .Where(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal))
            .Select(f => $"{f.Location.Path}:{f.Location.Line} {f.RuleId} {f.Severity.ToName()}")
            .Order(StringComparer.Ordinal)];
    }
}
