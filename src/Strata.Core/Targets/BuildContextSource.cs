namespace Strata.Core.Targets;

/// <summary>The build context of a Dockerfile target: the directory its COPY and ADD instructions read.</summary>
/// <param name="Directory">The context directory, as the scanner opens it.</param>
/// <param name="Name">The directory as findings name it (as the user wrote it, or under the scanned tree).</param>
public sealed record BuildContextSource(string Directory, string Name)
{
    /// <summary>
    /// Full paths of files whose secrets another target of the run reports already (the files of the scanned directory
    /// the Dockerfile was found in), so a secret in a copied file is reported once as such, beside the instruction that
    /// copies it.
    /// </summary>
    public IReadOnlySet<string> SecretsReportedElsewhere { get; init; } = new HashSet<string>();
}
