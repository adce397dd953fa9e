namespace Strata.Cli.Tests.Targets;

using System.Text.Json;
using Strata.Core.Targets;
using Strata.Engine.Targets;
using Strata.Testing;

/// <summary>A directory that is not a root filesystem is a project: each file of a kind Strata checks is scanned as that kind, the secret rules run over the rest.</summary>
public sealed class SourceTreeScanTests
{
    private const string Token = SecretImages.BuildArgGitHubToken;
    private const string Slack = SecretImages.DeletedSlackToken;

    [Fact]
    public async Task A_source_tree_is_scanned_file_by_file_and_named_as_the_user_named_it()
    {
        using var dir = new TempDirectory();
        var repo = PlantRepository(dir);
        var result = await CliRunner.RunAsync("scan", repo + "/", "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(SchemaValidator.ValidateStrataReport(result.StdOut));
        using var json = JsonDocument.Parse(result.StdOut);
        var targets = json.RootElement.GetProperty("targets").EnumerateArray()
            .Select(t => (t.GetProperty("name").GetString(), t.GetProperty("kind").GetString()))
            .ToList();
        Assert.Equal(
            [
                ($"{repo}/app/Dockerfile", "dockerfile"),
                ($"{repo}/deploy/pod.yaml", "k8s"),
                ($"{repo}/runtime/config.json", "runtime-config"),
                ($"{repo}/security/seccomp.json", "seccomp"),
                ($"{repo}/", "project"),
            ],
            targets);

        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString()!.StartsWith("DKF-", StringComparison.Ordinal) && f.GetProperty("target").GetString() == $"{repo}/app/Dockerfile");
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString()!.StartsWith("PSS-", StringComparison.Ordinal) && f.GetProperty("target").GetString() == $"{repo}/deploy/pod.yaml");

