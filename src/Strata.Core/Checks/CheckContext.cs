namespace Strata.Core.Checks;

/// <summary>What a check is told besides its subject: the names its findings carry.</summary>
/// <param name="Target">The target as the user named it (an image reference, a file, <c>host</c>).</param>
public sealed record CheckContext(string Target)
{
    /// <summary>The file the subject was read from, as findings name it; the target itself unless set.</summary>
    public string File { get; init; } = Target;

    /// <summary>Findings <see cref="CheckRunner"/> lists per rule; the rest are folded (<see cref="Limits.MaxFindingsPerRule"/>).</summary>
    public int MaxFindingsPerRule { get; init; } = Limits.Default.MaxFindingsPerRule;
}
