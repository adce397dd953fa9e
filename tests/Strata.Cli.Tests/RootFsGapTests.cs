namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary>
/// Root filesystem scans have no silent gaps (issue 8, defect 8): what cannot be read is a warning naming the path and
/// the reason, counted in the summary; a tree deeper than PATH_MAX is read whole; symbolic links are never followed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootFsGapTests : IAsyncLifetime
{
    private const string Token = "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";
    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
    private readonly string temp = Directory.CreateTempSubdirectory("strata-rootfs-gaps-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Deeper than PATH_MAX, or unreadable: chmod and rm remove what Directory.Delete cannot.
        await ExternalTool.RunAsync("chmod", ["-R", "u+rwx", temp]);
        await ExternalTool.RunAsync("rm", ["-rf", temp]);
    }

    [Fact]
    public async Task Unreadable_directories_and_files_are_warnings_counted_in_the_summary()
    {
        var root = Path.Combine(temp, "root");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "etc")).FullName, "os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "srv", "private")).FullName, "app.env"), $"GITHUB_TOKEN={Token}\n");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "app")).FullName, "token.txt"), $"token {Token}\n");
        foreach (var path in new[] { temp, root, Path.Combine(root, "srv"), Path.Combine(root, "app") })
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        File.SetUnixFileMode(Path.Combine(root, "etc"), UnixFileMode.None);
        File.SetUnixFileMode(Path.Combine(root, "srv", "private"), UnixFileMode.None);
        File.SetUnixFileMode(Path.Combine(root, "app", "token.txt"), UnixFileMode.None);

        // Root reads everything: the scan runs as nobody, as an unprivileged user would run it.
        var json = await RunUnprivilegedAsync("scan", "rootfs:" + root, "--format", "json", "--no-progress");
        Assert.True(json.ExitCode == 0, json.StdErr);
        using var report = JsonDocument.Parse(json.StdOut);
        var warnings = report.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("/etc: cannot open the directory: Permission denied", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("/srv/private: cannot open the directory: Permission denied", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("/app/token.txt: cannot read it: Permission denied", StringComparison.Ordinal));
        Assert.Equal(3, report.RootElement.GetProperty("summary").GetProperty("warnings").GetInt32());

        // Not "no os-release file": it is there, unread.
        var os = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "IMG-001");
        Assert.StartsWith("os-release could not be read (/etc:", os.GetProperty("message").GetString(), StringComparison.Ordinal);

        var table = await RunUnprivilegedAsync("scan", "rootfs:" + root, "--no-progress");
        Assert.Contains("0 suppressed; 3 warnings (below).", table.StdOut.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("warning: rootfs:" + root + ": /srv/private: cannot open the directory", table.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tree_deeper_than_path_max_is_read_to_the_bottom()
    {
        var root = Directory.CreateDirectory(Path.Combine(temp, "deep")).FullName;

        // 2,000 directories: a path of 8,000 bytes, twice PATH_MAX; created in steps short enough for mkdir.
        var step = string.Join('/', Enumerable.Repeat("dir", 500));
        var script = $"set -e; cd '{root}'; for i in 1 2 3 4; do mkdir -p {step}; cd {step}; done; echo 'token {Token}' > token.txt; ln -s ../../.. up; ln -s / host; ln -s loop loop";
        var made = await ExternalTool.RunAsync("bash", ["-c", script]);
        Assert.True(made.ExitCode == 0, made.StdErr);

        var result = await CliRunner.RunAsync("scan", "rootfs:" + root, "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var report = JsonDocument.Parse(result.StdOut);
        var secret = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "SEC-GITHUB-CLASSIC-PAT");
        var path = secret.GetProperty("location").GetProperty("path").GetString()!;
        Assert.Equal("/" + string.Join('/', Enumerable.Repeat("dir", 2000)) + "/token.txt", path);
        Assert.True(path.Length > 4096);
        Assert.Empty(report.RootElement.GetProperty("warnings").EnumerateArray());
        Assert.DoesNotContain(Token, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symbolic_links_are_entries_never_followed_out_of_the_root_or_around_a_loop()
    {
        var outside = Directory.CreateDirectory(Path.Combine(temp, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "host.env"), $"GITHUB_TOKEN={Token}\n");
        var root = Directory.CreateDirectory(Path.Combine(temp, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "a", "b", "up"), "../..");
        File.CreateSymbolicLink(Path.Combine(root, "a", "self"), "self");
        File.CreateSymbolicLink(Path.Combine(root, "a", "host"), "/");

        var result = await CliRunner.RunAsync("scan", "rootfs:" + root, "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var report = JsonDocument.Parse(result.StdOut);
        Assert.DoesNotContain(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString()!.StartsWith("SEC-", StringComparison.Ordinal));
        Assert.Empty(report.RootElement.GetProperty("warnings").EnumerateArray());

        // A root that is itself a link is refused, not followed.
        var link = Path.Combine(temp, "link-to-root");
        File.CreateSymbolicLink(link, root);
        var linked = await CliRunner.RunAsync("scan", "rootfs:" + link, "--format", "json", "--no-progress");
        Assert.Equal(3, linked.ExitCode);
        Assert.Contains("not a directory", linked.StdErr, StringComparison.Ordinal);
    }

    /// <summary>The built CLI as uid and gid 65534 (nobody) when the tests run as root; as the current user otherwise.</summary>
    private static Task<ExternalTool.Result> RunUnprivilegedAsync(params string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? ExternalTool.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Strata, .. arguments])
            : ExternalTool.RunAsync("dotnet", [Strata, .. arguments]);
}
