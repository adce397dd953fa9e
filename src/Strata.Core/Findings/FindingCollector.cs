namespace Strata.Core.Findings;

using System.Globalization;

/// <summary>
/// Collects findings as they are produced, keeping at most <see cref="MaxPerRule"/> of each rule on each target; the
/// rest are only counted, and become one summary finding of that rule on that target ("and 999,900 more"). Memory
/// grows with the rules and targets, never with the number of findings (a Pod with a million containers).
/// A summary finding added here (from a scanner's own collector) is merged: its count adds to the same rule's.
/// </summary>
public sealed class FindingCollector
{
    /// <summary>The location of every summary finding: one per rule and target, so its fingerprint is stable.</summary>
    public const string FoldedSubject = "(more findings)";

    private readonly List<Finding> listed = [];
    private readonly Dictionary<(string Target, string RuleId), Tally> tallies = [];

    public FindingCollector(int maxPerRule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerRule);
        MaxPerRule = maxPerRule;
    }

    public int MaxPerRule { get; }

    /// <summary>Findings counted in summaries instead of listed.</summary>
    public long Folded => tallies.Values.Sum(t => t.Folded);

    public void Add(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var key = (finding.Target, finding.RuleId);
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new Tally();
        }

        if (finding.Folded == 0 && tally.Listed < MaxPerRule)
        {
            tally.Listed++;
            listed.Add(finding);
            return;
        }

        // A summary stands for its own count; any other finding past the cap for itself.
        tally.Folded += Math.Max(1, finding.Folded);
        tally.Sample ??= finding;
        if (finding.Severity > tally.Highest)
        {
            tally.Highest = finding.Severity;
        }
    }

    public void AddRange(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var finding in findings)
        {
            Add(finding);
        }
    }

    /// <summary>The listed findings in the order they came, then one summary per rule and target that had more.</summary>
    public IReadOnlyList<Finding> ToList()
    {
        var all = new List<Finding>(listed.Count + tallies.Count);
        all.AddRange(listed);
        foreach (var ((target, ruleId), tally) in tallies)
        {
            if (tally.Sample is { } sample)
            {
                all.Add(Summary(sample, target, ruleId, tally));
            }
        }

        return all;
    }

    private Finding Summary(Finding sample, string target, string ruleId, Tally tally)
    {
        var more = tally.Folded.ToString("N0", CultureInfo.InvariantCulture);
        return sample with
        {
            Severity = tally.Highest,
            Message = $"and {more} more {ruleId} findings in {target}, not listed one by one: at most {MaxPerRule} per rule and target are (--limits findings-per-rule=N lists more).",
            Location = new Location { File = sample.Location.File, Subject = FoldedSubject },
            Evidence = null,
            Folded = tally.Folded,
        };
    }

    private sealed class Tally
    {
        public int Listed { get; set; }

        public long Folded { get; set; }

        public Finding? Sample { get; set; }

        public Severity Highest { get; set; } = Severity.Info;
    }
}
