namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Checks;

/// <summary>The Pod Security Standards levels.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>
/// One Pod Security Standards check, shaped after kubernetes/pod-security-admission: an ID
/// (the upstream check ID), the lowest level that enforces it, and the evaluation of a pod spec.
/// </summary>
public abstract class PodSecurityCheck : Check<PodSpecView>
{
    /// <summary>The check's ID in pod-security-admission, e.g. <c>privileged</c>.</summary>
    public abstract string UpstreamId { get; }

    public abstract PodSecurityLevel Level { get; }

    /// <summary>The first Pod Security Standards version (1.N) that has this check at <see cref="Level"/>.</summary>
    public abstract Version MinimumVersion { get; }
}
