namespace Strata.Engine.Tests;

using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// Writes a rule example as the input its scanner reads, so the example runs through the real scanner:
/// <list type="bullet">
/// <item>Dockerfile, runtime config.json, seccomp profile, engine configs (daemon.json, containerd's config.toml, crio.conf): the example is the file; a Dockerfile example may describe its build context (<see cref="BuildContextExample"/>). A Dockerfile example whose first line is
/// <c># .hadolint.yaml: {…}</c> runs with that lint configuration (trusted registries, label schema; see <see cref="Registry"/>).</item>
/// <item>Kubernetes: a Pod manifest; an example that is not a whole manifest is its spec (<c>spec:</c> …) or the body of its spec.</item>
/// <item>Host: a host tree, one <c>/path = value</c> line per file (a bare <c>/path</c> is an empty file).</item>
/// <item>Image: an OCI layout. The example is the image config (<c>{…}</c>); or one string of it (<c>$.config.Env[1]: NAME=value</c>,
/// <c>$.history[3].created_by: text</c>); or a file (a path line, then its content); or
/// ls-like entries (<c>-rwsr-xr-x 0 0 /usr/bin/sudo</c>, optionally with a size before the path, <c>rm /path</c> for a
/// deletion), in layers started by <c># layer N: created_by</c> lines.</item>
/// <item>Root filesystem: a directory with the example text in a file.</item>
/// </list>
/// </summary>
internal static partial class ExampleTargets
{
    private static readonly DateTimeOffset Modified = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="text"/> under <paramref name="directory"/> as a target of <paramref name="kind"/>.</summary>
    public static (ScanTarget Target, ScanContext Context) Write(TargetKind kind, string text, TempDirectory directory, CollectingLogger logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var context = new ScanContext { Logger = logger };
        switch (kind)
        {
            case TargetKind.Dockerfile:
                return (BuildContextExample.Write(text, directory.Path), context);
            case TargetKind.RuntimeConfig:
                return (FileTarget(kind, directory.WriteFile("config.json", text)), context);
            case TargetKind.SeccompProfile:
                return (FileTarget(kind, directory.WriteFile("profile.json", text)), context);
            case TargetKind.DockerDaemonConfig:
                return (FileTarget(kind, directory.WriteFile("daemon.json", text)), context);
            case TargetKind.ContainerdConfig:
                return (FileTarget(kind, directory.WriteFile("config.toml", text)), context);
            case TargetKind.CrioConfig:
                return (FileTarget(kind, directory.WriteFile("crio.conf", text)), context);
            case TargetKind.KubernetesManifest:
                return (FileTarget(kind, directory.WriteFile("pod.yaml", PodManifest(text))), context);
            case TargetKind.Host:
                WriteHostTree(text, directory);
                return (new ScanTarget(kind, "host", "/"), new ScanContext { Logger = logger, HostRoot = directory.Path });
            case TargetKind.Image:
                var reference = WriteImage(text, directory.Combine("layout"));
                return (new ScanTarget(kind, reference, reference), context);
            case TargetKind.RootFs:
                directory.WriteFile("app/example.txt", text);
                return (new ScanTarget(kind, "rootfs:" + directory.Path, directory.Path), context);
            default:
                throw new NotSupportedException($"No example writer for {kind} targets: add one to {nameof(ExampleTargets)}.");
        }
    }

