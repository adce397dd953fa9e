namespace Strata.Images.Tests;

using System.Diagnostics;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Secrets;
using Strata.Secrets;
using Strata.Testing;
using Xunit.Abstractions;

/// <summary>The planted secrets image (see SecretImages.PlantedAsync), built (cached) and scanned once with the secret analyzer.</summary>
public sealed class SecretImageFixture : IAsyncLifetime
{
    private IReadOnlyList<Finding>? findings;
    private BuiltImage? image;

    public IReadOnlyList<Finding> Findings => findings ?? throw new InvalidOperationException("fixture not initialised");

    public BuiltImage Image => image ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        image = await ContainerImages.BuildAsync(await SecretImages.PlantedAsync());
        findings = await ImageSecretsTests.ScanAsync(TargetKind.Image, image.OciReference, withSecrets: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Layer 0 COPY busybox; 1 COPY app/ (.env, config.yml, key.pem); 2 RUN rm /app/.env; 3 RUN overwrite config.yml;
/// 4 RUN with build arguments GITHUB_TOKEN and DB_PASSWORD. ENV and LABEL are in the config.
/// </summary>
public sealed class ImageSecretsTests(SecretImageFixture fixture, ITestOutputHelper output) : IClassFixture<SecretImageFixture>
{
    private IReadOnlyList<Finding> Findings => fixture.Findings;

    [Fact]
    public void A_file_deleted_in_a_later_layer_is_reported_in_the_layer_that_added_it()
    {
        var finding = Single("SEC-SLACK-BOT-TOKEN", f => f.Location.Path == "/app/.env");
        Assert.Equal(1, finding.Location.LayerIndex);
        Assert.Equal(LayerDigest(1), finding.Location.LayerDigest);
        Assert.Contains("COPY", finding.Location.CreatedBy, StringComparison.Ordinal);
        Assert.Equal(2, finding.Location.Line);
        Assert.Contains("deleted in layer 2 by `", finding.Message, StringComparison.Ordinal);
        Assert.Contains("rm", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith("still extractable from the image.", finding.Message, StringComparison.Ordinal);
        Assert.Equal($"xoxb…({SecretImages.DeletedSlackToken.Length} chars)", finding.Evidence?.Text);
    }

    [Fact]
    public void A_file_overwritten_later_is_reported_with_its_old_layer()
    {
        var finding = Single("SEC-STRIPE-SECRET-KEY", f => f.Location.Path == "/app/config.yml");
        Assert.Equal(1, finding.Location.LayerIndex);
        Assert.Contains("overwritten in layer 3 by `", finding.Message, StringComparison.Ordinal);
        Assert.Contains("still extractable from layer 1", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_live_private_key_is_reported_without_a_later_fate()
    {
        var finding = Single("SEC-PRIVATE-KEY-PKCS8", f => f.Location.Path == "/app/key.pem");
        Assert.Equal(1, finding.Location.LayerIndex);
        Assert.DoesNotContain("extractable", finding.Message, StringComparison.Ordinal);
        Assert.True(finding.Evidence?.IsRedacted);
    }

    [Fact]
    public void An_env_secret_is_reported_in_the_config_and_in_its_history_line()
    {
        var config = Single("SEC-AWS-ACCESS-KEY-ID", f => f.Location.JsonPath is { } p && p.StartsWith("$.config.Env[", StringComparison.Ordinal));
        Assert.Equal("image config", config.Location.File);
        Assert.Null(config.Location.LayerIndex);
        Assert.Contains("docker inspect", config.Message, StringComparison.Ordinal);

        // The ENV and LABEL steps are empty-layer history entries that repeat their values: each place is its own finding.
        var history = Findings.Where(f => f.RuleId == "SEC-AWS-ACCESS-KEY-ID" && f.Location.JsonPath is { } p && p.StartsWith("$.history[", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, history.Count);
        Assert.All(history, h => Assert.Null(h.Location.LayerIndex));
        Assert.All(history, h => Assert.Contains("docker history", h.Message, StringComparison.Ordinal));
        var all = Findings.Where(f => f.RuleId == "SEC-AWS-ACCESS-KEY-ID").Select(f => f.Fingerprint).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal(4, all.Distinct().Count());
    }

    [Fact]
    public void A_label_secret_is_reported_at_its_json_path()
    {
        var label = Single("SEC-AWS-ACCESS-KEY-ID", f => f.Location.JsonPath == "$.config.Labels['deploy.key']");
        Assert.Equal("AKIA…(20 chars)", label.Evidence?.Text);
    }

    [Fact]
    public void A_build_argument_is_reported_in_the_history_of_the_layer_its_run_made()
    {
        var token = Single("SEC-GITHUB-CLASSIC-PAT", f => f.Location.JsonPath is { } p && p.StartsWith("$.history[", StringComparison.Ordinal));
        Assert.Equal(4, token.Location.LayerIndex);
        Assert.Equal(LayerDigest(4), token.Location.LayerDigest);
        Assert.Contains("(build argument GITHUB_TOKEN)", token.Message, StringComparison.Ordinal);
        Assert.Contains("docker history", token.Message, StringComparison.Ordinal);

        // The layer's build step is shown masked, the command still readable.
        Assert.Contains("/app/built.txt", token.Location.CreatedBy, StringComparison.Ordinal);
        Assert.Contains("GITHUB_TOKEN=", token.Location.CreatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_named_build_argument_with_an_unknown_format_is_reported_by_name()
    {
        var password = Single("SEC-IMAGE-SECRET-VARIABLE", f => f.Message.Contains("DB_PASSWORD", StringComparison.Ordinal));
        Assert.Equal(4, password.Location.LayerIndex);
        Assert.Equal(Severity.Medium, password.Severity);
        Assert.Equal("qu…(9 chars)", password.Evidence?.Text);

        // GITHUB_TOKEN is secret-named too, but a rule already recognised its value: one report is enough.
        Assert.DoesNotContain(Findings, f => f.RuleId == "SEC-IMAGE-SECRET-VARIABLE" && f.Message.Contains("GITHUB_TOKEN", StringComparison.Ordinal));
    }

    [Fact]
    public void No_finding_holds_a_planted_secret_in_full()
    {
        var text = JsonSerializer.Serialize(Findings);
        foreach (var value in SecretImages.PlantedValues)
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }

        Assert.Contains("SEC-", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_finding_holds_a_line_of_the_private_key()
    {
        var text = JsonSerializer.Serialize(Findings);
        foreach (var line in await SecretImages.PrivateKeyBodyLinesAsync())
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_planted_tree_as_a_root_filesystem_reports_its_files_and_skips_documentation()
    {
        var root = await SecretImages.PlantedRootFsAsync();
        var findings = await ScanAsync(TargetKind.RootFs, root, withSecrets: true);
        var secrets = findings.Where(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal)).Select(f => $"{f.RuleId} {f.Location.Path}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["SEC-PRIVATE-KEY-PKCS8 /app/key.pem", "SEC-SLACK-BOT-TOKEN /app/.env", "SEC-STRIPE-SECRET-KEY /app/config.yml"], secrets);
        Assert.All(findings, f => Assert.Null(f.Location.LayerIndex));
    }

    [Fact]
    public async Task A_secret_config_given_to_the_scan_disables_rules()
    {
        using var dir = new TempDirectory();
        var config = dir.WriteFile("strata-secrets.yaml", "disable: [SEC-SLACK-BOT-TOKEN]\n");
        var findings = await ScanAsync(TargetKind.Image, fixture.Image.OciReference, withSecrets: true, config);
        Assert.DoesNotContain(findings, f => f.RuleId == "SEC-SLACK-BOT-TOKEN");
        Assert.Contains(findings, f => f.RuleId == "SEC-STRIPE-SECRET-KEY");
    }

    [Fact]
    public async Task The_debian_image_has_no_secret_in_any_layer_or_its_config()
    {
        var tar = await DebianRootfs.GetRootfsTarAsync();
        var image = await ContainerImages.BuildAsync(HardeningImages.Debian(tar));
        var off = Stopwatch.StartNew();
        var without = await ScanAsync(TargetKind.Image, image.OciReference, withSecrets: false);
        off.Stop();
        var on = Stopwatch.StartNew();
        var with = await ScanAsync(TargetKind.Image, image.OciReference, withSecrets: true);
        on.Stop();
        output.WriteLine($"Debian bookworm minbase image scan: {off.ElapsedMilliseconds} ms without secrets, {on.ElapsedMilliseconds} ms with secrets");
        Assert.Empty(with.Where(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal)).Select(f => $"{f.RuleId} {f.Location.Describe()}"));
        Assert.Equal(without.Count, with.Count);
    }

    [Theory]
    [InlineData("$.config.Env[0]", "DB_PASSWORD=hunter22", "DB_PASSWORD")]
    [InlineData("$.config.Env[0]", "POSTGRES_PASSWORD_FILE=/run/secrets/db", null)]
    [InlineData("$.config.Env[0]", "API_TOKEN=", null)]
    [InlineData("$.config.Env[0]", "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", null)]
    [InlineData("$.config.Env[0]", "PATH=/usr/bin", null)]
    [InlineData("$.history[3].created_by", "|2 MODE=fast NPM_TOKEN=abc123 /bin/sh -c npm ci", "NPM_TOKEN")]
    [InlineData("$.history[3].created_by", "/bin/sh -c NPM_TOKEN=abc123 npm ci", null)]
    [InlineData("$.config.Labels['x']", "DB_PASSWORD=hunter22", null)]
    public void Secret_named_assignments_are_found_in_env_and_build_arguments_only(string jsonPath, string text, string? expected)
    {
        var found = SecretNamedVariable.Find(jsonPath, text).ToList();
        Assert.Equal(expected, found.SingleOrDefault().Name);
        if (expected is not null)
        {
            Assert.Equal(text.IndexOf(expected + "=", StringComparison.Ordinal) + expected.Length + 1, found[0].ValueStart);
        }
    }

    [Fact]
    public void The_secret_named_variable_rule_examples_hold()
    {
        Assert.NotEmpty(SecretNamedVariable.Rule.Examples);
        foreach (var example in SecretNamedVariable.Rule.Examples)
        {
            var colon = example.Text.IndexOf(": ", StringComparison.Ordinal);
            var found = SecretNamedVariable.Find(example.Text[..colon], example.Text[(colon + 2)..]).Any();
            Assert.True(example.Flagged == found, example.Text);
        }
    }

    internal static async Task<IReadOnlyList<Finding>> ScanAsync(TargetKind kind, string locator, bool withSecrets, string? secretConfig = null)
    {
        var secrets = secretConfig is null ? BuiltInSecrets.Provider : new SecretScannerProvider(SecretScannerConfig.Load(secretConfig));
        var scanner = new ImageScanner(secrets, new ImageScannerOptions { Analyzers = withSecrets ? [new ImageSecretsAnalyzer(secrets)] : [] });
        return await scanner.ScanAsync(new ScanTarget(kind, locator, locator), new ScanContext(), CancellationToken.None);
    }

    private Finding Single(string ruleId, Func<Finding, bool> where) =>
        Findings.SingleOrDefault(f => f.RuleId == ruleId && where(f))
        ?? throw new Xunit.Sdk.XunitException($"no single {ruleId} finding as expected; found: {string.Join("; ", Findings.Where(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal)).Select(f => $"{f.RuleId} {f.Location.Describe()} {f.Message}"))}");

    private string LayerDigest(int index)
    {
        var oci = fixture.Image.OciLayout;
        using var index0 = JsonDocument.Parse(File.ReadAllText(Path.Combine(oci, "index.json")));
        var manifestDigest = index0.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString() ?? string.Empty;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(oci, "blobs", "sha256", manifestDigest["sha256:".Length..])));
        return manifest.RootElement.GetProperty("layers")[index].GetProperty("digest").GetString() ?? string.Empty;
    }
}
