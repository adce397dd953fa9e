namespace Strata.Secrets.Tests;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Targets;

/// <summary>The run's one secret scanner: built lazily from the configuration, its rules known before it is built.</summary>
public sealed class SecretScannerProviderTests
{
    private const string Config = """
        rules:
          - id: SEC-ACME-TOKEN
            title: ACME internal token
            severity: MEDIUM
            keywords: [acme_]
            regex: '\b(?<secret>acme_[a-z0-9]{24})\b'
            explanation: An internal token.
            remediation: Rotate it.
        disable: [SEC-GITHUB-CLASSIC-PAT, SEC-IMAGE-SECRET-VARIABLE]
        allow:
          paths: ['deploy/fixtures/**']
          regexes: ['^xoxb-0000']
        """;

    [Fact]
    public void The_rules_of_the_run_are_known_and_checked_without_building_the_scanner()
    {
        var secrets = new SecretScannerProvider(SecretScannerConfig.Parse(Config, "strata-secrets.yaml"));
        secrets.Validate();

        Assert.Contains(secrets.Rules, r => r.Id == "SEC-ACME-TOKEN");
        Assert.DoesNotContain(secrets.Rules, r => r.Id == "SEC-GITHUB-CLASSIC-PAT");
        Assert.Contains(secrets.Rules, r => r.Id == "SEC-SLACK-BOT-TOKEN");
        Assert.True(secrets.Config.Disables("sec-image-secret-variable"));
        Assert.False(secrets.IsBuilt);

        var scanner = secrets.Scanner;
        Assert.True(secrets.IsBuilt);
        Assert.Same(scanner, secrets.Scanner);
        Assert.Equal(secrets.Rules.Select(r => r.Id), scanner.SecretRules.Select(r => r.Id));
    }

    [Fact]
    public void A_disable_naming_no_rule_fails_validation_before_the_scanner_is_built()
    {
        var secrets = new SecretScannerProvider(SecretScannerConfig.Parse("disable: [SEC-NO-SUCH-RULE]", "strata-secrets.yaml"));
        var error = Assert.Throws<StrataException>(secrets.Validate);
        Assert.Contains("SEC-NO-SUCH-RULE", error.Message, StringComparison.Ordinal);
        Assert.False(secrets.IsBuilt);
    }

    [Fact]
    public void A_file_read_whole_is_located_by_its_target_and_skipped_when_its_path_is_allowed()
    {
        var scanner = new SecretScannerProvider(SecretScannerConfig.Parse(Config, "strata-secrets.yaml")).Scanner;
        const string Text = "kind: Secret\nstringData:\n  token: acme_0123456789abcdefghijklmn\n  slack: xoxb-0000-1111-2222-abcdefghijklmnop\n";

        var finding = Assert.Single(scanner.FindInFile(Text, new ScanTarget(TargetKind.KubernetesManifest, "k8s:deploy/app.yaml", "./deploy/app.yaml"), StackLayer.Orchestrator));
        Assert.Equal("SEC-ACME-TOKEN", finding.RuleId);
        Assert.Equal("k8s:deploy/app.yaml", finding.Location.File);
        Assert.Null(finding.Location.Path);
        Assert.Equal(3, finding.Location.Line);

        Assert.Empty(scanner.FindInFile(Text, new ScanTarget(TargetKind.KubernetesManifest, "deploy/fixtures/app.yaml", "./deploy/fixtures/app.yaml"), StackLayer.Orchestrator));
        Assert.True(scanner.IsValueAllowed("xoxb-0000-1111"));
        Assert.False(scanner.IsValueAllowed("xoxb-1111"));
    }
}
