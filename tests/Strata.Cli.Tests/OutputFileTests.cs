namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Core;
using Strata.Testing;

/// <summary>
/// --output replaces only a regular file (atomically, keeping its mode) or creates a new one. A device or FIFO is
/// written into, a symlink is followed, and what cannot be written is refused as a usage error in plain words.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFileTests : IDisposable
{
    private static readonly string Config = Path.Combine(RepoPaths.Examples, "runtime", "config.json");
    private readonly TempDirectory temp = new("strata-output");

    public void Dispose() => temp.Dispose();

    private static Task<CliRunner.Result> ScanToAsync(string output) =>
        CliRunner.RunAsync("scan", Config, "--format", "json", "--no-progress", "--output", output);

    private static FileNodeType TypeOf(string path) => FileNodes.Stat(path, followLinks: false)!.Value.Type;

    [Fact]
    public async Task A_fifo_is_written_into_and_stays_a_fifo()
    {
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("report.fifo"));
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var result = await SpecialFiles.WithinHangLimit(() => ScanToAsync(fifo));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(FileNodeType.Fifo, TypeOf(fifo));
        using var json = JsonDocument.Parse(await reader.WaitAsync(SpecialFiles.HangLimit));
        Assert.True(json.RootElement.TryGetProperty("findings", out _));
        Assert.Equal(["report.fifo"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [RootFact("creates a private device node with mknod, to check that a device like /dev/null is not replaced")]
    public async Task A_character_device_like_dev_null_is_written_into_and_stays_a_device()
    {
        var device = await SpecialFiles.MakeCharDeviceAsync(temp.Combine("null"), 1, 3);
        var result = await ScanToAsync(device);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(FileNodeType.CharDevice, TypeOf(device));
        Assert.Equal(["null"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_symlink_is_followed_and_its_target_replaced_keeping_the_mode()
    {
        var target = temp.WriteFile("reports/real.json", "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = temp.Combine("link.json");
        File.CreateSymbolicLink(link, "reports/real.json");

        var result = await ScanToAsync(link);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(FileNodeType.Symlink, TypeOf(link));
        Assert.Equal("reports/real.json", new FileInfo(link).LinkTarget);
        using (JsonDocument.Parse(File.ReadAllText(target)))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
        Assert.Equal(["real.json"], Directory.GetFileSystemEntries(temp.Combine("reports")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_replaced_regular_file_keeps_its_mode()
    {
        var report = temp.WriteFile("report.json", "old");
        File.SetUnixFileMode(report, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, (await ScanToAsync(report)).ExitCode);
        Assert.StartsWith("{", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
    }

    [Fact]
    public async Task A_read_only_file_is_refused_not_replaced()
    {
        var report = temp.WriteFile("report.json", "keep me");
        File.SetUnixFileMode(report, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = await ScanToAsync(report);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--output {report}: {report} is read-only; refusing to replace it.", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(report));
    }

    [Fact]
    public async Task A_dangling_symlink_and_a_directory_are_refused_and_left_alone()
    {
        var dangling = temp.Combine("dangling.json");
        File.CreateSymbolicLink(dangling, "nowhere/report.json");
        var result = await ScanToAsync(dangling);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a symbolic link to a file that does not exist", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(FileNodeType.Symlink, TypeOf(dangling));

        var directory = Directory.CreateDirectory(temp.Combine("dir")).FullName;
        var onDirectory = await ScanToAsync(directory);
        Assert.Equal(2, onDirectory.ExitCode);
        Assert.Contains("is a directory", onDirectory.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dash_is_stdout()
    {
        var result = await CliRunner.RunAsync(["scan", Config, "--format", "json", "--no-progress", "--output", "-"], temp.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("{", result.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task A_directory_that_cannot_be_written_is_a_usage_error_in_plain_words()
    {
        // sysfs refuses new files even to root; a mode-0555 directory would not stop root.
        var result = await ScanToAsync("/sys/strata-report.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output /sys/strata-report.json: cannot create a file in /sys: Permission denied.", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_name_over_255_bytes_is_a_usage_error_in_plain_words()
    {
        var name = new string('é', 130); // 260 bytes in UTF-8, 130 characters
        var result = await ScanToAsync(temp.Combine(name));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the file name is 260 bytes, more than the 255 a file name may have", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("File name too long :", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));

        // A name just within the limit works, although the temporary file beside it needs a longer one.
        var longest = temp.Combine(new string('a', 255));
        Assert.Equal(0, (await ScanToAsync(longest)).ExitCode);
        Assert.True(File.Exists(longest));
    }
}