        // The rest: secrets in source and in a chart's values, named under the tree; none from .git or node_modules,
        // and no root filesystem checks ("no os-release file").
        var secrets = findings.Where(f => f.GetProperty("target").GetString() == $"{repo}/")
            .Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("location").GetProperty("file").GetString()))
            .Order()
            .ToList();
        Assert.Equal(
            [
                ("SEC-GITHUB-CLASSIC-PAT", $"{repo}/runtime/config.json"),
                ("SEC-GITHUB-CLASSIC-PAT", $"{repo}/src/settings.py"),
                ("SEC-SLACK-BOT-TOKEN", $"{repo}/chart/values.yaml"),
            ],
            secrets);
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString()!.StartsWith("IMG-", StringComparison.Ordinal));

        // The Dockerfile's secret is reported once, by the Dockerfile scanner.
        Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "SEC-GITHUB-CLASSIC-PAT" && f.GetProperty("target").GetString() == $"{repo}/app/Dockerfile");

        var warnings = json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith($"{repo}/chart: a Helm chart (1 template files not scanned as manifests); render it with `helm template {repo}/chart", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"{repo}/sub/.strataignore: a Strata ignore file inside a scanned directory is not applied", StringComparison.Ordinal));
        Assert.DoesNotContain(Token, result.StdOut + result.StdErr, StringComparison.Ordinal);

        // Applied on purpose, the same ignore file is no longer warned about and suppresses what it names.
        var applied = await CliRunner.RunAsync("scan", repo + "/", "--ignore-file", $"{repo}/sub/.strataignore", "--format", "json", "--no-progress");
        Assert.True(applied.ExitCode == 0, applied.StdErr);
        Assert.DoesNotContain(".strataignore: a Strata ignore file", applied.StdErr, StringComparison.Ordinal);
        using var appliedJson = JsonDocument.Parse(applied.StdOut);
        Assert.DoesNotContain(appliedJson.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "SEC-GITHUB-CLASSIC-PAT");
    }

    [Fact]
    public async Task Kind_and_directory_scans_every_file_of_that_kind_under_it()
    {
        using var dir = new TempDirectory();
        var repo = PlantRepository(dir);
        var result = await CliRunner.RunAsync("scan", "k8s:" + repo, "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var names = json.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal([$"{repo}/deploy/pod.yaml"], names);
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("a Helm chart", StringComparison.Ordinal));

        var dockerfiles = await CliRunner.RunAsync("scan", repo, "--kind", "dockerfile", "--format", "json", "--no-progress");
        using var dockerJson = JsonDocument.Parse(dockerfiles.StdOut);
        Assert.Equal([$"{repo}/app/Dockerfile"], dockerJson.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList());

        var none = await CliRunner.RunAsync("scan", "seccomp:" + Path.Combine(repo, "app"), "--no-progress");
        Assert.Equal(0, none.ExitCode);
        Assert.Contains($"no seccomp files under {Path.Combine(repo, "app")}", none.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_are_named_under_the_directory_as_written()
    {
        Assert.Equal("repo/app/Dockerfile", SourceTree.DisplayName(new ScanTarget(TargetKind.SourceTree, "repo/", "repo/"), "app/Dockerfile"));
        Assert.Equal("repo/app/Dockerfile", SourceTree.DisplayName(new ScanTarget(TargetKind.SourceTree, "project:repo", "repo"), "app/Dockerfile"));
        Assert.Equal("app/Dockerfile", SourceTree.DisplayName(new ScanTarget(TargetKind.SourceTree, ".", "."), "app/Dockerfile"));
        Assert.Equal("manifests/a.yaml", SourceTree.DisplayName(new ScanTarget(TargetKind.KubernetesManifest, "k8s:manifests/", "manifests/"), "a.yaml"));
    }

    [Fact]
    public async Task An_unclassifiable_file_among_the_targets_is_a_warning_and_the_others_are_reported()
    {
        using var dir = new TempDirectory();
        var containerfile = Path.Combine(RepoPaths.Examples, "Containerfile");
        var values = dir.WriteFile("values.yaml", $"slack: {Slack}\n");
        var notes = dir.WriteFile("notes.txt", "nothing to see\n");
        var result = await CliRunner.RunAsync("scan", containerfile, values, notes, "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains($"warning: {values}: a Helm values file; render the chart with `helm template CHART > rendered.yaml` and scan rendered.yaml; only the secret rules ran.", result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"warning: {notes}: cannot tell what kind of target this is; only the secret rules ran; name its kind with a prefix (dockerfile:, k8s:, seccomp:, runtime-config:, docker-daemon:, containerd:, crio:) or --kind.", result.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.StdOut);
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["dockerfile", "file", "file"], targets.Select(t => t.GetProperty("kind").GetString()));
        Assert.All(targets, t => Assert.False(t.TryGetProperty("error", out _)));
        Assert.True(targets[0].GetProperty("findings").GetInt32() > 0);
        Assert.Equal(1, targets[1].GetProperty("findings").GetInt32());
        Assert.DoesNotContain(Slack, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_bad_target_fails_alone_with_exit_3_and_its_error_printed_once()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("missing.yaml");
        var broken = dir.WriteFile("seccomp.json", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ { \"names\": 7, \"action\": \"SCMP_ACT_ALLOW\" } ]\n}");
        var containerfile = Path.Combine(RepoPaths.Examples, "Containerfile");
        var result = await CliRunner.RunAsync("scan", missing, "seccomp:" + broken, containerfile, "--format", "json", "--no-progress");
        Assert.Equal(3, result.ExitCode);
        Assert.Empty(SchemaValidator.ValidateStrataReport(result.StdOut));
        using var json = JsonDocument.Parse(result.StdOut);
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal([missing, "seccomp:" + broken, containerfile], targets.Select(t => t.GetProperty("name").GetString()));
        Assert.Contains("no such file", targets[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("$.syscalls[0].names", targets[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(targets[2].TryGetProperty("error", out _));
        Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("target").GetString() == containerfile);

        // Each error once on stderr, naming its target once (not "seccomp:FILE: FILE:3: …").
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.Contains(missing, StringComparison.Ordinal));
        Assert.Contains($"strata: {missing}: no such file or directory, and not an image reference.", lines);
        Assert.Single(lines, l => l.Contains(broken, StringComparison.Ordinal));
        Assert.StartsWith($"strata: {broken}:3: $.syscalls[0].names must be an array", lines.Single(l => l.Contains(broken, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static string PlantRepository(TempDirectory dir)
    {
        dir.WriteFile("repo/app/Dockerfile", $"FROM debian\nARG GITHUB_TOKEN={Token}\nRUN apt-get update\n");
        dir.WriteFile("repo/deploy/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n");
        dir.WriteFile("repo/security/seccomp.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        dir.WriteFile("repo/runtime/config.json", $"{{\"ociVersion\": \"1.0.2\", \"process\": {{\"env\": [\"TOKEN={Token}\"], \"args\": [\"sh\"], \"cwd\": \"/\"}}, \"root\": {{\"path\": \"rootfs\"}}}}");
        dir.WriteFile("repo/src/settings.py", $"GITHUB = \"{Token}\"\n");
        dir.WriteFile("repo/bin/run.sh", "#!/bin/sh\nexec app\n");
        dir.WriteFile("repo/README.md", "# A project\n");
        dir.WriteFile("repo/chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
        dir.WriteFile("repo/chart/values.yaml", $"slack: {Slack}\n");
        dir.WriteFile("repo/chart/templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n");
        dir.WriteFile("repo/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy/pod.yaml]\n");
        dir.WriteFile("repo/sub/.strataignore", "- id: SEC-GITHUB-CLASSIC-PAT\n  reason: a scanned tree must not hide this\n");
        dir.WriteFile("repo/.git/config", $"token = {Token}\n");
        dir.WriteFile("repo/node_modules/dep/.env", $"TOKEN={Token}\n");
        return dir.Combine("repo");
    }
}
