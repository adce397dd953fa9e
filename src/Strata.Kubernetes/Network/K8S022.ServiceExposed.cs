namespace Strata.Kubernetes.Network;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>A Service of type LoadBalancer or NodePort, or with externalIPs: pods reachable from outside the cluster.</summary>
public sealed class ServiceExposed : Check<KubernetesObject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-022",
        Title = "Service exposed outside the cluster (LoadBalancer, NodePort, externalIPs)",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "A LoadBalancer Service gets an address from the cloud, public unless annotated internal (LOW); a NodePort opens the port on every node and externalIPs make the nodes answer for other addresses (INFO, since the nodes are usually not public). What is exposed is recorded with its ports, addresses and selector for the cross-layer report, which weighs the exposed pods' other findings. kubescape C-0256 reports the workloads behind such Services and Ingresses, the same facts from the other side.",
        Remediation = "Expose HTTP through an Ingress or Gateway with TLS and authentication; annotate load balancers internal where the clients are inside the network (`service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"`, `networking.gke.io/load-balancer-type: Internal`, …), restrict `loadBalancerSourceRanges`, and prefer ClusterIP elsewhere.",
        References =
        [
            "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
            "https://kubernetes.io/docs/concepts/services-networking/service/#external-ips",
        ],
        Equivalents = ["kube-linter exposed-services", "kubescape C-0256"],
        Examples =
        [
            new RuleExample("apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend-external\nspec:\n  type: LoadBalancer\n  selector:\n    app: frontend\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080", true),
            new RuleExample("apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  type: NodePort\n  selector:\n    app: admin\n  ports:\n  - port: 8443\n    nodePort: 30443", true, "INFO: a port on every node"),
            new RuleExample("apiVersion: v1\nkind: Service\nmetadata:\n  name: cartservice\nspec:\n  selector:\n    app: cartservice\n  ports:\n  - port: 7070", false, "ClusterIP"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Kind != "Service")
        {
            yield break;
        }

        foreach (var endpoint in ExposedEndpoint.Of(subject))
        {
            var how = endpoint.Kind switch
            {
                ExposureKind.LoadBalancer => endpoint.Internal ? "an internal load balancer" : "a load balancer",
                ExposureKind.NodePort => "a port on every node (NodePort)",
                _ => "external IPs",
            };
            var severity = endpoint.Kind == ExposureKind.LoadBalancer && !endpoint.Internal ? Severity.Low : Severity.Info;
            var ports = endpoint.Ports.Count == 0 ? "no ports" : string.Join(", ", endpoint.Ports);
            var hosts = endpoint.Hosts.Count == 0 ? string.Empty : $" at {string.Join(", ", endpoint.Hosts)}";
            var selector = endpoint.Selector.Count == 0 ? "no selector" : "pods " + string.Join(",", endpoint.Selector);
            var location = new Location { File = endpoint.File, JsonPath = endpoint.JsonPath, Line = endpoint.Line, Subject = endpoint.ObjectName };
            yield return Finding.For(Rule, context.Target, location, $"{endpoint.ObjectName} exposes {selector} through {how}{hosts}: {ports}.", Evidence.Plain($"{endpoint.Kind}: {ports}{hosts}"), severity);
        }
    }
}
