namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A Kubernetes service account token is mounted in the container.</summary>
public sealed class ServiceAccountTokenMounted : ContainerCheck
{
    private static readonly string[] TokenPaths = ["/var/run/secrets/kubernetes.io/serviceaccount/token", "/run/secrets/kubernetes.io/serviceaccount/token"];

    public override Rule Rule { get; } = new()
    {
        Id = "CTR-014",
        Title = "A Kubernetes service account token is mounted in the container",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "Kubernetes mounts the pod's service account token unless told not to. Anyone who runs code in the container can call the API server with it, with whatever RBAC grants that account: a foothold in the application becomes a foothold in the cluster. Most workloads never call the API.",
        Remediation = "Set automountServiceAccountToken: false on the Pod (or its ServiceAccount) unless the workload calls the API; if it does, give its own ServiceAccount the least RBAC it needs.",
        References = ["https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"],
        Equivalents = ["kubescape C-0034 (automounted service account token)"],
        Examples =
        [
            new RuleExample(DockerMark + "/var/run/secrets/kubernetes.io/serviceaccount/token = eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n/var/run/secrets/kubernetes.io/serviceaccount/namespace = default", true),
            new RuleExample(DockerMark + "/etc/hostname = web-1", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        foreach (var path in TokenPaths.Where(host.Exists).Take(1))
        {
            var ns = host.Read(path.Replace("/token", "/namespace", StringComparison.Ordinal))?.Trim();
            yield return Finding.For(Rule, context.Target, new Location { File = path, Subject = "token" }, $"A service account token is mounted at {path}{(ns is { Length: > 0 } ? " (namespace " + Strata.Core.Findings.Redaction.Quote(ns, 63) + ")" : string.Empty)}: code in this container can call the Kubernetes API as that account.", Evidence.Plain(path));
        }
    }
}
