namespace Strata.Core.Ignoring;

using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A finding an ignore entry suppressed.</summary>
public sealed record SuppressedFinding(Finding Finding, IgnoreEntry Entry);

/// <summary>What applying an ignore file did.</summary>
public sealed record IgnoreOutcome(IReadOnlyList<Finding> Kept, IReadOnlyList<SuppressedFinding> Suppressed, IReadOnlyList<string> Warnings);

public static partial class IgnoreMatcher
{
    // Vulnerability advisories are rule IDs no catalog lists in full.
    private static readonly string[] AdvisoryFamilies = ["CVE", "GHSA", "GO"];

    /// <summary>
    /// Splits findings into kept and suppressed. Entries past their expiry date suppress nothing
    /// and produce a warning, so an accepted risk cannot silently outlive its review date. With a
    /// <paramref name="catalog"/>, an entry naming neither a known rule nor a fingerprint is a warning too (a typo
    /// would otherwise suppress nothing, silently).
    /// </summary>
    public static IgnoreOutcome Apply(IReadOnlyList<Finding> findings, IReadOnlyList<IgnoreEntry> entries, DateOnly today, string sourceName, RuleCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(entries);
        var warnings = new List<string>();
        var active = new List<(IgnoreEntry Entry, Regex[] Globs)>();
        foreach (var entry in entries)
        {
            if (catalog is not null && !IsKnownId(entry.Id, catalog))
            {
                warnings.Add($"{sourceName}:{entry.Line}: ignore entry for {entry.ShownId}: no rule has this ID and it is not a finding fingerprint; it suppresses nothing.");
            }

            if (entry.Expires is DateOnly expires && expires < today)
            {
                warnings.Add($"{sourceName}:{entry.Line}: ignore entry for {entry.ShownId} expired on {expires:yyyy-MM-dd}; its findings are reported again.");
                continue;
            }

            active.Add((entry, [.. entry.Paths.Select(GlobToRegex)]));
        }

        var kept = new List<Finding>();
        var suppressed = new List<SuppressedFinding>();
        foreach (var finding in findings)
        {
            var match = active.FirstOrDefault(a => Matches(a.Entry, a.Globs, finding));
            if (match.Entry is null)
            {
                kept.Add(finding);
            }
            else
            {
                suppressed.Add(new SuppressedFinding(finding, match.Entry));
            }
        }

        return new IgnoreOutcome(kept, suppressed, warnings);
    }

    private static bool Matches(IgnoreEntry entry, Regex[] globs, Finding finding)
    {
        var idMatches = string.Equals(entry.Id, finding.RuleId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry.Id, finding.Fingerprint, StringComparison.OrdinalIgnoreCase);
        if (!idMatches)
        {
            return false;
        }

        if (globs.Length == 0)
        {
            return true;
        }

        string?[] candidates = [finding.Location.Path, finding.Location.File, finding.Target];
        return candidates.Any(c => c is not null && globs.Any(g => g.IsMatch(c.TrimStart('/'))));
    }

    private static bool IsKnownId(string id, RuleCatalog catalog) =>
        FingerprintPattern().IsMatch(id) || catalog.Find(id) is not null || AdvisoryFamilies.Contains(RuleFamilies.FamilyOf(id), StringComparer.OrdinalIgnoreCase);

    internal static bool IsFingerprint(string id) => FingerprintPattern().IsMatch(id);

    internal static bool IsRuleIdShaped(string id) => RuleIdShape().IsMatch(id);

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.IgnoreCase)]
    private static partial Regex FingerprintPattern();

    [GeneratedRegex("^[A-Za-z0-9]{2,8}-[A-Za-z0-9-]{1,40}$")]
    private static partial Regex RuleIdShape();

    internal static Regex GlobToRegex(string glob) => PathGlob.ToRegex(glob);
}
