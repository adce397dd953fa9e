namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Checks;
using Strata.Core.Findings;

/// <summary>The Pod Security Standards levels, least strict first.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>
/// One Pod Security Standards check, shaped after kubernetes/pod-security-admission: the upstream check ID, the level
/// that enforces it, and one evaluation per policy version (<see cref="Versions"/>), each in force from its minimum
/// version until the next one.
/// </summary>
public abstract class PodSecurityCheck : Check<PodSpecView>
{
    /// <summary>The check's ID in pod-security-admission, e.g. <c>privileged</c>.</summary>
    public abstract string UpstreamId { get; }

    public abstract PodSecurityLevel Level { get; }

    /// <summary>The versioned evaluations, oldest first; a version before the first has no such check.</summary>
    public abstract IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    /// <summary>The first Pod Security Standards version (1.N) that has this check.</summary>
    public Version MinimumVersion => new(1, Versions[0].Minor);

    /// <summary>The evaluation in force at policy version 1.<paramref name="minor"/>, or null before the check existed.</summary>
    public PodSecurityCheckVersion? At(int minor)
    {
        PodSecurityCheckVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.Minor <= minor)
            {
                found = version;
            }
        }

        return found;
    }

    /// <summary>The check alone at its newest version (the catalog's view of it); scans evaluate whole policies through <see cref="PodSecurityEvaluator"/>.</summary>
    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var violation = Versions[^1].Evaluate(subject);
        if (violation is not null)
        {
            yield return violation.ToFinding(context.Target, PodSecurityPolicy.Of(Level, PodSecurityVersion.Latest));
        }
    }
}

/// <summary>One version of a check: in force from policy version 1.<paramref name="Minor"/>.</summary>
/// <param name="Minor">The minor of the first policy version with this evaluation.</param>
/// <param name="Evaluate">Null when the pod passes; else what PSA reports.</param>
public sealed record PodSecurityCheckVersion(int Minor, Func<PodSpecView, PodSecurityViolation?> Evaluate)
{
    /// <summary>Upstream IDs of baseline checks this restricted check replaces at the restricted level (PSA's OverrideCheckIDs).</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>This version admits Windows pods (spec.os.name: windows) whatever they set (PSA 1.25+).</summary>
    public bool ExemptsWindows { get; init; }
}

/// <summary>
/// A check a pod fails, in PSA's words: <see cref="Reason"/> (<c>allowPrivilegeEscalation != false</c>) and
/// <see cref="Detail"/> (<c>container "x" must set …</c>), and where: the first offending field.
/// </summary>
public sealed record PodSecurityViolation(PodSecurityCheck Check, string Reason, string Detail, PodSpecView Pod, string JsonPath, YamlDotNet.RepresentationModel.YamlNode? Node)
{
    /// <summary>PSA's text of one check: <c>reason (detail)</c>.</summary>
    public string Text => Detail.Length == 0 ? Reason : $"{Reason} ({Detail})";

    public Finding ToFinding(string target, PodSecurityPolicy policy) =>
        Finding.For(Check.Rule, target, Pod.At(JsonPath, Node), $"{Pod.ObjectName} violates PodSecurity \"{policy}\": {Text}");
}
