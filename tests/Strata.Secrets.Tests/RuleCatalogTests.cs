namespace Strata.Secrets.Tests;

using System.Text;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Testing;

public sealed class RuleCatalogTests
{
    [Fact]
    public void Every_example_of_every_rule_behaves_as_documented()
    {
        var failures = new StringBuilder();
        var scanner = BuiltInSecrets.Scanner;
        foreach (var rule in SecretScanner.BuiltInRules)
        {
            if (rule.MatchExamples.Count == 0 || rule.NoMatchExamples.Count == 0)
            {
                failures.Append(rule.Id).Append(": needs at least one match and one noMatch example\n");
            }

            foreach (var example in rule.MatchExamples)
            {
                if (!scanner.ScanText(example, "/app/example.txt").Any(m => m.Rule.Id == rule.Id && m.Severity == rule.Severity && m.Note is null))
                {
                    failures.Append(rule.Id).Append(": not flagged: ").Append(Shorten(example)).Append('\n');
                }
            }

            foreach (var example in rule.InformationalExamples)
            {
                var found = scanner.ScanText(example, "/app/example.txt").Where(m => m.Rule.Id == rule.Id).ToList();
                if (found.Count == 0 || found.Any(m => m.Severity != Severity.Info || string.IsNullOrEmpty(m.Note)))
                {
                    failures.Append(rule.Id).Append(": not reported at INFO with a reason: ").Append(Shorten(example)).Append('\n');
                }
            }

            foreach (var example in rule.NoMatchExamples)
            {
                if (scanner.ScanText(example, "/app/example.txt").Any(m => m.Rule.Id == rule.Id))
                {
                    failures.Append(rule.Id).Append(": flagged: ").Append(Shorten(example)).Append('\n');
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void The_catalog_has_at_least_120_valid_rules_with_unique_ids()
    {
        var rules = SecretScanner.BuiltInRules;
        Assert.True(rules.Count >= 120, $"only {rules.Count} rules");
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // The Core catalog validates family, title, explanation and remediation.
        var catalog = new RuleCatalog(BuiltInSecrets.Scanner.Rules);
        Assert.All(catalog.Rules, r => Assert.Equal("SEC", r.Family));
        Assert.All(catalog.Rules, r => Assert.Contains(r.Examples, e => e.Flagged));
        Assert.All(catalog.Rules, r => Assert.Contains(r.Examples, e => !e.Flagged));
        Assert.All(catalog.Rules, r => Assert.NotEmpty(r.References));
    }

    [Fact]
    public void Every_rule_regex_compiles_in_its_engine()
    {
        foreach (var rule in SecretScanner.BuiltInRules)
        {
            Assert.True(rule.Regex.GetGroupNumbers().Length > 0, rule.Id);
        }
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
