namespace Strata.Engine.Tests;

using System.Text;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Testing;

/// <summary>
/// Every rule of the catalog documents what it flags and what it accepts. Each example runs through the real scanner
/// of the default registry, written as that scanner's input (see <see cref="ExampleTargets"/>), and the rule must fire
/// exactly when the example says it does.
/// </summary>
public sealed class RuleExampleTests
{
    /// <summary>Rules that report a fact about every subject, so no example can be "not flagged"; each says why.</summary>
    private static readonly IReadOnlyDictionary<string, string> AlwaysReported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["IMG-001"] = "information: names the operating system, or says there is none",
    };

    private static readonly ScannerRegistry Registry = ScannerRegistry.CreateDefault();

    /// <summary>Every rule but the secret rules over file text, which run together in one root filesystem.</summary>
    public static TheoryData<string> CheckRuleIds() => [.. Registry.Catalog.Rules.Where(r => !IsFileTextSecretRule(r)).Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(CheckRuleIds))]
    public async Task Each_example_is_flagged_exactly_when_it_says(string ruleId)
    {
        var rule = Registry.Catalog.Find(ruleId) ?? throw new InvalidOperationException(ruleId);
        var kind = KindOf(rule);
        var failures = new StringBuilder();
        for (var i = 0; i < rule.Examples.Count; i++)
        {
            var example = rule.Examples[i];
            using var directory = new TempDirectory("strata-example");
            var logger = new CollectingLogger();
            var (target, context) = ExampleTargets.Write(kind, example.Text, directory, logger);
            var fired = (await ScanAsync(ExampleTargets.Registry(kind, example.Text, Registry), target, context)).Where(f => f.RuleId == rule.Id).ToList();
            if (fired.Count > 0 != example.Flagged)
            {
                failures.Append(FormattableString.Invariant($"{rule.Id} example {i} ({example.Note ?? "no note"}) as {kind.ToName()}: expected {(example.Flagged ? "a finding" : "none")}, got {fired.Count}"))
                    .Append(":\n").Append(example.Text).Append('\n')
                    .AppendJoin('\n', fired.Select(f => "  finding: " + f.Message))
                    .Append('\n')
                    .AppendJoin('\n', logger.Messages.Where(m => m.Contains(rule.Id, StringComparison.Ordinal)).Select(m => "  log: " + m))
                    .Append("\n\n");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Secret_rule_examples_are_flagged_exactly_when_they_say_in_a_root_filesystem()
    {
        using var directory = new TempDirectory("strata-secret-examples");
        var expected = new List<(string Path, Rule Rule, RuleExample Example)>();
        foreach (var rule in Registry.Catalog.Rules.Where(IsFileTextSecretRule))
        {
            for (var i = 0; i < rule.Examples.Count; i++)
            {
                var path = FormattableString.Invariant($"app/{rule.Id}/{i}.txt");
                directory.WriteFile(path, rule.Examples[i].Text + "\n");
                expected.Add((path, rule, rule.Examples[i]));
            }
        }

        Assert.True(expected.Count > 200, $"only {expected.Count} secret examples");
        var findings = await ScanAsync(Registry, new ScanTarget(TargetKind.RootFs, "rootfs:" + directory.Path, directory.Path), new ScanContext());
        var fired = findings.Where(f => f.Location.Path is not null).ToLookup(f => (f.Location.Path!.TrimStart('/'), f.RuleId), f => f.Severity);

        // An example noted as informational (a documented sample, a public key) is reported, at INFO only.
        static bool Informational(RuleExample example) => example.Note?.StartsWith("reported at INFO", StringComparison.Ordinal) == true;
        var failures = expected
            .Where(e => e.Example.Flagged
                ? !fired[(e.Path, e.Rule.Id)].Any(s => s > Severity.Info)
                : Informational(e.Example) ? !fired[(e.Path, e.Rule.Id)].Any() || fired[(e.Path, e.Rule.Id)].Any(s => s > Severity.Info) : fired[(e.Path, e.Rule.Id)].Any())
            .Select(e => $"{e.Rule.Id}: expected {(e.Example.Flagged ? "a finding" : Informational(e.Example) ? "an INFO finding" : "none")} for: {e.Example.Text}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Every_rule_has_an_example_that_is_flagged_and_one_that_is_not()
    {
        var missing = Registry.Catalog.Rules
            .Where(r => !r.Examples.Any(e => e.Flagged) || (!r.Examples.Any(e => !e.Flagged) && !AlwaysReported.ContainsKey(r.Id)))
            .Select(r => r.Id)
            .ToList();
        Assert.True(missing.Count == 0, "Rules without an example that is flagged and one that is not: " + string.Join(", ", missing));
        Assert.All(AlwaysReported.Keys, id => Assert.Equal(Severity.Info, Registry.Catalog.Find(id)?.Severity));
    }

    /// <summary>A secret rule whose examples are text of a file (not strings of an image config, <c>$.config.Env[1]: …</c>).</summary>
    private static bool IsFileTextSecretRule(Rule rule) => rule.Family == "SEC" && !rule.Examples.Any(e => e.Text.StartsWith("$.", StringComparison.Ordinal));

    private static async Task<List<Finding>> ScanAsync(ScannerRegistry registry, ScanTarget target, ScanContext context)
    {
        var findings = new List<Finding>();
        foreach (var scanner in registry.For(target.Kind))
        {
            findings.AddRange(await scanner.ScanAsync(target, context, CancellationToken.None));
        }

        return findings;
    }

    /// <summary>The kind of target the rule's scanner reads; images for the image scanner (they have a config and layers).</summary>
    private static TargetKind KindOf(Rule rule)
    {
        var scanner = Assert.Single(Registry.Scanners, s => s.Rules.Any(r => r.Id == rule.Id));
        return scanner.Kinds.Contains(TargetKind.Image) ? TargetKind.Image : Assert.Single(scanner.Kinds);
    }
}
