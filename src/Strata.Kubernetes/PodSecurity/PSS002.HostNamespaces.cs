namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostNamespaces : PodSecurityCheck
{
    public HostNamespaces() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "hostNamespaces";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-002",
        Title = "Pod shares host namespaces",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "hostNetwork, hostPID or hostIPC put the pod in the node's network, process or IPC namespace: it sees node-local services and every process of the node, and can signal or trace them. Pod Security Standards: forbidden from the baseline level up, in every version.",
        Remediation = "Remove hostNetwork, hostPID and hostIPC (or set them to false).",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission hostNamespaces"],
        Examples =
        [
            new RuleExample("spec:\n  hostPID: true\n  containers:\n  - name: app", true),
            new RuleExample("spec:\n  hostPID: false\n  containers:\n  - name: app", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        List<string>? shared = null;
        var where = default(Offenders);
        foreach (var field in (ReadOnlySpan<string>)["hostNetwork", "hostPID", "hostIPC"])
        {
            if (PodFields.Bool(pod.Spec, field) == true)
            {
                (shared ??= []).Add(field + "=true");
                where.Mark($"{pod.SpecPath}.{field}", PodFields.Get(pod.Spec, field));
            }
        }

        return shared is null ? null : new(this, "host namespaces", string.Join(", ", shared), pod, where.Path!, where.Node);
    }
}
