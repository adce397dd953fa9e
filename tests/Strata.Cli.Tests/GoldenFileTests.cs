namespace Strata.Cli.Tests;

using System.Formats.Tar;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// The reports of fixed inputs, kept in tests/golden and compared on every run, written by the real executable from
/// the repository root as a user runs it. Timestamps, versions and machine-specific paths are normalised. With
/// STRATA_REGENERATE_GOLDEN=1 (tests/golden/regenerate.sh) the files are rewritten instead of compared.
/// </summary>
public sealed partial class GoldenFileTests
{
    private static readonly string[] Examples = ["examples/Containerfile", "examples/k8s/deployment.yaml", "examples/runtime/config.json", "examples/seccomp/profile.json"];

    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");

    private static readonly string Golden = Path.Combine(RepoPaths.Root, "tests", "golden");

    private static bool Regenerate => Environment.GetEnvironmentVariable("STRATA_REGENERATE_GOLDEN") == "1";

    [Theory]
    [InlineData("scan-examples.json", "json")]
    [InlineData("scan-examples.sarif", "sarif")]
    [InlineData("scan-examples.table.txt", "table")]
    public async Task Reports_of_the_examples(string golden, string format)
    {
        var output = await RunAsync(["scan", .. Examples, "--format", format]);
        await CompareAsync(golden, output);
        if (format == "table")
        {
            Assert.All(output.Split('\n'), l => Assert.True(l.Length <= 80, $"{l.Length} columns with COLUMNS=80: {l}"));
        }
    }

    [Fact]
    public Task Every_finding_with_a_line_has_a_region() => AssertLinesAreRegionsAsync(["scan", .. Examples, "tests/golden/inputs/secdir"]);

    [Fact]
    public async Task Sarif_locations_of_a_directory_target()
    {
        var output = await RunAsync(["scan", "tests/golden/inputs/secdir", "--format", "sarif"]);
        await CompareAsync("scan-directory.sarif", output);
        var results = JsonNode.Parse(output)!["runs"]![0]!["results"]!.AsArray();
        Assert.Contains(results, r => (string?)r!["locations"]![0]!["physicalLocation"]?["artifactLocation"]!["uri"] == "tests/golden/inputs/secdir/app/Dockerfile");
    }

    [Fact]
    public async Task Image_commands_on_a_small_deterministic_image()
    {
        // Run beside the layout and name it relatively, so the target name (part of every fingerprint) is the same on every run.
        using var temp = new TempDirectory("strata-golden");
        WriteImage(temp.Combine("layout"));
        const string image = "oci:layout:latest";
        await CompareAsync("image-inspect.json", await RunAsync(["image", "inspect", image, "--format", "json"], temp.Path), temp.Path);
        await CompareAsync("image-files.json", await RunAsync(["image", "files", image, "--deleted", "--format", "json"], temp.Path), temp.Path);
        var sarif = await RunAsync(["scan", image, "--format", "sarif"], temp.Path);
        await CompareAsync("scan-image.sarif", sarif, temp.Path);
        Assert.DoesNotContain("image%20config", sarif, StringComparison.Ordinal);
        await AssertLinesAreRegionsAsync(["scan", image], temp.Path);
    }

    /// <summary>Runs strata from the repository root, as a user would; fails on an unexpected exit code.</summary>
    private static async Task<string> RunAsync(string[] args, string? workingDirectory = null)
    {
        var result = await ExternalTool.RunAsync("dotnet", [Strata, .. args], workingDirectory ?? RepoPaths.Root, environment: new Dictionary<string, string> { ["COLUMNS"] = "80" });
        Assert.True(result.ExitCode == 0, $"strata {string.Join(' ', args)}: exit {result.ExitCode}\n{result.StdErr}");
        return result.StdOut;
    }

    /// <summary>What differs between runs and machines: the temporary directory, the checkout, the time, the version.</summary>
    private static string Normalise(string text, string? temporary)
    {
        if (temporary is not null)
        {
            text = text.Replace(temporary, "<tmp>", StringComparison.Ordinal);
        }

        text = text.Replace(RepoPaths.Root, "<repo>", StringComparison.Ordinal);
        text = CreatedAt().Replace(text, "$1<createdAt>\"");
        return Version().Replace(text, "$1<version>\"");
    }

