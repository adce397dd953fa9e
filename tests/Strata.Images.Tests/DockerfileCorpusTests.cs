namespace Strata.Images.Tests;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile;
using Strata.Testing;
using Strata.Images.Tests.Support;

public sealed class DockerfileCorpusTests
{
    private static readonly string Corpus = Path.Combine(RepoPaths.Root, "tests", "Strata.Images.Tests", "Dockerfiles");

    [Theory]
    [InlineData("go-service.Containerfile")]
    [InlineData("node-app.Containerfile")]
    [InlineData("alpine-tool.Containerfile")]
    public async Task Well_written_containerfiles_produce_no_findings(string name)
    {
        var path = Path.Combine(Corpus, "Pass", name);
        var findings = await TestScanners.Dockerfile.ScanAsync(new ScanTarget(TargetKind.Dockerfile, name, path), new ScanContext(), CancellationToken.None);
        Assert.True(findings.Count == 0, string.Join('\n', findings.Select(f => $"{f.RuleId} {f.Location.Describe()}: {f.Message}")));
    }

    [Fact]
    public void The_example_containerfile_lights_up_the_expected_rules()
    {
        var document = DockerfileParser.Load(Path.Combine(RepoPaths.Examples, "Containerfile"));
        var findings = TestScanners.Dockerfile.Lint(document, "examples/Containerfile");
        var got = findings.Select(f => $"{f.RuleId}@{f.Location.Line}").Order(StringComparer.Ordinal).ToArray();
        string[] expected =
        [
            "DKF-001@14", "DKF-002@4", "DKF-002@5", "DKF-003@10", "DKF-005@2", "DKF-007@8", "DKF-008@7", "DKF-009@7", "DKF-012@8", "DKF-014@2", "DKF-020@13", "DKF-031@7", "DKF-074@14",
        ];
        Assert.Equal(expected, got);
        Assert.All(findings.Where(f => f.RuleId == "DKF-002"), f => Assert.True(f.Evidence!.IsRedacted));
    }

}

public sealed class DockerfileBuildahTests : IClassFixture<BuildahTrickyImage>
{
    private readonly BuildahTrickyImage built;

    public DockerfileBuildahTests(BuildahTrickyImage built)
    {
        this.built = built;
    }

    /// <summary>
    /// buildah builds a Containerfile full of parser edge cases (escape directive, continuations with comments
    /// and blank lines, quoting, ARG scope, substitution forms, legacy ENV, stage names in any case, COPY
    /// --from); the image configuration it produces must match what the parser evaluated.
    /// </summary>
    [Fact]
    public void Buildah_accepts_the_tricky_file_and_agrees_with_the_parser()
    {
        var document = DockerfileParser.Load(built.Containerfile);
        var final = document.FinalStage!;
        using var inspect = JsonDocument.Parse(built.InspectJson);
        var config = inspect.RootElement.GetProperty("OCIv1").GetProperty("config");
        var env = config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        foreach (var key in new[] { "APP_HOME", "GREETING", "FALLBACK", "ALT", "LITERAL", "MIXED", "LEGACY", "FROM_BUILD" })
        {
            Assert.True(env.ContainsKey(key), key + " missing from buildah's image");
            Assert.Equal(env[key], final.Environment[key]);
        }

        Assert.Equal("hello   world", env["GREETING"]);
        Assert.Equal("10001$HOME", env["MIXED"]);
        var labels = config.GetProperty("Labels").EnumerateObject().Where(l => l.Name.StartsWith("org.example.", StringComparison.Ordinal)).ToDictionary(l => l.Name, l => l.Value.GetString());
        var parsedLabels = document.Stages.SelectMany(s => s.Instructions).Where(i => i.Keyword == "LABEL").SelectMany(i => i.Pairs).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(labels.OrderBy(l => l.Key), parsedLabels.OrderBy(l => l.Key));
        Assert.Equal("a \"quoted\" value", labels["org.example.quoted"]);
        Assert.Equal(config.GetProperty("WorkingDir").GetString(), final.LastInherited("WORKDIR")!.Words![0]);
        Assert.Equal(config.GetProperty("User").GetString(), final.LastInherited("USER")!.Words![0]);
        Assert.Equal(config.GetProperty("Cmd").EnumerateArray().Select(c => c.GetString()), final.Instructions.Last(i => i.Keyword == "CMD").JsonArguments!);
        Assert.Equal(["-", "tools", "build"], document.Stages.Select(s => s.BaseStage?.Name ?? "-").ToArray());
        Assert.Equal("tools", document.Stages[0].Name);
        Assert.Contains("MIXED", final.UnresolvedEnvironment);
    }
}

/// <summary>The tricky Containerfile built once with buildah (vfs, chroot isolation); its image config cached under .test-cache.</summary>
public sealed class BuildahTrickyImage : IAsyncLifetime
{
    public string Containerfile { get; } = Path.Combine(RepoPaths.Root, "tests", "Strata.Images.Tests", "Dockerfiles", "Buildah", "tricky.Containerfile");

    public string InspectJson { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var text = await File.ReadAllTextAsync(Containerfile);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text + "v1")))[..16];
        var cached = Path.Combine(RepoPaths.TestCache, $"dockerfile-buildah-{key}.json");
        if (File.Exists(cached))
        {
            InspectJson = await File.ReadAllTextAsync(cached);
            return;
        }

        using var work = new TempDirectory();
        var context = Path.Combine(work.Path, "context");
        Directory.CreateDirectory(context);
        File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
        string[] storage = ["--storage-driver", "vfs", "--root", Path.Combine(work.Path, "root"), "--runroot", Path.Combine(work.Path, "run")];
        const string Tag = "localhost/strata-dockerfile-tricky:latest";
        try
        {
            await ExternalTool.RunCheckedAsync("buildah", [.. storage, "bud", "--isolation", "chroot", "-f", Containerfile, "-t", Tag, context]);
            InspectJson = await ExternalTool.RunCheckedAsync("buildah", [.. storage, "inspect", "--type", "image", Tag]);
        }
        finally
        {
            await ExternalTool.RunAsync("buildah", [.. storage, "rmi", "--all", "--force"]);
        }

        await File.WriteAllTextAsync(cached, InspectJson);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
