namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class ProcMount : PodSecurityCheck
{
    public ProcMount() => Versions = [new(0, Evaluate1_0), new(35, Evaluate1_35)];

    public override string UpstreamId => "procMount";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-008",
        Title = "Container unmasks /proc",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "procMount: Unmasked removes the masks and read-only mounts the runtime puts over sensitive parts of /proc (kcore, sysrq-trigger, keys, timer lists…), which leak host information or reach the host kernel. Pod Security Standards: only Default (or unset) from the baseline level up; from v1.35 a pod in a user namespace (hostUsers: false) may set any value at the baseline level, and the restricted level forbids it for every pod instead (PSS-019).",
        Remediation = "Remove securityContext.procMount or set it to Default.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission procMount"],
        Examples =
        [
            new RuleExample(BaselineNamespace.Pod("  containers:\n  - name: app\n    securityContext:\n      procMount: Unmasked"), true, "in a namespace enforcing baseline"),
            new RuleExample(BaselineNamespace.Pod("  hostUsers: false\n  containers:\n  - name: app\n    securityContext:\n      procMount: Unmasked"), false, "a user-namespaced pod (v1.35+)"),
        ],
    };

    /// <summary>PSA's procMount_1_0, which the restricted procMount check (PSS-019) reuses under its own ID.</summary>
    internal static PodSecurityViolation? Unmasked(PodSecurityCheck check, PodSpecView pod)
    {
        var bad = default(Offenders);
        List<string>? types = null;
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            if (PodFields.Text(securityContext, "procMount") is { } type && type != "Default")
            {
                bad.Add(pod, container, ".securityContext.procMount", PodFields.Get(securityContext, "procMount"));
                (types ??= []).Add(type);
            }
        }

        return bad.Any
            ? new(check, "procMount", $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)} must not set securityContext.procMount to {JoinQuote(SortedSet(types!))}", pod, bad.Path!, bad.Node)
            : null;
    }

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod) => Unmasked(this, pod);

    private PodSecurityViolation? Evaluate1_35(PodSpecView pod) => PodFields.InUserNamespace(pod) ? null : Unmasked(this, pod);
}
