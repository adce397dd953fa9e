namespace Strata.Core.Targets;

/// <summary>A resolved scan target.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">The target as the user wrote it; findings and reports name it so.</param>
/// <param name="Locator">What the scanner opens: a file path, a directory, or an image reference in transport syntax.</param>
public sealed record ScanTarget(TargetKind Kind, string Name, string Locator);
