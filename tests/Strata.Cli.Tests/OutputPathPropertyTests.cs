namespace Strata.Cli.Tests;

using CsCheck;
using Strata.Testing;

/// <summary>
/// Issue 8, defect 1, as a property: whatever --output names, no node that is not a regular file is ever replaced.
/// A device or FIFO is written into and stays what it was (same device numbers); a symlink stays the same symlink
/// (a symlink to a file or a device is followed); a dangling symlink, a read-only file, a directory and a path in a
/// missing directory are refused with exit 2 and left as they were (README, "--output FILE").
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputPathPropertyTests : IDisposable
{
    private static readonly string Config = Path.Combine(RepoPaths.Examples, "runtime", "config.json");
    private static readonly string[] Formats = ["json", "table", "sarif"];
    private readonly TempDirectory temp = new("strata-output-props");

    /// <summary>What --output names.</summary>
    public enum Node
    {
        NewFile,
        RegularFile,
        ReadOnlyFile,
        Directory,
        MissingDirectory,
        Fifo,
        CharDevice,
        SymlinkToFile,
        SymlinkToDevice,
        SymlinkToFifo,
        DanglingSymlink,
    }

    public void Dispose() => temp.Dispose();

    /// <summary>About 60 runs of the CLI, 5 to 15 s; CsCheck_Seed replays a failure.</summary>
    [Fact]
    public async Task No_output_path_ever_replaces_a_non_regular_file()
    {
        var nodes = Enum.GetValues<Node>().Where(n => SpecialFiles.IsRoot || n is not (Node.CharDevice or Node.SymlinkToDevice)).ToArray();
        var cases = Gen.Select(Gen.Int[0, nodes.Length - 1].Select(i => nodes[i]), Gen.Int[0, 2].Select(i => Formats[i]), Gen.Bool);
        await cases.SampleAsync(CheckAsync, iter: 60, threads: 1, print: c => $"--output {c.Item1} --format {c.Item2}{(c.Item3 ? " (relative path)" : string.Empty)}");
    }

    private async Task CheckAsync(Node node, string format, bool relative)
    {
        var directory = temp.Combine(Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var output = await MakeAsync(node, directory);
        var before = await DescribeAsync(directory);

        // A FIFO's writer blocks until a reader opens it; the reader is released afterwards if nobody wrote.
        var fifo = node switch
        {
            Node.Fifo => output,
            Node.SymlinkToFifo => Path.Combine(directory, "fifo"),
            _ => null,
        };
        var reader = fifo is null ? Task.FromResult(string.Empty) : Task.Run(() => File.ReadAllText(fifo));
        var argument = relative ? Path.GetRelativePath(directory, output) : output;
        var result = await SpecialFiles.WithinHangLimit(() => CliRunner.RunAsync(["scan", Config, "--format", format, "--no-progress", "--output", argument], directory));
        if (fifo is not null)
        {
            // Opening read-write never blocks on Linux: a reader still waiting in open() is released and sees EOF.
            using var release = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        }

        var read = await reader.WaitAsync(SpecialFiles.HangLimit);
        var after = await DescribeAsync(directory);

        var expected = node is Node.ReadOnlyFile or Node.Directory or Node.MissingDirectory or Node.DanglingSymlink ? 2 : 0;
        Assert.True(expected == result.ExitCode, $"exit {result.ExitCode}, expected {expected}; stderr: {result.StdErr}");
        switch (node)
        {
            case Node.NewFile:
                Assert.Empty(before);
                Assert.StartsWith("report regular file ", Assert.Single(after), StringComparison.Ordinal);
                break;
            case Node.RegularFile or Node.SymlinkToFile:
                // The regular file is replaced (a new inode) or written; every other node is as it was.
                Assert.Equal(WithoutInodes(before), WithoutInodes(after));
                Assert.NotEqual("old", await File.ReadAllTextAsync(output));
                break;
            case Node.Fifo or Node.SymlinkToFifo:
                Assert.Equal(before, after);
                Assert.NotEmpty(read);
                break;
            default:
                Assert.Equal(before, after);
                break;
        }

        if (node == Node.ReadOnlyFile)
        {
            Assert.Equal("keep", await File.ReadAllTextAsync(output));
        }
    }

    private static async Task<string> MakeAsync(Node node, string directory)
    {
        var path = Path.Combine(directory, "report");
        switch (node)
        {
            case Node.RegularFile:
                await File.WriteAllTextAsync(path, "old");
                break;
            case Node.ReadOnlyFile:
                await File.WriteAllTextAsync(path, "keep");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
                break;
            case Node.Directory:
                Directory.CreateDirectory(path);
                break;
            case Node.MissingDirectory:
                return Path.Combine(directory, "missing", "report");
            case Node.Fifo:
                await SpecialFiles.MakeFifoAsync(path);
                break;
            case Node.CharDevice:
                await SpecialFiles.MakeCharDeviceAsync(path, 1, 3);
                break;
            case Node.SymlinkToFile:
                await File.WriteAllTextAsync(Path.Combine(directory, "real"), "old");
                File.CreateSymbolicLink(path, "real");
                break;
            case Node.SymlinkToDevice:
                await SpecialFiles.MakeCharDeviceAsync(Path.Combine(directory, "zero"), 1, 5);
                File.CreateSymbolicLink(path, Path.Combine(directory, "zero"));
                break;
            case Node.SymlinkToFifo:
                await SpecialFiles.MakeFifoAsync(Path.Combine(directory, "fifo"));
                File.CreateSymbolicLink(path, "fifo");
                break;
            case Node.DanglingSymlink:
                File.CreateSymbolicLink(path, "nowhere/report");
                break;
        }

        return path;
    }

    /// <summary>Every node in the directory: name, type, device numbers, inode, mode and link target, as stat(1) shows them (no symlink followed).</summary>
    private static async Task<string[]> DescribeAsync(string directory)
    {
        var names = Directory.GetFileSystemEntries(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return [];
        }

        var result = await ExternalTool.RunAsync("stat", ["-c", "%n %F %t:%T inode=%i %a %N", .. names], directory);
        Assert.Equal(0, result.ExitCode);
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> WithoutInodes(IEnumerable<string> lines) =>
        lines.Select(line => System.Text.RegularExpressions.Regex.Replace(line, "inode=[0-9]+ ", string.Empty));
}
