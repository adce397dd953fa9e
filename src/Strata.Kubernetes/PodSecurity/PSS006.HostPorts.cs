namespace Strata.Kubernetes.PodSecurity;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class HostPorts : PodSecurityCheck
{
    public HostPorts() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "hostPorts";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-006",
        Title = "Container binds a host port",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "A hostPort opens a port on the node's own addresses: it bypasses Services and NetworkPolicies meant to control access, and ties the pod to nodes where the port is free. Pod Security Standards: forbidden from the baseline level up, in every version.",
        Remediation = "Remove hostPort and expose the container through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission hostPorts"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  ports:\n  - containerPort: 80\n    hostPort: 80", true),
            new RuleExample("containers:\n- name: app\n  ports:\n  - containerPort: 80", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var bad = default(Offenders);
        List<string>? ports = null;
        foreach (var container in PodFields.Containers(pod))
        {
            var items = PodFields.Items(container.Node, "ports");
            var first = -1;
            for (var i = 0; i < items.Count; i++)
            {
                if (PodFields.Get(items[i], "hostPort") is not null && PodFields.Integer(items[i], "hostPort") is not 0)
                {
                    (ports ??= []).Add(PodFields.Integer(items[i], "hostPort") is long number ? number.ToString(CultureInfo.InvariantCulture) : PodFields.Text(items[i], "hostPort")!);
                    first = first < 0 ? i : first;
                }
            }

            if (first >= 0)
            {
                bad.Add(pod, container, string.Create(CultureInfo.InvariantCulture, $".ports[{first}].hostPort"), PodFields.Get(items[first], "hostPort"));
            }
        }

        if (!bad.Any)
        {
            return null;
        }

        var hostPorts = SortedSet(ports!);
        return new(this, "hostPort", $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)} {Pluralize("uses", "use", bad.Count)} {Pluralize("hostPort", "hostPorts", hostPorts.Count)} {Join(hostPorts)}", pod, bad.Path!, bad.Node);
    }
}
