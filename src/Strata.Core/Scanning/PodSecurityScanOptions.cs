namespace Strata.Core.Scanning;

/// <summary>
/// The Pod Security Standards policy Kubernetes manifests are evaluated at (<c>strata scan --pss-level --pss-version</c>),
/// where no Namespace of the input labels its own: a level (privileged, baseline, restricted) and a version (v1.N or latest).
/// </summary>
public sealed record PodSecurityScanOptions(string Level = "restricted", string Version = "latest")
{
    public static PodSecurityScanOptions Default { get; } = new();
}
