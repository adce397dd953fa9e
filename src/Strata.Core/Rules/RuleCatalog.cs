namespace Strata.Core.Rules;

using Strata.Core.Findings;

/// <summary>
/// Every rule Strata knows. The single source of truth for <c>strata rules</c>, the SARIF rule list
/// and the generated documentation under docs/rules/.
/// </summary>
public sealed class RuleCatalog
{
    private readonly Dictionary<string, Rule> byId;

    public RuleCatalog(IEnumerable<Rule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        byId = new Dictionary<string, Rule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            Validate(rule);
            if (!byId.TryAdd(rule.Id, rule))
            {
                throw new InvalidOperationException($"Rule {rule.Id} is registered twice.");
            }
        }

        Rules = [.. byId.Values.OrderBy(r => r.Layer).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>All rules, ordered by layer then ID.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    public Rule? Find(string id) => byId.GetValueOrDefault(id);

    public IEnumerable<Rule> ForLayer(StackLayer layer) => Rules.Where(r => r.Layer == layer);

    private static void Validate(Rule rule)
    {
        if (!RuleFamilies.Known.ContainsKey(rule.Family))
        {
            throw new InvalidOperationException($"Rule {rule.Id} has an unknown family prefix '{rule.Family}'.");
        }

        if (string.IsNullOrWhiteSpace(rule.Title) || string.IsNullOrWhiteSpace(rule.Explanation) || string.IsNullOrWhiteSpace(rule.Remediation))
        {
            throw new InvalidOperationException($"Rule {rule.Id} needs a title, an explanation and a remediation.");
        }
    }
}