    /// <summary>A Pod manifest around a Kubernetes example.</summary>
    public static string PodManifest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains("kind:", StringComparison.Ordinal))
        {
            return text;
        }

        var spec = text.StartsWith("spec:", StringComparison.Ordinal)
            ? text
            : "spec:\n" + string.Join('\n', text.Split('\n').Select(line => "  " + line));
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: example\n" + spec + "\n";
    }

    /// <summary>The first line of a host example whose audit runs with the kernel CVE dataset (<c>--kernel-cve-data</c>).</summary>
    public const string KernelCveDataLine = "--kernel-cve-data";

    /// <summary>The line that gives a Dockerfile example its lint configuration, as flow YAML after the colon.</summary>
    public const string DockerfileConfigLine = "# .hadolint.yaml:";

    /// <summary>
    /// The registry to run <paramref name="text"/> with: <paramref name="defaults"/>, or for a Dockerfile example that starts
    /// with <see cref="DockerfileConfigLine"/> one whose Dockerfile lint uses that configuration.
    /// </summary>
    public static ScannerRegistry Registry(TargetKind kind, string text, ScannerRegistry defaults)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (kind == TargetKind.Host && text.StartsWith(KernelCveDataLine, StringComparison.Ordinal))
        {
            // The example's host audit runs with the linux_kernel_cves data of ../shared (--kernel-cve-data).
            return ScannerRegistry.CreateDefault(kernelCves: Strata.Kernel.KernelCves.KernelCveTable.LoadDataset(Path.Combine(RepoPaths.Shared, "fixtures", "kernel-cves")));
        }

        if (kind != TargetKind.Dockerfile || !text.StartsWith(DockerfileConfigLine, StringComparison.Ordinal))
        {
            return defaults;
        }

        var line = text.Split('\n')[0];
        var config = Strata.Images.Dockerfile.DockerfileLintConfig.Parse(line[DockerfileConfigLine.Length..], "example");
        return ScannerRegistry.CreateDefault(dockerfileConfig: config);
    }

    private static ScanTarget FileTarget(TargetKind kind, string path) => new(kind, path, path);

    private static void WriteHostTree(string text, TempDirectory directory)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(KernelCveDataLine, StringComparison.Ordinal))
            {
                continue;
            }

            var equals = line.IndexOf(" = ", StringComparison.Ordinal);
            var path = equals < 0 ? line.Trim() : line[..equals].Trim();
            Assert.StartsWith("/", path, StringComparison.Ordinal);
            // A value may hold several lines of its file, written "\n" (a dpkg status paragraph, /proc/self/status fields).
            directory.WriteFile(path.TrimStart('/'), equals < 0 ? string.Empty : line[(equals + 3)..].Replace("\\n", "\n", StringComparison.Ordinal) + "\n");
        }
    }

    private static string WriteImage(string text, string root)
    {
        var config = new JsonObject();
        var layers = new List<LayerBlob>();
        var history = new JsonArray();
        var lines = text.Split('\n');
        if (text.StartsWith('{'))
        {
            config = Assert.IsType<JsonObject>(JsonNode.Parse(text));
            layers.Add(OciLayoutWriter.Plain(OciLayoutWriter.Tar(_ => { }), "example"));
        }
        else if (ConfigTextLine().Match(text) is { Success: true } configText)
        {
            // The string at its index: earlier entries are harmless fillers (environment entries, steps that made no layer).
            var index = int.Parse(configText.Groups["index"].Value, CultureInfo.InvariantCulture);
            var value = configText.Groups["text"].Value;
            if (configText.Groups["field"].Value == "config.Env")
            {
                config["Env"] = new JsonArray([.. Enumerable.Range(0, index).Select(i => (JsonNode)FormattableString.Invariant($"FILLER_{i}=1")), value]);
                layers.Add(OciLayoutWriter.Plain(OciLayoutWriter.Tar(_ => { }), "example"));
            }
            else
            {
                for (var i = 0; i < index; i++)
                {
                    history.Add(new JsonObject { ["created_by"] = FormattableString.Invariant($"/bin/sh -c #(nop) LABEL step={i}"), ["empty_layer"] = true });
                }

                layers.Add(OciLayoutWriter.Plain(OciLayoutWriter.Tar(_ => { }), value));
            }
        }
        else if (LayerLine().IsMatch(lines[0]) || LsLine().IsMatch(lines[0]))
        {
            layers.AddRange(EntryLayers(lines));
        }
        else
        {
            var content = string.Join('\n', lines[1..]) + "\n";
            layers.Add(OciLayoutWriter.Plain(
                OciLayoutWriter.Tar(tar =>
                {
                    AddParents(tar, lines[0].TrimStart('/'), new HashSet<string>(StringComparer.Ordinal));
                    AddFile(tar, lines[0], Encoding.UTF8.GetBytes(content), 0x1A4, 0, 0);
                }),
                "COPY example"));
        }

        var imageConfig = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = config,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. layers.Select(l => (JsonNode)l.DiffId)]) },
            ["history"] = new JsonArray([.. history.Select(h => h!.DeepClone()), .. layers.Select(l => (JsonNode)new JsonObject { ["created_by"] = l.CreatedBy })]),
        };
        var writer = new OciLayoutWriter(root);
        writer.WriteIndex((writer.WriteImage(layers, imageConfig), "latest"));
        return $"oci:{root}:latest";
    }

    /// <summary>ls-like entries, grouped into layers by <c># layer</c> lines (one layer when there are none).</summary>
    private static IEnumerable<LayerBlob> EntryLayers(string[] lines)
    {
        var createdBy = "example";
        var pending = new List<string>();
        foreach (var line in lines)
        {
            if (LayerLine().Match(line) is { Success: true } layer)
            {
                if (pending.Count > 0)
                {
                    yield return Layer(pending, createdBy);
                    pending.Clear();
                }

                createdBy = layer.Groups["by"].Value;
            }
            else
            {
                pending.Add(line);
            }
        }

        yield return Layer(pending, createdBy);
    }

    private static LayerBlob Layer(List<string> lines, string createdBy) => OciLayoutWriter.Plain(OciLayoutWriter.Tar(tar =>
    {
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (RmLine().Match(line) is { Success: true } rm)
            {
                var path = rm.Groups["path"].Value.TrimStart('/');
                var slash = path.LastIndexOf('/');
                AddParents(tar, path, directories);
                AddEntry(tar, new PaxTarEntry(TarEntryType.RegularFile, slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..]), 0x1A4, 0, 0);
                continue;
            }

            var match = LsLine().Match(line);
            Assert.True(match.Success, $"not an ls-like example line: {line}");
            var name = match.Groups["path"].Value.TrimStart('/');
            var (type, mode) = ParseMode(match.Groups["mode"].Value);
            var uid = int.Parse(match.Groups["uid"].Value, CultureInfo.InvariantCulture);
            var gid = int.Parse(match.Groups["gid"].Value, CultureInfo.InvariantCulture);
            if (type == TarEntryType.RegularFile)
            {
                var size = match.Groups["size"].Success ? int.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture) : 0;
                AddParents(tar, name, directories);
                AddFile(tar, "/" + name, new byte[size], mode, uid, gid);
            }
            else
            {
                AddParents(tar, name, directories);
                var entry = new PaxTarEntry(type, type == TarEntryType.Directory ? name + "/" : name);
                if (match.Groups["target"].Success)
                {
                    entry.LinkName = match.Groups["target"].Value;
                }

                directories.Add(name);
                AddEntry(tar, entry, mode, uid, gid);
            }
        }
    }), createdBy);

    private static void AddFile(TarWriter tar, string path, byte[] content, int mode, int uid, int gid)
    {
        AddEntry(tar, new PaxTarEntry(TarEntryType.RegularFile, path.TrimStart('/')) { DataStream = new MemoryStream(content) }, mode, uid, gid);
    }

    private static void AddParents(TarWriter tar, string name, HashSet<string> written)
    {
        var parts = name.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            if (written.Add(parent))
            {
                AddEntry(tar, new PaxTarEntry(TarEntryType.Directory, parent + "/"), 0x1ED, 0, 0);
            }
        }
    }

    private static void AddEntry(TarWriter tar, PaxTarEntry entry, int mode, int uid, int gid)
    {
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = Modified;
        tar.WriteEntry(entry);
    }

    private static (TarEntryType Type, int Mode) ParseMode(string text)
    {
        var type = text[0] switch
        {
            'd' => TarEntryType.Directory,
            'l' => TarEntryType.SymbolicLink,
            'c' => TarEntryType.CharacterDevice,
            'b' => TarEntryType.BlockDevice,
            'p' => TarEntryType.Fifo,
            _ => TarEntryType.RegularFile,
        };
        var mode = 0;
        for (var i = 0; i < 9; i++)
        {
            if (text[i + 1] is not ('-' or 'S' or 'T'))
            {
                mode |= 1 << (8 - i);
            }
        }

        mode |= text[3] is 's' or 'S' ? 0x800 : 0;
        mode |= text[6] is 's' or 'S' ? 0x400 : 0;
        mode |= text[9] is 't' or 'T' ? 0x200 : 0;
        return (type, mode);
    }

    [GeneratedRegex(@"^(?<mode>[-dlcbp][-rwxsStT]{9}) (?<uid>\d+) (?<gid>\d+)(?: (?<size>\d+))? (?<path>/\S+)(?: -> (?<target>\S+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex LsLine();

    [GeneratedRegex(@"^\$\.(?<field>config\.Env|history)\[(?<index>\d+)\](?:\.created_by)?: (?<text>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigTextLine();

    [GeneratedRegex(@"^# layer \d+: (?<by>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerLine();

    [GeneratedRegex(@"^rm (?<path>/\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RmLine();
}
