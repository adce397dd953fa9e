namespace Strata.Kubernetes.PodSecurity;

using YamlDotNet.RepresentationModel;

/// <summary>
/// Evaluates pods against a Pod Security Standards level and version as Pod Security Admission does
/// (policy/registry.go): the checks of the level at that version, baseline checks first, each group ordered by check
/// ID; at the restricted level, the baseline checks not overridden by a restricted one. A version newer than the
/// newest check version (or <c>latest</c>) evaluates as the newest. It reads parsed objects only, never files.
/// </summary>
public sealed class PodSecurityEvaluator
{
    private readonly ActiveCheck[][] baseline;
    private readonly ActiveCheck[][] restricted;

    public PodSecurityEvaluator(IReadOnlyList<PodSecurityCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        Checks = checks;
        if (checks.Select(c => c.UpstreamId).Distinct(StringComparer.Ordinal).Count() != checks.Count || checks.Any(c => c.Level == PodSecurityLevel.Privileged || c.Versions.Count == 0))
        {
            throw new ArgumentException("Pod Security checks need distinct IDs, a baseline or restricted level and at least one version.", nameof(checks));
        }

        NewestMinor = checks.Max(c => c.Versions[^1].Minor);
        var ordered = checks.OrderBy(c => c.Level).ThenBy(c => c.UpstreamId, StringComparer.Ordinal).ToList();
        baseline = new ActiveCheck[NewestMinor + 1][];
        restricted = new ActiveCheck[NewestMinor + 1][];
        for (var minor = 0; minor <= NewestMinor; minor++)
        {
            var active = ordered.Select(c => new ActiveCheck(c, c.At(minor)!)).Where(a => a.Version is not null).ToList();
            var overridden = active.Where(a => a.Check.Level == PodSecurityLevel.Restricted).SelectMany(a => a.Version.Overrides).ToHashSet(StringComparer.Ordinal);
            baseline[minor] = [.. active.Where(a => a.Check.Level == PodSecurityLevel.Baseline)];
            restricted[minor] = [.. active.Where(a => a.Check.Level == PodSecurityLevel.Restricted || !overridden.Contains(a.Check.UpstreamId))];
        }
    }

    /// <summary>The 19 checks of Pod Security Admission.</summary>
    public static PodSecurityEvaluator Default { get; } = new(
    [
        new Privileged(),
        new HostNamespaces(),
        new AllowPrivilegeEscalation(),
        new RunAsNonRoot(),
        new HostPathVolumes(),
        new HostPorts(),
        new CapabilitiesBaseline(),
        new ProcMount(),
        new SeccompProfileBaseline(),
        new SeLinuxOptions(),
        new Sysctls(),
        new AppArmorProfile(),
        new WindowsHostProcess(),
        new HostProbesAndHostLifecycle(),
        new CapabilitiesRestricted(),
        new RunAsUser(),
        new SeccompProfileRestricted(),
        new RestrictedVolumes(),
        new ProcMountRestricted(),
    ]);

    public IReadOnlyList<PodSecurityCheck> Checks { get; }

    /// <summary>The newest minor version any check changes at: what <c>latest</c> evaluates as.</summary>
    public int NewestMinor { get; }

    /// <summary>The checks <paramref name="policy"/> runs, in PSA's order, each at the version in force.</summary>
    public IReadOnlyList<ActiveCheck> ChecksOf(PodSecurityPolicy policy) => policy.Level switch
    {
        PodSecurityLevel.Privileged => [],
        PodSecurityLevel.Baseline => baseline[MinorOf(policy.Version)],
        _ => restricted[MinorOf(policy.Version)],
    };

    /// <summary>PSA's verdict on one pod; allocation-free when the pod is allowed.</summary>
    public PodSecurityResult Evaluate(PodSpecView pod, PodSecurityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return new PodSecurityResult(policy, null);
        }

        var active = (policy.Level == PodSecurityLevel.Baseline ? baseline : restricted)[MinorOf(policy.Version)];
        List<PodSecurityViolation>? violations = null;
        foreach (var check in active)
        {
            if (check.Version.Evaluate(pod) is { } violation)
            {
                (violations ??= []).Add(violation);
            }
        }

        return new PodSecurityResult(policy, violations);
    }

    /// <summary>The verdict on each pod spec of a parsed object (a workload, a Pod, a List's items); <paramref name="file"/> is what locations name.</summary>
    public IEnumerable<(PodSpecView Pod, PodSecurityResult Result)> EvaluateObject(string file, YamlNode node, PodSecurityPolicy policy)
    {
        foreach (var pod in PodSpecView.FromObject(file, node))
        {
            yield return (pod, Evaluate(pod, policy));
        }
    }

    private int MinorOf(PodSecurityVersion version) => version.IsLatest || version.Minor > NewestMinor ? NewestMinor : version.Minor;

    /// <summary>A check at the version in force.</summary>
    public sealed record ActiveCheck(PodSecurityCheck Check, PodSecurityCheckVersion Version);
}

/// <summary>PSA's verdict: allowed, or the checks violated in order, rendered as PSA renders them.</summary>
public readonly struct PodSecurityResult(PodSecurityPolicy policy, IReadOnlyList<PodSecurityViolation>? violations)
{
    public PodSecurityPolicy Policy { get; } = policy;

    public bool Allowed => violations is null;

    public IReadOnlyList<PodSecurityViolation> Violations => violations ?? [];

    /// <summary>The reasons joined (PSA's <c>ForbiddenReason()</c>).</summary>
    public string ForbiddenReason => string.Join(", ", Violations.Select(v => v.Reason));

    /// <summary>Each reason with its detail in parentheses (PSA's <c>ForbiddenDetail()</c>).</summary>
    public string ForbiddenDetail => string.Join(", ", Violations.Select(v => v.Text));

    /// <summary>The enforce error: <c>violates PodSecurity "restricted:latest": …</c>; empty when allowed.</summary>
    public string Message => Allowed ? string.Empty : $"violates PodSecurity \"{Policy}\": {ForbiddenDetail}";

    /// <summary>The audit annotation and warning text: <c>would violate PodSecurity "baseline:v1.30": …</c>.</summary>
    public string WouldViolateMessage => Allowed ? string.Empty : $"would violate PodSecurity \"{Policy}\": {ForbiddenDetail}";
}

/// <summary>Who fails a check, and where the first of them is: built only once a check fails.</summary>
internal struct Offenders
{
    public List<string>? Names;

    public string? Path;

    public YamlNode? Node;

    public readonly int Count => Names?.Count ?? 0;

    public readonly bool Any => Path is not null;

    /// <summary>A container that fails: named in the message; the first one is where the finding points.</summary>
    public void Add(PodSpecView pod, PodContainer container, string suffix, YamlNode? node)
    {
        if (Names is null)
        {
            Names = [];
            Mark(container.PathUnder(pod.SpecPath) + suffix, node ?? container.Node);
        }

        Names.Add(container.Name);
    }

    /// <summary>Where the finding points, unless an earlier offender set it.</summary>
    public void Mark(string path, YamlNode? node)
    {
        if (Path is null)
        {
            Path = path;
            Node = node;
        }
    }
}
