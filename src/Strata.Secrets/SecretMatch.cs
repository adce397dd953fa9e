namespace Strata.Secrets;

using System.Globalization;
using Strata.Core.Findings;

/// <summary>
/// One secret found. Holds only a redacted form of the value: the full secret is never stored
/// in a match, its string form, or the finding made from it.
/// </summary>
public sealed record SecretMatch
{
    public required SecretRule Rule { get; init; }

    /// <summary>The display path the caller gave (a path in an image or root filesystem, or a label such as <c>ENV</c>).</summary>
    public required string Path { get; init; }

    /// <summary>One-based line where the secret value starts.</summary>
    public required int Line { get; init; }

    /// <summary>One-based column (in bytes) where the secret value starts.</summary>
    public required int Column { get; init; }

    /// <summary>The secret, redacted to a short prefix and its length.</summary>
    public required Evidence Evidence { get; init; }

    /// <summary>Whatever the caller attached to the scan (a layer digest, a history index); passed through untouched.</summary>
    public object? Context { get; init; }

    /// <summary>The rule's severity, or INFO for a documented sample or public value (<see cref="Note"/> says which).</summary>
    public required Severity Severity { get; init; }

    /// <summary>Why the match is informational only; null for a finding at the rule's severity.</summary>
    public string? Note { get; init; }

    /// <summary>Where a value read from a document's structure is (e.g. <c>$.data.password</c> of a Kubernetes Secret), else null.</summary>
    public string? JsonPath { get; init; }

    /// <summary>
    /// The match as a finding. <paramref name="location"/> carries what the caller knows (layer
    /// digest and index, created_by); path, line and column are filled in from the match.
    /// </summary>
    public Finding ToFinding(string target, StackLayer layer = StackLayer.Image, Location? location = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var where = (location ?? new Location()) with { Path = Path, Line = Line, Column = Column };
        where = JsonPath is null ? where : where with { JsonPath = JsonPath };
        return new Finding
        {
            RuleId = Rule.Id,
            Severity = Severity,
            Layer = layer,
            Title = Rule.Title,
            Message = Note is null
                ? string.Create(CultureInfo.InvariantCulture, $"{Rule.Title} in {Path}:{Line}:{Column} ({Evidence.Text}).")
                : string.Create(CultureInfo.InvariantCulture, $"{Rule.Title} in {Path}:{Line}:{Column} ({Evidence.Text}): {Note}."),
            Explanation = Rule.Explanation,
            Remediation = Rule.Remediation,
            References = Rule.References,
            Target = target,
            Location = where,
            Evidence = Evidence,
        };
    }

    /// <summary>A message of the caller's wording, with the reason appended when the match is informational only.</summary>
    public string Annotate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Note is null ? message : string.Create(CultureInfo.InvariantCulture, $"{message} Reported at INFO: {Note}.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rule.Id} {Path}:{Line}:{Column} {Evidence.Text}");
}
