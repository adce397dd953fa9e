namespace Strata.Cli.Tests;

using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine;
using Strata.Secrets;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// One <c>strata-secrets.yaml</c> applies to every target kind that reports <c>SEC-</c> rules: Dockerfiles, Kubernetes
/// manifests, root filesystems, image layers, and an image's config and history. The same four secrets are written in
/// each; the configuration disables one rule, adds one, allows one value and one path.
/// </summary>
public sealed class SecretConfigTests
{
    private const string GitHubToken = "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";
    private const string AcmeToken = "acme_0123456789abcdefghijklmn";
    private const string SlackToken = "xoxb-2934710365-3847102937465-Hq7TzWm4Lp9Xc2Vb8Nd5Rk6J";
    private const string StripeKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dcTq8Nw2Xv";

    private const string Config = """
        rules:
          - id: SEC-ACME-TOKEN
            title: ACME deploy token
            severity: HIGH
            keywords: [acme_]
            regex: '\b(?<secret>acme_[a-z0-9]{24})\b'
            explanation: An ACME deploy token grants push access to the ACME registry.
            remediation: Revoke it in the ACME console and mount it as a secret at run time.
            references: ['https://acme.example/docs/tokens']
            examples:
              match: ['token: acme_0123456789abcdefghijklmn']
              noMatch: ['acme_short']
        disable: [SEC-GITHUB-CLASSIC-PAT]
        allow:
          paths: ['**/allowed/**']
          regexes: ['^xoxb-2934710365-']
        """;

    private static readonly string[] Builtin = ["SEC-GITHUB-CLASSIC-PAT", "SEC-SLACK-BOT-TOKEN", "SEC-STRIPE-SECRET-KEY"];

    private static readonly string[] Configured = ["SEC-ACME-TOKEN", "SEC-STRIPE-SECRET-KEY"];

    /// <summary>What names a finding's place: a path in a layer or tree, a JSON path in the image config, or a file.</summary>
    private static readonly string[] LocationKeys = ["path", "jsonPath", "file"];

