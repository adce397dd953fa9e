namespace Strata.Kubernetes;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.PodSecurity;
using Strata.Kubernetes.Workloads;
using Strata.Secrets;

/// <summary>Scans Kubernetes manifests (YAML or JSON, one or many documents).</summary>
/// <param name="secrets">The run's secret scanner, built when the first manifest is scanned.</param>
public sealed class KubernetesManifestScanner(SecretScannerProvider secrets) : ITargetScanner
{
    /// <summary>Every check of a pod spec: the Pod Security Standards checks (PSS-), then the other workload checks (K8S-).</summary>
    public IReadOnlyList<Check<PodSpecView>> Checks { get; } =
    [
        new Privileged(),
        new HostNamespaces(),
        new AllowPrivilegeEscalation(),
        new RunAsNonRoot(),
        new ContainerImageNotPinned(),
    ];

    private readonly SecretScannerProvider secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));

    public string Name => "kubernetes";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.KubernetesManifest };

    /// <summary>The pod spec checks, and the secret rules run over the manifest text.</summary>
    public IEnumerable<Rule> Rules => Checks.Select(c => c.Rule).Concat(secrets.Rules);

    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var text = BoundedFile.ReadAllText(target.Locator, allowStandardInput: true);
        var source = YamlSource.Parse(text, target.Locator);

        // Credentials written into manifests (env values, ConfigMaps, stringData) are in every copy of the repository.
        var findings = secrets.Scanner.FindInFile(text, target, StackLayer.Orchestrator).ToList();
        var checkContext = new CheckContext(target.Name);
        foreach (var pod in PodSpecView.FindAll(source))
        {
            findings.AddRange(CheckRunner.Run(Checks, pod, checkContext, context.Logger, cancellationToken).Select(f => f with { Location = f.Location with { File = target.Name } }));
        }

        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }
}
