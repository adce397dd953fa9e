namespace Strata.Kubernetes;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.PodSecurity;

/// <summary>Scans Kubernetes manifests (YAML or JSON, one or many documents).</summary>
public sealed class KubernetesManifestScanner : ITargetScanner
{
    private readonly IReadOnlyList<IPodSecurityCheck> checks = [new Privileged(), new HostNamespaces(), new AllowPrivilegeEscalation(), new RunAsNonRoot()];

    public string Name => "kubernetes";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.KubernetesManifest };

    public IEnumerable<Rule> Rules => checks.Select(c => c.Rule);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var source = YamlSource.Load(target.Locator);
        var findings = new List<Finding>();
        foreach (var pod in PodSpecView.FindAll(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var check in checks)
            {
                findings.AddRange(check.Evaluate(pod, target.Name).Select(f => f with { Location = f.Location with { File = target.Name } }));
            }
        }

        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }
}
