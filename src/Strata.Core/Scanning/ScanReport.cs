namespace Strata.Core.Scanning;

using Strata.Core.Findings;
using Strata.Core.Ignoring;
using Strata.Core.Targets;

/// <summary>How scanning one target went.</summary>
/// <param name="Error">Set when the target could not be scanned; its findings are then incomplete.</param>
public sealed record TargetResult(ScanTarget Target, IReadOnlyList<string> Scanners, int FindingCount, string? Error)
{
    /// <summary>
    /// The error as one line naming the target once: a message that already starts with the target, or with the file
    /// or image it opens (<c>oci:/x: no image tagged '3'</c> for <c>oci:/x:3</c>), is not prefixed again.
    /// </summary>
    public string? ErrorLine => Error is null ? null : NamesTarget(Error) ? Error : $"{Target.Name}: {Error}";

    private bool NamesTarget(string error)
    {
        var end = error.IndexOf(": ", StringComparison.Ordinal);
        if (end <= 0)
        {
            return false;
        }

        var subject = error[..end].Trim('\'', '"');
        var name = Target.Name;
        var locator = Target.Locator;
        return subject.StartsWith(name, StringComparison.Ordinal)
            || (locator.Length > 1 && subject.StartsWith(locator, StringComparison.Ordinal))
            || (name.StartsWith(subject, StringComparison.Ordinal) && name[subject.Length] is ':' or '@');
    }
}

/// <summary>The outcome of a scan, as every report format renders it.</summary>
public sealed record ScanReport
{
    public required string ToolVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<TargetResult> Targets { get; init; }

    /// <summary>Findings after ignore entries and the severity filter, ordered by layer, severity (highest first), rule and location.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    public IReadOnlyList<SuppressedFinding> Suppressed { get; init; } = [];

    /// <summary>Things the user should know that are not findings: expired ignore entries, skipped targets.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Findings not listed one by one, counted in the summary findings of <see cref="Findings"/> (<see cref="Finding.Folded"/>).</summary>
    public long Folded => Findings.Sum(f => f.Folded);

    /// <summary>The order of <see cref="Findings"/>; a summary finding comes after the findings of its rule and target it follows.</summary>
    public static IReadOnlyList<Finding> Order(IEnumerable<Finding> findings) =>
        [.. findings
            .OrderBy(f => f.Layer)
            .ThenByDescending(f => f.Severity)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Target, StringComparer.Ordinal)
            .ThenBy(f => f.Folded > 0)
            .ThenBy(f => f.Location.Describe(), StringComparer.Ordinal)];
}
