namespace Strata.Cli.Tests;

using System.Text.RegularExpressions;
using Strata.Secrets;
using Strata.Testing;

/// <summary>
/// No error or warning echoes a secret (issue 8, defect 7): every path that quotes input (a Dockerfile line, a YAML or
/// JSON document, the secret scanner's configuration, the ignore file, option values, targets, commands) gets a secret
/// of the rule catalog's own examples, and neither stdout nor stderr holds it in full.
/// </summary>
public sealed class SecretEchoTests : IDisposable
{
    /// <summary>Rules whose example secrets have different shapes: prefixed, base64, dashed, dotted, with symbols.</summary>
    private static readonly string[] RuleIds =
    [
        "SEC-GITHUB-CLASSIC-PAT", "SEC-AWS-SECRET-ACCESS-KEY", "SEC-SLACK-BOT-TOKEN", "SEC-STRIPE-SECRET-KEY", "SEC-SENDGRID-API-KEY", "SEC-GCP-API-KEY", "SEC-GENERIC-PASSWORD",
    ];

    private readonly TempDirectory temp = new("strata-secret-echo");

    public static TheoryData<string> Secrets()
    {
        var data = new TheoryData<string>();
        foreach (var id in RuleIds)
        {
            var rule = SecretScanner.BuiltInRules.Single(r => r.Id == id);
            var match = new Regex(rule.Pattern).Match(rule.MatchExamples[0]);
            Assert.True(match.Success, $"{id}: its first example does not match");
            data.Add(match.Groups["secret"].Value);
        }

        return data;
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [MemberData(nameof(Secrets))]
    public async Task No_error_or_warning_echoes_a_secret_given_as_input(string secret)
    {
        List<string[]> cases =
        [
            // Dockerfiles: a line that is the token, a directive, a stage name, a value-less ENV, an unterminated quote.
            ["scan", "dockerfile:" + Write("Dockerfile.line", $"FROM alpine\n{secret}\n")],
            ["scan", "dockerfile:" + Write("Dockerfile.escape", $"# escape={secret}\nFROM alpine\n")],
            ["scan", "dockerfile:" + Write("Dockerfile.stage", $"FROM alpine AS 9{secret}\n")],
            ["scan", "dockerfile:" + Write("Dockerfile.env", $"FROM alpine\nENV {secret}\n")],
            ["scan", "dockerfile:" + Write("Dockerfile.quote", $"FROM alpine\nWORKDIR \"{secret}\n")],

            // Documents: a YAML alias, malformed JSON.
            ["scan", "k8s:" + Write("pod.yaml", $"apiVersion: v1\nkind: Pod\nmetadata: *{secret}\n")],
            ["scan", "seccomp:" + Write("profile.json", $"{{\"defaultAction\": {secret}}}")],

            // The secret scanner's configuration: an allow regex that is the secret (and invalid), a rule, a key.
            ["scan", "--secret-config", Write("allow.yaml", $"allow:\n  regexes:\n    - '{secret}('\n"), "k8s:" + Write("ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n")],
            ["scan", "--secret-config", Write("disable.yaml", $"disable: ['{secret}']\n"), "host"],
            ["scan", "--secret-config", Write("key.yaml", $"'{secret}': 1\n"), "host"],

            // The ignore file: an unknown ID (a warning), an entry without a reason, an unknown key.
            ["scan", "--ignore-file", Write("ignore-id.yaml", $"- id: '{secret}'\n  reason: pasted\n"), "--no-progress", "host"],
            ["scan", "--ignore-file", Write("ignore-reason.yaml", $"- id: '{secret}'\n"), "host"],
            ["scan", "--ignore-file", Write("ignore-key.yaml", $"- id: DKF-001\n  reason: r\n  '{secret}': 1\n"), "host"],

            // Option values, mistyped options, targets, commands, rule IDs, output paths.
            ["scan", "--fail-on", secret, "host"],
            ["scan", "--kind", secret, "host"],
            ["scan", "--severity", secret, "host"],
            ["scan", "--format", secret, "host"],
            ["scan", "--platform", secret, "host"],
            ["scan", "--" + secret],
            ["scan", secret],
            ["scan", secret + ":x"],
            ["scan", "oci:" + temp.Combine(secret)],
            ["scan", "--output", Path.Combine(temp.Path, "missing", secret, "report.json"), "host"],
            [secret],
            ["rules", "explain", secret],
            ["rules", "list", "--layer", secret],
            ["image", "inspect", secret],
        ];

        foreach (var arguments in cases)
        {
            var result = await CliRunner.RunAsync(arguments, temp.Path);
            var what = string.Join(' ', arguments.Select(a => a.Replace(secret, "<secret>", StringComparison.Ordinal)));
            Assert.True(result.StdErr.Length > 0, $"{what}: no error or warning, so the path under test was not taken");
            Assert.False(result.StdErr.Contains(secret, StringComparison.Ordinal), $"{what}: stderr holds the secret: {result.StdErr.Replace(secret, "<SECRET>", StringComparison.Ordinal)}");
            Assert.False(result.StdOut.Contains(secret, StringComparison.Ordinal), $"{what}: stdout holds the secret");
        }
    }

    private string Write(string name, string content) => temp.WriteFile(name, content);
}
