namespace Strata.Core.Findings;

/// <summary>
/// What a finding saw. Secret values are redacted when the evidence is created, so the full
/// value never reaches a finding, a report or a log.
/// </summary>
public sealed record Evidence
{
    private Evidence(string text, bool redacted)
    {
        Text = text;
        IsRedacted = redacted;
    }

    /// <summary>The evidence as it may be printed.</summary>
    public string Text { get; }

    /// <summary>True when <see cref="Text"/> is a redaction of a secret value.</summary>
    public bool IsRedacted { get; }

    /// <summary>For a secret: what kind of evidence identified it; null for other findings.</summary>
    public EvidenceKind? Kind { get; init; }

    /// <summary>Evidence that holds no secret (a setting, a syscall name, a line of configuration).</summary>
    public static Evidence Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const int MaxLength = 512;
        return new Evidence(text.Length > MaxLength ? string.Concat(text.AsSpan(0, MaxLength), "…") : text, false);
    }

    /// <summary>Evidence of a secret: keeps only a few leading characters and the length.</summary>
    public static Evidence Secret(string value, EvidenceKind? kind = null) => new(Redaction.Redact(value), true) { Kind = kind };

    public override string ToString() => Text;
}
