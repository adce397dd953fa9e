namespace Strata.Cli.Tests;

using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// Every limit, through the real command line: input just past it is refused (exit 3) naming the file and the key to
/// raise, and the same input passes once <c>--limits</c> raises it. <c>strata limits</c>, docs/LIMITS.md and
/// <see cref="LimitKeys"/> agree; a bad <c>--limits</c> is a usage error.
/// </summary>
public sealed class LimitsTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-limits");

    public void Dispose() => temp.Dispose();

    /// <summary>One refusal: the target, the limits that refuse it (null: the defaults) and let it through, and what the message names.</summary>
    private sealed record Case(string Target, string? Tight, string Raised, string Where, string Key);

    /// <summary>The keys whose limit refuses input (findings-per-rule folds, buffered-file-bytes spills to disk, the build context ones warn).</summary>
    private static IEnumerable<string> Refusing => LimitKeys.All.Select(k => k.Name).Where(k => k is not ("findings-per-rule" or "buffered-file-bytes" or "context-entries" or "context-bytes"));

    public static TheoryData<string> RefusingKeys => [.. Refusing];

    [Theory]
    [MemberData(nameof(RefusingKeys))]
    public async Task Input_just_past_a_limit_is_refused_naming_file_and_key_and_passes_when_it_is_raised(string key)
    {
        var test = Build(key);
        var refused = await ScanAsync(test.Target, test.Tight);
        Assert.True(refused.ExitCode == 3, $"exit {refused.ExitCode}: {refused.StdErr}");
        var error = Assert.Single(refused.StdErr.Split('\n'), l => l.StartsWith("strata: ", StringComparison.Ordinal));
        Assert.Contains(test.Where, error, StringComparison.Ordinal);
        Assert.EndsWith($"(limit {test.Key}; raise it with --limits {test.Key}=N).", error, StringComparison.Ordinal);

        var passed = await ScanAsync(test.Target, test.Raised);
        Assert.True(passed.ExitCode == 0, $"exit {passed.ExitCode}: {passed.StdErr}");
        Assert.DoesNotContain("(limit ", passed.StdOut + passed.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_limit_key_has_a_test()
    {
        // findings-per-rule refuses nothing: FoldedFindingsTests; buffered-file-bytes and the build context keys neither: below.
        var tested = Refusing.Append("findings-per-rule").Append("buffered-file-bytes").Append("context-entries").Append("context-bytes");
        Assert.Equal(LimitKeys.All.Select(k => k.Name).Order(), tested.Order());
    }

    [Fact]
    public async Task A_small_buffered_file_limit_spills_to_disk_and_changes_no_finding()
    {
        var image = Image("buffered", OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n" + new string('#', 64 * 1024) + "\n");
            OciLayoutWriter.AddFile(w, "app/.env", "GITHUB_TOKEN=ghp_" + new string('A', 36) + "\n" + new string('x', 32 * 1024));
        })));
        var normal = await ScanAsync(image, null);
        var spilled = await ScanAsync(image, "buffered-file-bytes=1KiB");
        Assert.Equal(0, normal.ExitCode);
        Assert.Equal(Findings(normal.StdOut), Findings(spilled.StdOut));
        Assert.NotEmpty(Findings(normal.StdOut));
    }

    /// <summary>
    /// A build context past context-entries is not evaluated (the Dockerfile's own rules still run) and one past
    /// context-bytes is not read whole for secrets; either way a warning names the key, and raising it brings the
    /// findings back.
    /// </summary>
    [Theory]
    [InlineData("context-entries=3", "context-entries=100", "the build context was not evaluated")]
    [InlineData("context-bytes=10", "context-bytes=1MiB", "were not read for secrets")]
    public async Task A_build_context_past_its_limits_is_warned_about_and_passes_when_they_are_raised(string tight, string raised, string warning)
    {
        var context = temp.Combine("context-" + tight.Split('=')[0]);
        Directory.CreateDirectory(Path.Combine(context, "src"));
        File.WriteAllText(Path.Combine(context, "src", "a.py"), "print(1)\n");
        File.WriteAllText(Path.Combine(context, "src", "b.py"), "print(2)\n");
        File.WriteAllText(Path.Combine(context, ".env"), "GITHUB_TOKEN=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\n");
        var dockerfile = Path.Combine(context, "Dockerfile");
        File.WriteAllText(dockerfile, "FROM scratch\nCOPY . /app/\n");
        var limited = await CliRunner.RunAsync("scan", dockerfile, "--context", context, "--format", "json", "--no-progress", "--limits", tight);
        Assert.True(limited.ExitCode == 0, limited.StdErr);
        Assert.Contains($"(limit {tight.Split('=')[0]}", limited.StdErr + limited.StdOut, StringComparison.Ordinal);
        Assert.Contains(warning, limited.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Findings(limited.StdOut), f => f.Contains("DKF-080", StringComparison.Ordinal) || f.Contains(".env:1", StringComparison.Ordinal));

        var passed = await CliRunner.RunAsync("scan", dockerfile, "--context", context, "--format", "json", "--no-progress", "--limits", raised);
        Assert.True(passed.ExitCode == 0, passed.StdErr);
        Assert.DoesNotContain("(limit ", passed.StdOut + passed.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(passed.StdOut);
        Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "DKF-080");
    }

    [Fact]
    public async Task The_image_commands_take_limits_too()
    {
        var image = Image("two-layers", SmallLayer("a"), SmallLayer("b"));
        var refused = await CliRunner.RunAsync("image", "files", image, "--limits", "layers=1");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("2 layers is more than the 1 allowed (limit layers; raise it with --limits layers=N).", refused.StdErr, StringComparison.Ordinal);
        foreach (var command in new[] { "files", "inspect" })
        {
            var passed = await CliRunner.RunAsync("image", command, image, "--limits", "layers=2", "--format", "json");
            Assert.True(passed.ExitCode == 0, passed.StdErr);
        }
    }

    [Theory]
    [InlineData("scan")]
    [InlineData("image files")]
    public async Task An_unknown_key_or_a_bad_value_is_a_usage_error_before_anything_is_read(string command)
    {
        var missing = temp.Combine("missing.yaml");
        var unknown = await CliRunner.RunAsync([.. command.Split(' '), missing, "--limits", "documnet-bytes=1"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("strata: --limits documnet-bytes=1: unknown limit 'documnet-bytes'; did you mean document-bytes? ('strata limits' lists every key).\n", unknown.StdErr, StringComparison.Ordinal);

        var bad = await CliRunner.RunAsync([.. command.Split(' '), missing, "--limits", "layers=2,findings-per-rule=lots"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("strata: --limits findings-per-rule=lots: expected a whole number", bad.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.yaml", unknown.StdErr + bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strata_limits_and_docs_list_every_key_with_its_default()
    {
        var result = await CliRunner.RunAsync("limits");
        Assert.Equal(0, result.ExitCode);
        var docs = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "LIMITS.md"));
        var rows = docs.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        Assert.Equal(LimitKeys.All.Select(k => $"| `{k.Name}` | {k.Format(Limits.Default)} | {k.Meaning} |"), rows);
        foreach (var key in LimitKeys.All)
        {
            Assert.Contains($"\n{key.Name} ", result.StdOut, StringComparison.Ordinal);
            Assert.Contains($" {key.Format(Limits.Default)} ", result.StdOut, StringComparison.Ordinal);
        }

        foreach (var command in new[] { "scan", "image files", "image inspect", "image extract" })
        {
            var help = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);
            Assert.Contains("--limits <key=value,…>", help.StdOut, StringComparison.Ordinal);
        }
    }

    private Case Build(string key)
    {
        switch (key)
        {
            case "document-bytes":
            {
                var pod = temp.WriteFile("big.yaml", "# " + new string('x', 5000) + "\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n");
                var size = new FileInfo(pod).Length;
                return new Case("k8s:" + pod, $"document-bytes={size - 1}", $"document-bytes={size}", pod, key);
            }

            case "document-depth":
            {
                // The root object is one level, then 128 arrays: one past the default of 128.
                var profile = temp.WriteFile("deep.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"x\": " + new string('[', 128) + new string(']', 128) + "}");
                return new Case("seccomp:" + profile, null, "document-depth=129", profile + ":1", key);
            }

            case "document-nodes":
            {
                var manifest = temp.WriteFile("nodes.yaml", "[" + string.Join(", ", Enumerable.Repeat("0", 100)) + "]\n");
                return new Case("k8s:" + manifest, "document-nodes=100", "document-nodes=101", manifest + ":1", key);
            }

            case "documents-per-file":
            {
                var manifest = temp.WriteFile("many.yaml", string.Concat(Enumerable.Range(0, 11).Select(i => $"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n")));
                return new Case("k8s:" + manifest, "documents-per-file=10", "documents-per-file=11", manifest + ":51", key);
            }

            case "manifest-bytes":
            {
                var layer = SmallLayer("a");
                var writer = new OciLayoutWriter(temp.Combine("manifest"));
                var descriptor = writer.WriteImage([layer], editManifest: m =>
                {
                    m["annotations"] = new JsonObject { ["padding"] = new string('p', 5000) };
                    return m;
                });
                writer.WriteIndex((descriptor, "latest"));
                var size = descriptor["size"]!.GetValue<int>();
                return new Case($"oci:{writer.Root}:latest", $"manifest-bytes={size - 1}", $"manifest-bytes={size}", writer.Root, key);
            }

            case "config-bytes":
            {
                var layer = SmallLayer("a");
                var config = OciLayoutWriter.Config([layer]);
                config["config"]!["Labels"]!["padding"] = new string('p', 5000);
                var writer = new OciLayoutWriter(temp.Combine("config"));
                writer.WriteIndex((writer.WriteImage([layer], config), "latest"));
                var size = Encoding.UTF8.GetByteCount(config.ToJsonString());
                return new Case($"oci:{writer.Root}:latest", $"config-bytes={size - 1}", $"config-bytes={size}", writer.Root, key);
            }

            case "index-depth":
            {
                // index.json tags an index that lists an index that lists the manifest: two nested indexes.
                var writer = new OciLayoutWriter(temp.Combine("index"));
                var manifest = writer.WriteImage([SmallLayer("a")]);
                manifest["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" };
                writer.WriteIndex((writer.WriteIndexBlob(writer.WriteIndexBlob(manifest)), "latest"));
                return new Case($"oci:{writer.Root}:latest", "index-depth=1", "index-depth=2", writer.Root, key);
            }

            case "layers":
                return new Case(Image("layers", SmallLayer("a"), SmallLayer("b")), "layers=1", "layers=2", temp.Combine("layers"), key);

            case "layer-bytes":
                return new Case(Image("layer-bytes", Zeros(1 << 20)), "layer-bytes=512KiB", "layer-bytes=4MiB", temp.Combine("layer-bytes"), key);

            case "image-bytes":
                return new Case(Image("image-bytes", Zeros(1 << 20), Zeros(1 << 20, "again")), "image-bytes=1536KiB", "image-bytes=8MiB", temp.Combine("image-bytes"), key);

            case "compression-ratio":
                return new Case(Image("ratio", Zeros(4 << 20)), "compression-ratio=10,compression-ratio-grace=64KiB", "compression-ratio=100000,compression-ratio-grace=64KiB", temp.Combine("ratio"), key);

            case "compression-ratio-grace":
                // Past the grace the ratio is checked, so the refusal names compression-ratio; a grace beyond the layer lets it through.
                return new Case(Image("grace", Zeros(4 << 20)), "compression-ratio=10,compression-ratio-grace=64KiB", "compression-ratio=10,compression-ratio-grace=8MiB", temp.Combine("grace"), "compression-ratio");

            case "layer-entries":
            {
                var tar = OciLayoutWriter.Tar(w =>
                {
                    for (var i = 0; i < 20; i++)
                    {
                        w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"data/f{i}") { DataStream = new MemoryStream("x\n"u8.ToArray()) });
                    }
                }, TarEntryFormat.Ustar);
                return new Case(Image("entries", OciLayoutWriter.Gzip(tar)), "layer-entries=19", "layer-entries=20", temp.Combine("entries"), key);
            }

            case "path-bytes":
            {
                // 4097 bytes: one past the default (PATH_MAX), in components a file system accepts.
                var path = string.Join('/', Enumerable.Repeat(new string('d', 200), 20)) + "/" + new string('f', 77);
                Assert.Equal(4097, path.Length);
                var tar = OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, path, "x\n"));
                return new Case(Image("paths", OciLayoutWriter.Gzip(tar)), null, "path-bytes=8KiB", temp.Combine("paths"), key);
            }

            case "tar-header-bytes":
            {
                var tar = OciLayoutWriter.Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "big-header", new Dictionary<string, string> { ["comment"] = new string('x', 1 << 20) })));
                return new Case(Image("header", OciLayoutWriter.Gzip(tar)), null, "tar-header-bytes=2MiB", temp.Combine("header"), key);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(key), key, "no test builds input for this limit");
        }
    }

    private static Task<CliRunner.Result> ScanAsync(string target, string? limits) =>
        CliRunner.RunAsync(["scan", target, "--format", "json", "--no-progress", .. limits is null ? Array.Empty<string>() : ["--limits", limits]]);

    private string Image(string name, params LayerBlob[] layers) => OciLayoutWriter.WriteSingle(temp.Combine(name), layers);

    private static LayerBlob SmallLayer(string name) => OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, $"etc/{name}", name + "\n")), "add " + name);

    private static LayerBlob Zeros(int bytes, string createdBy = "zeros") =>
        OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "zeros-" + createdBy) { DataStream = new MemoryStream(new byte[bytes]) })), createdBy);

    private static List<string> Findings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString() + " " + f.GetProperty("message").GetString())];
    }
}
