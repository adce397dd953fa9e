namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Images.Dockerfile;
using Strata.Images.Tests.Support;

public sealed class DockerfileRuleTests
{
    private static readonly DockerfileScanner Scanner = TestScanners.Dockerfile;

    /// <summary>Every finding of a rule's examples sits on a line of the example, in the file scanned.</summary>
    [Fact]
    public void Example_findings_point_at_a_line_of_the_example()
    {
        foreach (var example in Scanner.Checks.SelectMany(c => c.Rule.Examples))
        {
            Assert.All(Scanner.Lint(DockerfileParser.Parse(example.Text, "Dockerfile"), "Dockerfile"), f =>
            {
                Assert.Equal("Dockerfile", f.Location.File);
                Assert.InRange(f.Location.Line ?? 0, 1, example.Text.Split('\n').Length);
            });
        }
    }

    [Fact]
    public void Rules_are_complete_numbered_and_name_their_equivalents()
    {
        // Numbered in order without gaps but between ranges handed out per family of rules (DKF-050.. hadolint's instruction rules).
        var rules = Scanner.Checks.Select(c => c.Rule).ToList();
        Assert.All(rules, r => Assert.Matches(@"^DKF-\d{3}$", r.Id));
        Assert.Equal(rules.Select(r => r.Id).Order(StringComparer.Ordinal), rules.Select(r => r.Id));
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct().Count());
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Title));
            Assert.NotEmpty(rule.References);
            Assert.All(rule.Equivalents, e => Assert.Matches(@"^(Hadolint DL\d{4}|Trivy DS-\d{4}|Dockle (CIS-DI|DKL-DI)-\d{4}|Checkov CKV2?_DOCKER_\d+)", e));
        }
    }

    [Fact]
    public void Secrets_never_appear_in_findings()
    {
        const string Token = "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";
        const string Password = "correct-horse-battery-staple";
        var text = $"""
            FROM debian:latest
            ARG GITHUB_TOKEN={Token}
            ENV DB_PASSWORD={Password} API_TOKEN=$GITHUB_TOKEN
            ENV LEGACY_SECRET {Password}
            RUN curl -H "Authorization: token {Token}" https://user:{Password}@example.com/i.sh | sh
            RUN DB_PASSWORD={Password} ./migrate.sh && cd /x
            ADD https://user:{Password}@example.com/a.tgz /opt/
            """;
        var findings = Scanner.Lint(DockerfileParser.Parse(text, "Dockerfile"), "Dockerfile");
        Assert.Contains(findings, f => f.RuleId == "DKF-002" && f.Location.Line == 3 && f.Evidence!.IsRedacted);
        Assert.Contains(findings, f => f.RuleId == "DKF-007" && f.Location.Line == 5);
        Assert.Contains(findings, f => f.RuleId == "DKF-003");
        foreach (var finding in findings)
        {
            var printed = string.Join('\n', finding.Message, finding.Evidence?.Text, finding.Location.Describe());
            Assert.DoesNotContain(Token, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Token[..12], printed, StringComparison.Ordinal);
        }

        Assert.Equal(4, findings.Count(f => f.RuleId == "DKF-002"));
    }

    [Fact]
    public void Findings_of_one_rule_have_distinct_fingerprints_that_survive_line_shifts()
    {
        const string Text = "FROM debian:12\nRUN cd /a && make\nRUN cd /b && make\n";
        var first = Scanner.Lint(DockerfileParser.Parse(Text, "Dockerfile"), "Dockerfile").Where(f => f.RuleId == "DKF-016").ToList();
        var shifted = Scanner.Lint(DockerfileParser.Parse("# comment\n\n" + Text, "Dockerfile"), "Dockerfile").Where(f => f.RuleId == "DKF-016").ToList();
        Assert.Equal(2, first.Count);
        Assert.NotEqual(first[0].Fingerprint, first[1].Fingerprint);
        Assert.Equal(first.Select(f => f.Fingerprint), shifted.Select(f => f.Fingerprint));
        Assert.Equal([4, 5], shifted.Select(f => f.Location.Line ?? 0));
    }

    [Fact]
    public void Cache_rules_ignore_stages_that_do_not_ship_but_security_rules_do_not()
    {
        var document = DockerfileParser.Parse("""
            FROM debian:12@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf AS build
            RUN apt-get update && apt-get install -y gcc && pip install x && curl -k https://x.example/a | sh
            FROM debian:12@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf
            COPY --from=build /out /app
            USER 10001
            HEALTHCHECK NONE
            """, "Dockerfile");
        var ids = Scanner.Lint(document, "Dockerfile").Select(f => f.RuleId).Order().ToArray();
        Assert.Equal(["DKF-007", "DKF-012", "DKF-028", "DKF-031", "DKF-032"], ids);
    }
}

