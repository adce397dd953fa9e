namespace Strata.Kubernetes.Network;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>An Ingress: HTTP hosts routed from outside the cluster to Services, with or without TLS.</summary>
public sealed class IngressExposed : Check<KubernetesObject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-023",
        Title = "Ingress exposes Services outside the cluster",
        Severity = Severity.Info,
        Layer = StackLayer.Orchestrator,
        Explanation = "An Ingress routes HTTP from outside the cluster to its backend Services: its hosts and backends are recorded for the cross-layer report (INFO). A host not covered by a `tls` entry is served over plain HTTP, credentials and cookies included (LOW).",
        Remediation = "Cover every host with a `tls` entry (cert-manager issues the certificates), redirect HTTP to HTTPS at the controller, and put authentication in front of internal tools.",
        References =
        [
            "https://kubernetes.io/docs/concepts/services-networking/ingress/",
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        ],
        Equivalents = ["kubescape C-0256", "kubescape C-0263"],
        Examples =
        [
            new RuleExample("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: frontend\n            port:\n              number: 80", true, "LOW: no TLS"),
            new RuleExample("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: frontend\n            port:\n              number: 80", true, "INFO: recorded for the cross-layer report"),
            new RuleExample("apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\nspec:\n  selector:\n    app: frontend\n  ports:\n  - port: 80", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Kind != "Ingress")
        {
            yield break;
        }

        foreach (var endpoint in ExposedEndpoint.Of(subject))
        {
            var backends = endpoint.Selector.Count == 0 ? "no backend" : string.Join(", ", endpoint.Selector);
            var tls = endpoint.Tls ? "over TLS" : "with a host not covered by TLS (plain HTTP)";
            var location = new Location { File = endpoint.File, JsonPath = endpoint.JsonPath, Line = endpoint.Line, Subject = endpoint.ObjectName };
            yield return Finding.For(Rule, context.Target, location, $"{endpoint.ObjectName} routes {string.Join(", ", endpoint.Hosts)} to {backends} {tls}.", Evidence.Plain($"hosts: {string.Join(", ", endpoint.Hosts)}"), endpoint.Tls ? Severity.Info : Severity.Low);
        }
    }
}
