namespace Strata.Core.Rules;

using System.Text;
using Strata.Core.Findings;

/// <summary>Markdown for a rule: its docs/rules/ page and its SARIF help.</summary>
public static class RuleMarkdown
{
    public static string Help(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        text.Append(rule.Explanation).Append("\n\n**Remediation:** ").Append(rule.Remediation).Append('\n');
        if (rule.References.Count > 0)
        {
            text.Append("\n**References:**\n");
            foreach (var reference in rule.References)
            {
                text.Append("- ").Append(reference).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The full page for docs/rules/ID.md.</summary>
    public static string Page(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        text.Append("# ").Append(rule.Id).Append(": ").Append(rule.Title).Append("\n\n");
        text.Append("| | |\n|---|---|\n");
        text.Append("| Severity | ").Append(rule.Severity.ToName()).Append(" |\n");
        text.Append("| Layer | ").Append(rule.Layer.ToName()).Append(" |\n");
        text.Append("| Family | ").Append(rule.Family).Append(" (").Append(RuleFamilies.Known.GetValueOrDefault(rule.Family, rule.Family)).Append(") |\n");
        if (rule.Equivalents.Count > 0)
        {
            text.Append("| Equivalent | ").Append(string.Join(", ", rule.Equivalents)).Append(" |\n");
        }

        text.Append("\n## Why\n\n").Append(rule.Explanation).Append("\n\n## Fix\n\n").Append(rule.Remediation).Append('\n');
        if (rule.Examples.Count > 0)
        {
            text.Append("\n## Examples\n");
            foreach (var example in rule.Examples)
            {
                text.Append('\n').Append(example.Flagged ? "Flagged" : "Not flagged");
                if (example.Note is not null)
                {
                    text.Append(" (").Append(example.Note).Append(')');
                }

                text.Append(":\n\n```\n").Append(example.Text.TrimEnd()).Append("\n```\n");
            }
        }

        if (rule.References.Count > 0)
        {
            text.Append("\n## References\n\n");
            foreach (var reference in rule.References)
            {
                text.Append("- ").Append(reference).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>docs/rules/README.md: the index of every rule by layer.</summary>
    public static string Index(RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var text = new StringBuilder("# Rules\n\nGenerated from the rule catalog by `strata rules docs docs/rules`; do not edit by hand.\n");
        foreach (var group in catalog.Rules.GroupBy(r => r.Layer))
        {
            text.Append("\n## Layer: ").Append(group.Key.ToName()).Append("\n\n| ID | Severity | Title |\n|---|---|---|\n");
            foreach (var rule in group)
            {
                text.Append("| [").Append(rule.Id).Append("](").Append(rule.Id).Append(".md) | ").Append(rule.Severity.ToName()).Append(" | ").Append(rule.Title.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }
        }

        return text.ToString();
    }
}