public sealed class DockerfileDocsTests
{
    /// <summary>The generated map lists every DKF rule with its equivalents; the lint page points at both maps.</summary>
    [Fact]
    public void The_rule_maps_list_every_rule_and_the_lint_page_links_them()
    {
        var map = DockerfileRuleMap.Markdown(TestScanners.Dockerfile.Checks.Select(c => c.Rule));
        foreach (var rule in TestScanners.Dockerfile.Checks.Select(c => c.Rule))
        {
            var row = map.Split('\n').SingleOrDefault(l => l.StartsWith($"| [{rule.Id}]", StringComparison.Ordinal));
            Assert.True(row is not null, $"{rule.Id} is missing from the map");
            Assert.Contains($"| {rule.Title} |", row, StringComparison.Ordinal);
            Assert.All(rule.Equivalents, e => Assert.Contains(e[(e.IndexOf(' ', StringComparison.Ordinal) + 1)..], row, StringComparison.Ordinal));
        }

        var page = File.ReadAllText(Path.Combine(Strata.Testing.RepoPaths.Root, "docs", "dockerfile-lint.md"));
        Assert.Contains("(rules/dockerfile.md)", page, StringComparison.Ordinal);
        Assert.Contains("(rules/hadolint.md)", page, StringComparison.Ordinal);
    }

    /// <summary>Issue 9's goal: at least 80% of hadolint's DL rules have a DKF equivalent (by the rules' own Equivalents).</summary>
    [Fact]
    public void At_least_80_percent_of_hadolint_rules_are_covered()
    {
        var rules = TestScanners.Dockerfile.Checks.Select(c => c.Rule).ToList();
        var covered = HadolintRules.All.Count(h => HadolintRules.EquivalentsOf(h.Id, rules).Any());
        Assert.Equal(71, HadolintRules.All.Count);
        Assert.True(covered * 100 >= HadolintRules.All.Count * 80, $"{covered} of {HadolintRules.All.Count}");
        var named = rules.SelectMany(r => r.Equivalents).Where(e => e.StartsWith("Hadolint ", StringComparison.Ordinal)).Select(e => e["Hadolint ".Length..]).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(named.Except(HadolintRules.All.Select(h => h.Id)));
    }
}

public sealed class DockerfileSecretTests
{
    [Fact]
    public async Task Secrets_anywhere_in_a_dockerfile_are_reported_with_their_line_and_redacted()
    {
        using var dir = new Strata.Testing.TempDirectory();
        const string Token = "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";
        const string Slack = "xoxb-2934710365-3847102937465-Hq7TzWm4Lp9Xc2Vb8Nd5Rk6J";
        var path = dir.WriteFile("Containerfile", $"FROM debian:12@sha256:{new string('a', 64)}\nARG TOKEN={Token}\nRUN curl -fsS -H 'Authorization: Bearer {Slack}' https://example.com/x \\\n    -o /x\nUSER 10001\n");
        var findings = await TestScanners.Dockerfile.ScanAsync(new Core.Targets.ScanTarget(Core.Targets.TargetKind.Dockerfile, path, path), new Core.Scanning.ScanContext(), CancellationToken.None);

        var github = Assert.Single(findings, f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal) && f.Location.Line == 2);
        Assert.Equal(path, github.Location.File);
        Assert.Null(github.Location.Path);
        Assert.Contains(findings, f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal) && f.Location.Line == 3);
        var dkf = Assert.Single(findings, f => f.RuleId == "DKF-002");
        Assert.Equal(Core.Findings.Severity.Critical, dkf.Severity);
        foreach (var finding in findings)
        {
            var text = finding.ToString();
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Slack, text, StringComparison.Ordinal);
        }
    }
}