    /// <summary>Each kind: the targets to scan, and which findings belong to it (the image's are split three ways).</summary>
    public static TheoryData<string> Kinds => ["dockerfile", "kubernetes", "rootfs", "image layers", "image config", "image history"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_secret_configuration_applies_to_every_target_kind(string kind)
    {
        using var dir = Workspace();
        var hasPaths = kind is not ("image config" or "image history");

        var builtIn = await SecretRulesByPlaceAsync(dir, kind, withConfig: false);
        Assert.Equal(Builtin, builtIn.GetValueOrDefault("app"));
        Assert.Equal(hasPaths ? Builtin : null, builtIn.GetValueOrDefault("allowed"));

        // Disabled: the GitHub token; added: the ACME token; allowed by value: the Slack token; allowed by path: all of allowed/.
        var configured = await SecretRulesByPlaceAsync(dir, kind, withConfig: true);
        Assert.Equal(Configured, configured.GetValueOrDefault("app"));
        Assert.Null(configured.GetValueOrDefault("allowed"));
    }

    [Fact]
    public async Task Rules_added_by_the_configuration_are_in_the_sarif_rule_list_even_without_a_finding()
    {
        using var dir = Workspace();
        var profile = Path.Combine(RepoPaths.Root, "examples", "seccomp", "profile.json");

        var result = await CliRunner.RunAsync(["scan", profile, "--secret-config", "config.yaml", "--format", "sarif", "--no-progress"], dir.Path);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(SchemaValidator.ValidateSarif(result.StdOut));
        using var sarif = JsonDocument.Parse(result.StdOut);
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var acme = Assert.Single(rules, r => r.GetProperty("id").GetString() == "SEC-ACME-TOKEN");
        Assert.Equal("ACME deploy token", acme.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.StartsWith("An ACME deploy token grants push access", acme.GetProperty("fullDescription").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://acme.example/docs/tokens", acme.GetProperty("helpUri").GetString());
        Assert.DoesNotContain(rules, r => r.GetProperty("id").GetString() == "SEC-GITHUB-CLASSIC-PAT");
        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "SEC-SLACK-BOT-TOKEN");
    }

    [Fact]
    public async Task The_secret_scanner_is_built_once_and_only_when_a_target_needs_it()
    {
        var secrets = new SecretScannerProvider();
        var registry = ScannerRegistry.CreateDefault(secrets: secrets);
        var engine = new ScanEngine(registry);
        var examples = Path.Combine(RepoPaths.Root, "examples");
        ScanTarget[] plain =
        [
            new(TargetKind.SeccompProfile, "seccomp", Path.Combine(examples, "seccomp", "profile.json")),
            new(TargetKind.RuntimeConfig, "runtime", Path.Combine(examples, "runtime", "config.json")),
        ];

        await engine.ScanAsync(plain, new ScanOptions(), new ScanContext(), CancellationToken.None);
        Assert.Contains(registry.Catalog.Rules, r => r.Id == "SEC-GITHUB-CLASSIC-PAT");
        Assert.False(secrets.IsBuilt);

        ScanTarget[] secretive =
        [
            new(TargetKind.Dockerfile, "Containerfile", Path.Combine(examples, "Containerfile")),
            new(TargetKind.KubernetesManifest, "deployment", Path.Combine(examples, "k8s", "deployment.yaml")),
        ];
        await engine.ScanAsync(secretive, new ScanOptions(), new ScanContext(), CancellationToken.None);
        Assert.True(secrets.IsBuilt);
    }

    /// <summary>The SEC rule IDs found, by place: <c>app</c> or <c>allowed</c> (under an allowed path), for one kind.</summary>
    private static async Task<Dictionary<string, string[]>> SecretRulesByPlaceAsync(TempDirectory dir, string kind, bool withConfig)
    {
        string[] targets = kind switch
        {
            "dockerfile" => ["dockerfile:" + dir.Combine("app", "Dockerfile"), "dockerfile:" + dir.Combine("allowed", "Dockerfile")],
            "kubernetes" => ["k8s:" + dir.Combine("app", "deploy.yaml"), "k8s:" + dir.Combine("allowed", "deploy.yaml")],
            "rootfs" => ["rootfs:" + dir.Combine("rootfs")],
            _ => [$"oci:{dir.Combine("image")}:latest"],
        };
        string[] config = withConfig ? ["--secret-config", "config.yaml"] : [];
        var result = await CliRunner.RunAsync(["scan", .. targets, .. config, "--format", "json", "--no-progress"], dir.Path);
        Assert.True(result.ExitCode == 0, result.StdErr);

        // A disabled rule or an allowed value unmasks nothing; the ACME token is a secret only to a run that knows its rule.
        foreach (var secret in withConfig ? [GitHubToken, AcmeToken, SlackToken, StripeKey] : new[] { GitHubToken, SlackToken, StripeKey })
        {
            Assert.DoesNotContain(secret, result.StdOut, StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(result.StdOut);
        var found = new List<(string Place, string Rule)>();
        foreach (var finding in json.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("ruleId").GetString()!.StartsWith("SEC-", StringComparison.Ordinal)))
        {
            var rule = finding.GetProperty("ruleId").GetString() ?? string.Empty;
            var location = finding.GetProperty("location");
            var where = LocationKeys.Select(p => location.TryGetProperty(p, out var value) ? value.GetString() : null).First(p => p is not null)!;
            var belongs = kind switch
            {
                "image layers" => where.StartsWith('/'),
                "image config" => where.StartsWith("$.config", StringComparison.Ordinal),
                "image history" => where.StartsWith("$.history", StringComparison.Ordinal),
                _ => true,
            };
            if (belongs)
            {
                found.Add((where.Contains("allowed/", StringComparison.Ordinal) ? "allowed" : "app", rule));
            }
        }

        return found.GroupBy(f => f.Place).ToDictionary(g => g.Key, g => g.Select(f => f.Rule).Distinct().Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The four secrets in every kind of target, under app/ and under allowed/ where a target has paths.</summary>
    private static TempDirectory Workspace()
    {
        var dir = new TempDirectory();
        dir.WriteFile("config.yaml", Config);
        var env = $"alpha={GitHubToken}\nbeta={AcmeToken}\ngamma={SlackToken}\ndelta={StripeKey}\n";
        foreach (var place in new[] { "app", "allowed" })
        {
            dir.WriteFile($"{place}/Dockerfile", $"FROM alpine:3.20\nENV ALPHA={GitHubToken} BETA={AcmeToken}\nLABEL gamma={SlackToken}\nRUN ./deploy --key {StripeKey}\n");
            dir.WriteFile($"{place}/deploy.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  alpha: {GitHubToken}\n  beta: {AcmeToken}\n  gamma: {SlackToken}\n  delta: {StripeKey}\n");
            dir.WriteFile($"rootfs/{place}/.env", env);
        }

        var layer = OciLayoutWriter.Gzip(
            OciLayoutWriter.Tar(w =>
            {
                OciLayoutWriter.AddFile(w, "app/.env", env);
                OciLayoutWriter.AddFile(w, "allowed/.env", env);
            }),
            createdBy: $"/bin/sh -c ./fetch {GitHubToken} {AcmeToken} {SlackToken} {StripeKey}");
        var image = OciLayoutWriter.Config([layer]);
        image["config"]!["Env"] = new JsonArray("PATH=/bin", $"ALPHA={GitHubToken}", $"BETA={AcmeToken}", $"GAMMA={SlackToken}", $"DELTA={StripeKey}");
        var writer = new OciLayoutWriter(dir.Combine("image"));
        writer.WriteIndex((writer.WriteImage([layer], image), "latest"));
        return dir;
    }
}
