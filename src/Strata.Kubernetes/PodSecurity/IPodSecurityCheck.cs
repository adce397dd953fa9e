namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The Pod Security Standards levels.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>
/// One Pod Security Standards check, shaped after kubernetes/pod-security-admission: an ID
/// (the upstream check ID), the lowest level that enforces it, and the evaluation.
/// </summary>
public interface IPodSecurityCheck
{
    Rule Rule { get; }

    /// <summary>The check's ID in pod-security-admission, e.g. <c>privileged</c>.</summary>
    string UpstreamId { get; }

    PodSecurityLevel Level { get; }

    /// <summary>The first Pod Security Standards version (1.N) that has this check at <see cref="Level"/>.</summary>
    Version MinimumVersion { get; }

    IEnumerable<Finding> Evaluate(PodSpecView pod, string target);
}
