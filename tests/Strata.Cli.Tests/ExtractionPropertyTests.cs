namespace Strata.Cli.Tests;

using System.Formats.Tar;
using System.Text;
using CsCheck;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// Random hostile layers (<c>..</c>, absolute names, symlinks out of the root absolute and relative, a file written
/// through a symlink in the same or a later layer, hard links to outside paths, deep paths, duplicate names) through
/// <c>strata image extract</c>: whatever the layers say, nothing outside the target directory changes, the host's
/// root and /tmp gain nothing, and every file in the target has all its hard links inside it. Exit 0 or 3 only.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExtractionPropertyTests : IDisposable
{
    private static readonly string[] HostDirectories = ["/", "/tmp", "/a", "/b"];
    private readonly TempDirectory temp = new("strata-extract-props");
    private int extracted;
    private int refused;

    public void Dispose() => temp.Dispose();

    /// <summary>One tar entry: <see cref="Text"/> is a file's content or a link's target.</summary>
    public sealed record Entry(TarEntryType Type, string Name, string Text)
    {
        public override string ToString() => $"{Type} \"{Name}\"{(Text.Length > 0 ? $" \"{Text}\"" : string.Empty)}";
    }

    /// <summary>About 100 images, 10 to 20 s; CsCheck_Seed replays a failure.</summary>
    [Fact]
    public async Task Extracting_hostile_layers_never_writes_outside_the_target()
    {
        // Names carry a token of this run, so anything written outside the sandbox can be found by name.
        var token = "pwn" + Guid.NewGuid().ToString("N")[..8];
        var sandbox = Directory.CreateDirectory(temp.Combine("sandbox")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(sandbox, "outside")).FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "victim"), "host file");
        var target = Path.Combine(sandbox, "target");

        // Mostly plain names, so that many images extract; '..' (refused when it climbs above the root) now and then.
        string[] components = ["a", "b", token, "link", "a", "b", token, "link", "..", ".", string.Empty];
        string[] linkTargets = ["..", "../..", "../../../..", "/", "/tmp", sandbox, outside, outside + "/victim", "../outside", "a", "link", "link/..", "/a/../../..", token];
        var deep = string.Join('/', Enumerable.Repeat("d", 120)) + "/" + token;
        var names = Gen.Frequency(
            (8, Gen.Select(Gen.Int[0, 3].Select(i => i == 0), Gen.Int[0, components.Length - 1].Array[1, 4], (absolute, parts) => (absolute ? "/" : string.Empty) + string.Join('/', parts.Select(i => components[i])))),
            (1, Gen.Const(deep)),
            (1, Gen.Const(outside.TrimStart('/') + "/victim")));
        var text = Gen.Int[0, linkTargets.Length - 1].Select(i => linkTargets[i]);
        var entry = Gen.Frequency(
            (4, Gen.Select(names, Gen.Char.AlphaNumeric.Array[0, 8], (name, content) => new Entry(TarEntryType.RegularFile, name, new string(content)))),
            (2, names.Select(name => new Entry(TarEntryType.Directory, name, string.Empty))),
            (4, Gen.Select(names, text, (name, link) => new Entry(TarEntryType.SymbolicLink, name, link))),
            (1, Gen.Select(names, Gen.Frequency((3, names), (2, text)), (name, link) => new Entry(TarEntryType.HardLink, name, link))));
        var stacks = entry.Array[0, 6].Array[1, 3];

        var sandboxBefore = await SnapshotAsync(sandbox);
        var hostBefore = HostEntries(token);
        await stacks.SampleAsync(
            async layers =>
            {
                try
                {
                    await CheckAsync(layers, target);
                    Assert.Equal(sandboxBefore, await SnapshotAsync(sandbox));
                    Assert.Equal(hostBefore, HostEntries(token));
                }
                finally
                {
                    if (Directory.Exists(target))
                    {
                        Directory.Delete(target, recursive: true);
                    }
                }
            },
            iter: 100,
            threads: 1,
            print: layers => string.Join("\n", layers.Select((l, i) => $"layer {i}: " + string.Join(", ", l.Select(e => e.ToString())))));

        // Not vacuous: the generator makes images that extract as well as images that are refused.
        Assert.True(extracted >= 20 && refused >= 10, $"{extracted} extracted, {refused} refused");
    }

    private async Task CheckAsync(Entry[][] layers, string target)
    {
        var layout = temp.Combine("layouts", Guid.NewGuid().ToString("N")[..12]);
        var reference = OciLayoutWriter.WriteSingle(layout, [.. layers.Select(l => OciLayoutWriter.Plain(Tar(l)))]);
        var result = await CliRunner.RunAsync(["image", "extract", reference, target, "--quiet"], temp.Path);
        Directory.Delete(layout, recursive: true);
        Assert.True(result.ExitCode is 0 or 3, $"exit {result.ExitCode}: {result.StdErr}");
        Assert.DoesNotContain("Exception", result.StdErr, StringComparison.Ordinal);
        _ = result.ExitCode == 0 ? extracted++ : refused++;
        if (!Directory.Exists(target))
        {
            return;
        }

        // Only directories, files and symlinks; a file linked more than once has every link inside the target.
        var nodes = await FindAsync(target, "%y %n %i %P\n");
        var inodes = nodes.Select(line => line.Split(' ', 4)).Where(f => f[0] == "f").GroupBy(f => f[2]);
        foreach (var line in nodes)
        {
            Assert.True(line[0] is 'd' or 'f' or 'l', $"unexpected node in the target: {line}");
        }

        foreach (var inode in inodes)
        {
            Assert.Equal(int.Parse(inode.First()[1], System.Globalization.CultureInfo.InvariantCulture), inode.Count());
        }
    }

    private static byte[] Tar(IEnumerable<Entry> entries) => OciLayoutWriter.Tar(writer =>
    {
        foreach (var entry in entries)
        {
            var tar = new PaxTarEntry(entry.Type, entry.Name.Length == 0 ? "." : entry.Name) { Mode = (UnixFileMode)0x1ED };
            if (entry.Type == TarEntryType.RegularFile)
            {
                tar.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(entry.Text));
            }
            else if (entry.Type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                tar.LinkName = entry.Text.Length == 0 ? "." : entry.Text;
            }

            writer.WriteEntry(tar);
        }
    });

    /// <summary>Every node of the sandbox but the target: type, mode, size, links, inode, mtime and symlink target; and the outside files' content.</summary>
    private static async Task<string> SnapshotAsync(string sandbox)
    {
        var nodes = await FindAsync(sandbox, "%P %y %m %s %n %i %T@ %l\n", prune: "target");
        var contents = TreeSnapshot.Take(Path.Combine(sandbox, "outside"));
        return string.Join('\n', nodes) + "\n" + string.Join('\n', contents.Select(c => c.Key + " " + c.Value));
    }

    private static async Task<string[]> FindAsync(string root, string format, string? prune = null)
    {
        string[] arguments = prune is null
            ? [root, "-mindepth", "1", "-printf", format]
            : [root, "-mindepth", "1", "-path", Path.Combine(root, prune), "-prune", "-o", "-printf", format];
        var result = await ExternalTool.RunAsync("find", arguments);
        Assert.Equal(0, result.ExitCode);
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    /// <summary>Entries of / and /tmp named with the run's token: an extraction that escaped would have made one.</summary>
    private static string[] HostEntries(string token) =>
        [.. HostDirectories.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*" + token + "*")).Order(StringComparer.Ordinal)];
}
