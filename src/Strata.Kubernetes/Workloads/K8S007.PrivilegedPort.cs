namespace Strata.Kubernetes.Workloads;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>A port below 1024: a hostPort (a privileged port of the node) or a containerPort (which a non-root process cannot bind without a capability).</summary>
public sealed class PrivilegedPort : Check<PodSpecView>
{
    private const int FirstUnprivileged = 1024;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-007",
        Title = "Privileged port (below 1024) used",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "A hostPort below 1024 (MEDIUM) takes a privileged port of every node the pod lands on, where the node's own services (SSH, DNS, HTTP) expect to be the only ones listening. A containerPort below 1024 (LOW) says the process binds a privileged port, which needs root or CAP_NET_BIND_SERVICE unless the runtime lowers net.ipv4.ip_unprivileged_port_start: it keeps the container from running as a non-root user with every capability dropped.",
        Remediation = "Listen on a port of 1024 or above (8080, 8443) and let the Service map the well-known port (`port: 80`, `targetPort: 8080`); drop `hostPort` and expose the pod through a Service.",
        References =
        [
            "https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service",
            "https://kubernetes.io/docs/concepts/configuration/overview/#services",
        ],
        Equivalents = ["kube-linter privileged-ports"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  ports:\n  - containerPort: 80", true),
            new RuleExample("containers:\n- name: dns\n  image: coredns:1.11\n  ports:\n  - containerPort: 5353\n    hostPort: 53", true, "MEDIUM: a privileged port of the node"),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  ports:\n  - containerPort: 8080", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            if (YamlSource.Child(container, "ports") is not YamlSequenceNode ports)
            {
                continue;
            }

            var index = -1;
            foreach (var port in ports)
            {
                index++;
                var at = string.Create(CultureInfo.InvariantCulture, $"{path}.ports[{index}]");
                if (Number(port, "hostPort") is { } hostPort and > 0 and < FirstUnprivileged)
                {
                    yield return Finding.For(Rule, context.Target, subject.At(at + ".hostPort", YamlSource.Child(port, "hostPort")), string.Create(CultureInfo.InvariantCulture, $"Container {name} of {subject.ObjectName} takes port {hostPort} of the node (hostPort)."), Evidence.Plain(string.Create(CultureInfo.InvariantCulture, $"hostPort: {hostPort}")), Severity.Medium);
                }
                else if (Number(port, "containerPort") is { } containerPort and > 0 and < FirstUnprivileged)
                {
                    yield return Finding.For(Rule, context.Target, subject.At(at + ".containerPort", YamlSource.Child(port, "containerPort")), string.Create(CultureInfo.InvariantCulture, $"Container {name} of {subject.ObjectName} listens on privileged port {containerPort}, which needs root or CAP_NET_BIND_SERVICE."), Evidence.Plain(string.Create(CultureInfo.InvariantCulture, $"containerPort: {containerPort}")));
                }
            }
        }
    }

    private static int? Number(YamlNode node, string key) =>
        int.TryParse(YamlSource.Scalar(node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
