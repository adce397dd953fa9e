namespace Strata.Kubernetes;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.PodSecurity;
using Strata.Secrets;

/// <summary>Scans Kubernetes manifests (YAML or JSON, one or many documents).</summary>
public sealed class KubernetesManifestScanner : ITargetScanner
{
    private readonly IReadOnlyList<IPodSecurityCheck> checks = [new Privileged(), new HostNamespaces(), new AllowPrivilegeEscalation(), new RunAsNonRoot()];

    public string Name => "kubernetes";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.KubernetesManifest };

    /// <summary>The Pod Security Standards checks, and the secret rules run over the manifest text.</summary>
    public IEnumerable<Rule> Rules => checks.Select(c => c.Rule).Concat(SecretScanner.BuiltInRules.Select(r => r.ToRule()));

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var text = BoundedFile.ReadAllText(target.Locator, allowStandardInput: true);
        var source = YamlSource.Parse(text, target.Locator);

        // Credentials written into manifests (env values, ConfigMaps, stringData) are in every copy of the repository.
        var findings = SecretScanner.Default.ScanText(text, target.Name)
            .Select(match => match.ToFinding(target.Name, StackLayer.Orchestrator))
            .Select(f => f with { Location = f.Location with { File = target.Name, Path = null } })
            .ToList();
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
