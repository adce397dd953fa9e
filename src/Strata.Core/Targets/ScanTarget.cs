namespace Strata.Core.Targets;

/// <summary>A resolved scan target.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">The target as the user wrote it; findings and reports name it so.</param>
/// <param name="Locator">What the scanner opens: a file path, a directory, or an image reference in transport syntax.</param>
public sealed record ScanTarget(TargetKind Kind, string Name, string Locator)
{
    /// <summary>Why the target could not be resolved (kind <see cref="TargetKind.Unknown"/>); the report carries it as this target's error.</summary>
    public string? Error { get; init; }

    /// <summary>What the user should know about how the target was taken, e.g. that a file of no known kind gets the secret rules only.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// For a <see cref="TargetKind.SourceTree"/>: the files (relative to <see cref="Locator"/>, '/'-separated) left to the
    /// tree's own scan once its Dockerfiles and manifests became targets of their own; null when not yet discovered.
    /// </summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>For a Dockerfile: the build context its COPY and ADD read (<c>--context DIR</c>, or its own directory when found in a scanned directory); null when not given.</summary>
    public BuildContextSource? BuildContext { get; init; }

    /// <summary>A target that could not be resolved: it fails alone, with <paramref name="error"/> as its error.</summary>
    public static ScanTarget Unresolved(string text, string error) => new(TargetKind.Unknown, text, text) { Error = error };
}
