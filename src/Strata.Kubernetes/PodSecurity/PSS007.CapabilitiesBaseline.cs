namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class CapabilitiesBaseline : PodSecurityCheck
{
    /// <summary>The container runtimes' default capability set: adding one of these changes nothing.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    public CapabilitiesBaseline() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "capabilities_baseline";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-007",
        Title = "Container adds capabilities beyond the default set",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "capabilities.add beyond the runtime's default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) grants root powers such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE, most of them enough to escape. Pod Security Standards: forbidden from the baseline level up; at the restricted level the stricter capabilities check (PSS-015) reports it instead.",
        Remediation = "Remove the added capabilities; if one is truly needed, grant only it and document why.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission capabilities_baseline", "kubescape C-0046"],
        Examples =
        [
            new RuleExample(BaselineNamespace.Pod("  containers:\n  - name: app\n    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]"), true, "in a namespace enforcing baseline"),
            new RuleExample(BaselineNamespace.Pod("  containers:\n  - name: app\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE]"), false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var bad = default(Offenders);
        List<string>? added = null;
        foreach (var container in PodFields.Containers(pod))
        {
            var capabilities = PodFields.Get(container.SecurityContext, "capabilities");
            var items = PodFields.Items(capabilities, "add");
            var valid = true;
            for (var i = 0; i < items.Count; i++)
            {
                var name = items[i] is YamlScalarNode { Value: { } value } ? value : string.Empty;
                if (!Allowed.Contains(name))
                {
                    valid = false;
                    (added ??= []).Add(name);
                }
            }

            if (!valid)
            {
                bad.Add(pod, container, ".securityContext.capabilities.add", PodFields.Get(capabilities, "add"));
            }
        }

        return bad.Any
            ? new(this, "non-default capabilities", $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)} must not include {JoinQuote(SortedSet(added!))} in securityContext.capabilities.add", pod, bad.Path!, bad.Node)
            : null;
    }
}
