namespace Strata.Core.Findings;

using System.Security.Cryptography;
using System.Text;
using Strata.Core.Rules;

/// <summary>One problem found in one target.</summary>
public sealed record Finding
{
    /// <summary>The catalog rule ID, or an advisory ID (CVE-…, GHSA-…, GO-…) for vulnerabilities.</summary>
    public required string RuleId { get; init; }

    public required Severity Severity { get; init; }

    public required StackLayer Layer { get; init; }

    public required string Title { get; init; }

    /// <summary>What was found here, in one or two sentences.</summary>
    public required string Message { get; init; }

    public string? Explanation { get; init; }

    public string? Remediation { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The target as the user named it (an image reference, a file, <c>host</c>).</summary>
    public required string Target { get; init; }

    public required Location Location { get; init; }

    public Evidence? Evidence { get; init; }

    /// <summary>
    /// Set on a summary finding only: how many more findings of its rule on its target were found and not listed one by
    /// one (<see cref="Limits.MaxFindingsPerRule"/>); 0 for every other finding.
    /// </summary>
    public long Folded { get; init; }

    /// <summary>
    /// A stable identity for ignore files and baselines: rule, target and location,
    /// independent of message wording and of the evidence (so redaction changes nothing).
    /// </summary>
    public string Fingerprint => ComputeFingerprint(RuleId, Target, Location);

    /// <summary>Creates a finding for a catalog rule, copying its title, explanation, remediation and references.</summary>
    public static Finding For(Rule rule, string target, Location location, string message, Evidence? evidence = null, Severity? severity = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new Finding
        {
            RuleId = rule.Id,
            Severity = severity ?? rule.Severity,
            Layer = rule.Layer,
            Title = rule.Title,
            Message = message,
            Explanation = rule.Explanation,
            Remediation = rule.Remediation,
            References = rule.References,
            Target = target,
            Location = location,
            Evidence = evidence,
        };
    }

    public static string ComputeFingerprint(string ruleId, string target, Location location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var key = string.Join(
            '\u001f',
            ruleId,
            target,
            location.File ?? string.Empty,
            location.Path ?? string.Empty,
            location.LayerDigest ?? string.Empty,
            location.JsonPath ?? string.Empty,
            location.Subject ?? string.Empty);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
