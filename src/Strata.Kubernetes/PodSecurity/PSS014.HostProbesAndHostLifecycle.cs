namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class HostProbesAndHostLifecycle : PodSecurityCheck
{
    public HostProbesAndHostLifecycle() => Versions = [new(34, Evaluate1_34)];

    public override string UpstreamId => "hostProbesAndHostLifecycle";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-014",
        Title = "Probe or lifecycle handler targets another host",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "An httpGet or tcpSocket probe or lifecycle handler with a host makes the kubelet, from the node's network, connect wherever the pod says: a way to reach node-local and internal services the pod itself cannot (server-side request forgery through the kubelet). Pod Security Standards: the host field must be empty from the baseline level up, from v1.34.",
        Remediation = "Remove host from the probes' and lifecycle handlers' httpGet and tcpSocket: the kubelet then targets the pod's own IP.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission hostProbesAndHostLifecycle"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  livenessProbe:\n    httpGet:\n      host: 169.254.169.254\n      path: /latest/meta-data\n      port: 80", true),
            new RuleExample("containers:\n- name: app\n  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: 8080", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_34(PodSpecView pod)
    {
        var bad = default(Offenders);
        List<string>? hosts = null;
        foreach (var container in PodFields.Containers(pod))
        {
            var found = false;
            foreach (var probe in (ReadOnlySpan<string>)["livenessProbe", "readinessProbe", "startupProbe"])
            {
                found |= Inspect(container, PodFields.Get(container.Node, probe), probe);
            }

            var lifecycle = PodFields.Get(container.Node, "lifecycle");
            if (lifecycle is not null)
            {
                found |= Inspect(container, PodFields.Get(lifecycle, "postStart"), "lifecycle.postStart");
                found |= Inspect(container, PodFields.Get(lifecycle, "preStop"), "lifecycle.preStop");
            }

            if (found)
            {
                (bad.Names ??= []).Add(container.Name);
            }
        }

        if (!bad.Any)
        {
            return null;
        }

        var containers = SortedSet(bad.Names!);
        var forbidden = SortedSet(hosts!);
        return new(this, "probe or lifecycle host", $"{Pluralize("container", "containers", containers.Count)} {JoinQuote(containers)} {Pluralize("uses", "use", containers.Count)} {Pluralize("probe or lifecycle host", "probe or lifecycle hosts", forbidden.Count)} {JoinQuote(forbidden)}", pod, bad.Path!, bad.Node);

        bool Inspect(PodContainer container, YamlNode? handler, string path)
        {
            if (handler is null)
            {
                return false;
            }

            var found = false;
            foreach (var kind in (ReadOnlySpan<string>)["httpGet", "tcpSocket"])
            {
                var action = PodFields.Get(handler, kind);
                if (PodFields.Text(action, "host") is { Length: > 0 } host)
                {
                    (hosts ??= []).Add(host);
                    bad.Mark($"{container.PathUnder(pod.SpecPath)}.{path}.{kind}.host", PodFields.Get(action, "host"));
                    found = true;
                }
            }

            return found;
        }
    }
}