    /// <summary>Checks the document against its schema, then compares it, normalised, with the golden file.</summary>
    private static async Task CompareAsync(string name, string output, string? temporary = null)
    {
        if (name.EndsWith(".json", StringComparison.Ordinal))
        {
            Assert.Empty(SchemaValidator.ValidateStrataReport(output));
        }
        else if (name.EndsWith(".sarif", StringComparison.Ordinal))
        {
            Assert.Empty(SchemaValidator.ValidateSarif(output));
        }

        var actual = Normalise(name.EndsWith(".sarif", StringComparison.Ordinal) ? WithoutUnusedRules(output) : output, temporary);

        var path = Path.Combine(Golden, name);
        if (Regenerate)
        {
            await File.WriteAllTextAsync(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run tests/golden/regenerate.sh");
        var expected = await File.ReadAllTextAsync(path);
        if (expected != actual)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var line = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(i => expectedLines[i] != actualLines[i], Math.Min(expectedLines.Length, actualLines.Length));
            Assert.Fail($"tests/golden/{name} differs at line {line + 1}:\n  expected: {expectedLines.ElementAtOrDefault(line)}\n  actual:   {actualLines.ElementAtOrDefault(line)}\n"
                + "If the change is intended, run tests/golden/regenerate.sh and review the diff.");
        }
    }

    /// <summary>
    /// The SARIF with the rules no result refers to reduced to their IDs: the catalog's help text is checked by
    /// docs/rules, and would otherwise make every golden file change with every rule's wording.
    /// </summary>
    private static string WithoutUnusedRules(string sarif)
    {
        var document = JsonNode.Parse(sarif)!;
        var run = document["runs"]![0]!;
        var used = run["results"]!.AsArray().Select(r => (int)r!["ruleIndex"]!).ToHashSet();
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        for (var i = 0; i < rules.Count; i++)
        {
            if (!used.Contains(i))
            {
                rules[i] = new JsonObject { ["id"] = (string?)rules[i]!["id"] };
            }
        }

        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Every finding of the JSON report that names a line is a SARIF result with that line as its region.</summary>
    private static async Task AssertLinesAreRegionsAsync(string[] scan, string? workingDirectory = null)
    {
        var json = JsonNode.Parse(await RunAsync([.. scan, "--format", "json"], workingDirectory))!;
        var sarif = JsonNode.Parse(await RunAsync([.. scan, "--format", "sarif"], workingDirectory))!;
        var results = sarif["runs"]![0]!["results"]!.AsArray().ToLookup(r => (string?)r!["partialFingerprints"]!["strataFingerprint/v1"]);
        var lines = 0;
        foreach (var finding in json["findings"]!.AsArray())
        {
            var result = Assert.Single(results[(string?)finding!["fingerprint"]]);
            Assert.NotEmpty(result!["locations"]!.AsArray());
            if (finding["location"]!["line"] is { } line)
            {
                lines++;
                Assert.Equal((int)line, (int)result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);
            }
        }

        Assert.True(lines > 0);
    }

    /// <summary>
    /// Two image layers, uncompressed ustar (no PAX times, no compressor: the digests are the same on every run and
    /// machine): a setuid binary, a file with a secret on line 3 that the second image layer deletes, and a config
    /// with a secret in its environment.
    /// </summary>
    private static void WriteImage(string root)
    {
        var baseLayer = OciLayoutWriter.Plain(
            Tar(
                ("etc/", null, 0x1ED),
                ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", 0x1A4),
                ("etc/app.conf", "# settings\nlisten = 8080\ntoken = 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\n", 0x1A4),
                ("usr/", null, 0x1ED),
                ("usr/bin/", null, 0x1ED),
                ("usr/bin/sudo", "not really sudo\n", 0x9ED)),
            "COPY rootfs /");
        var cleanup = OciLayoutWriter.Plain(Tar(("etc/", null, 0x1ED), ("etc/.wh.app.conf", string.Empty, 0)), "RUN rm /etc/app.conf");
        var writer = new OciLayoutWriter(root);
        var config = OciLayoutWriter.Config([baseLayer, cleanup]);
        config["config"]!["Env"] = new JsonArray("PATH=/usr/bin:/bin", "API_TOKEN=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");
        writer.WriteIndex((writer.WriteImage([baseLayer, cleanup], config), "latest"));
    }

    /// <summary>A ustar archive: a null content is a directory.</summary>
    private static byte[] Tar(params (string Name, string? Content, int Mode)[] entries) => OciLayoutWriter.Tar(
        writer =>
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = new UstarTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)mode,
                    ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                };
                if (content is not null)
                {
                    entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
                }

                writer.WriteEntry(entry);
            }
        },
        TarEntryFormat.Ustar);

    [GeneratedRegex("(\"createdAt\": \")[^\"]*\"")]
    private static partial Regex CreatedAt();

    [GeneratedRegex("(\"(?:toolVersion|semanticVersion)\": \")[^\"]*\"")]
    private static partial Regex Version();
}
