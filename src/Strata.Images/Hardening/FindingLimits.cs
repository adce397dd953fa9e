namespace Strata.Images.Hardening;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Keeps per-path rules readable on images with thousands of matching paths (a chmod -R 777, a vendored tree).</summary>
public static class FindingLimits
{
    public const int MaxPerRule = 100;

    /// <summary>The first <see cref="MaxPerRule"/> findings, then one that counts the rest.</summary>
    public static IEnumerable<Finding> Cap(IEnumerable<Finding> findings, Rule rule, string target, string what)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(rule);
        var count = 0;
        Severity highest = Severity.Info;
        foreach (var finding in findings)
        {
            if (++count <= MaxPerRule)
            {
                yield return finding;
            }
            else if (finding.Severity > highest)
            {
                highest = finding.Severity;
            }
        }

        if (count > MaxPerRule)
        {
            var more = (count - MaxPerRule).ToString(CultureInfo.InvariantCulture);
            yield return Finding.For(rule, target, new Location { Subject = "more " + what }, $"{more} more {what} are not listed one by one (the first {MaxPerRule} are).", severity: highest);
        }
    }
}
