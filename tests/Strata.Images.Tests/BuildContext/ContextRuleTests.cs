namespace Strata.Images.Tests.BuildContext;

using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Dockerfile;
using Strata.Images.Tests.Support;
using Strata.Testing;

/// <summary>The build-context rules through the Dockerfile scanner, with their contexts written to disk.</summary>
public sealed class ContextRuleTests : IDisposable
{
    private const string Token = "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";

    private static readonly DockerfileScanner Scanner = TestScanners.Dockerfile;

    private readonly TempDirectory temp = new("strata-context-rules");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_context_rules_are_numbered_from_80_in_order()
    {
        Assert.Equal(["DKF-080", "DKF-081", "DKF-082", "DKF-083"], Scanner.ContextChecks.Select(c => c.Rule.Id));
        Assert.All(Scanner.ContextChecks, c => Assert.Contains(c.Rule.Examples, e => e.Flagged));
        Assert.All(Scanner.ContextChecks, c => Assert.Contains(c.Rule.Examples, e => !e.Flagged));
    }

    [Fact]
    public async Task Example_findings_point_at_a_line_of_the_example()
    {
        var i = 0;
        foreach (var example in Scanner.ContextChecks.SelectMany(c => c.Rule.Examples))
        {
            var directory = temp.Combine((i++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var target = BuildContextExample.Write(example.Text, directory);
            foreach (var finding in (await ScanAsync(target)).Where(f => f.RuleId.StartsWith("DKF-08", StringComparison.Ordinal)))
            {
                Assert.Equal(target.Name, finding.Location.File);
                Assert.InRange(finding.Location.Line ?? 0, 1, example.Text.Split('\n').Length);
            }
        }
    }

    [Fact]
    public async Task Copied_secrets_are_never_printed_in_full()
    {
        var target = BuildContextExample.Write(
            $"FROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY . .\nRUN npm ci --token=$NPM_TOKEN && rm .npmrc\n# context: .npmrc = //registry.npmjs.org/:_authToken={Token}\n# context: package.json = {{}}",
            temp.Path);
        var findings = await ScanAsync(target);
        Assert.Contains(findings, f => f.RuleId == "DKF-080" && f.Evidence!.IsRedacted);
        Assert.Contains(findings, f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal) && f.Location.File!.EndsWith("/.npmrc", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == "DKF-082" && f.Severity == Severity.High);
        Assert.Equal(2, findings.Count(f => f.RuleId == "DKF-083"));
        foreach (var finding in findings)
        {
            var printed = string.Join('\n', finding.Message, finding.Evidence?.Text, finding.Remediation, finding.Location.Describe());
            Assert.DoesNotContain(Token[4..12], printed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_remediation_shows_the_instruction_rewritten_with_a_secret_mount()
    {
        var target = BuildContextExample.Write(
            "FROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY .npmrc package.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN curl -H \"Authorization: Bearer ${NPM_TOKEN}\" https://example.com/x\nCOPY id_rsa /root/.ssh/\nRUN git clone git@example.com:x/y.git\n",
            temp.Path);
        var findings = (await ScanAsync(target)).Where(f => f.RuleId == "DKF-083").OrderBy(f => f.Location.Line).ToList();
        Assert.Equal([5, 6, 8], findings.Select(f => f.Location.Line ?? 0));
        Assert.Contains("RUN --mount=type=secret,id=npmrc,target=/app/.npmrc --mount=type=cache,target=/root/.npm npm ci", findings[0].Remediation, StringComparison.Ordinal);
        Assert.Contains("docker build --secret id=npmrc,src=<path of .npmrc> .", findings[0].Remediation, StringComparison.Ordinal);
        Assert.Contains("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN curl", findings[1].Remediation, StringComparison.Ordinal);
        Assert.Contains("remove `ARG NPM_TOKEN`", findings[1].Remediation, StringComparison.Ordinal);
        Assert.Equal(Severity.Medium, findings[1].Severity);
        Assert.Contains("RUN --mount=type=ssh git clone", findings[2].Remediation, StringComparison.Ordinal);
        Assert.Equal(Severity.High, findings[2].Severity);
    }

    [Fact]
    public async Task A_secret_copied_into_a_stage_that_does_not_ship_is_a_lower_finding()
    {
        var target = BuildContextExample.Write(
            $"FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /src/dist /usr/share/nginx/html\n# context: .env = GITHUB_TOKEN={Token}\n# context: package.json = {{}}",
            temp.Path);
        var findings = await ScanAsync(target);
        var copy = Assert.Single(findings, f => f.RuleId == "DKF-080");
        Assert.Equal(Severity.Medium, copy.Severity);
        Assert.Contains("does not end up in the image", copy.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Low, Assert.Single(findings, f => f.RuleId == "DKF-081").Severity);
    }

    [Fact]
    public async Task Fingerprints_tell_files_of_one_copy_apart_and_survive_line_shifts()
    {
        var text = $"FROM alpine:3.20\nCOPY . /srv/\n# context: a/.env = GITHUB_TOKEN={Token}\n# context: b/.env = GITHUB_TOKEN={Token}";
        Directory.CreateDirectory(temp.Combine("one"));
        Directory.CreateDirectory(temp.Combine("two"));
        var first = (await ScanAsync(BuildContextExample.Write(text, temp.Combine("one")))).Where(f => f.RuleId == "DKF-080").ToList();
        var shifted = (await ScanAsync(BuildContextExample.Write("# syntax=docker/dockerfile:1\n\n" + text, temp.Combine("two")))).Where(f => f.RuleId == "DKF-080").ToList();
        Assert.Equal(2, first.Select(f => f.Fingerprint).Distinct().Count());
        Assert.Equal([4, 4], shifted.Select(f => f.Location.Line ?? 0));
        Assert.Equal(["/srv/a/.env", "/srv/b/.env"], shifted.Select(f => f.Location.Path).Order());
    }

    private static async Task<List<Finding>> ScanAsync(ScanTarget target) =>
        [.. await Scanner.ScanAsync(target, new ScanContext(), CancellationToken.None)];
}
