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
using YamlDotNet.RepresentationModel;

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

    /// <summary>
    /// Reads the manifest one document, and one List item, at a time, and keeps at most the run's findings per rule
    /// (<see cref="Strata.Core.Limits.MaxFindingsPerRule"/>), so memory stays flat in the number of objects, containers
    /// and findings.
    /// </summary>
    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var limits = context.Limits;
        var text = BoundedFile.ReadAllText(target.Locator, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);

        // Credentials written into manifests (env values, ConfigMaps, stringData) are in every copy of the repository.
        var findings = new FindingCollector(limits.MaxFindingsPerRule);
        findings.AddRange(secrets.Scanner.FindInFile(text, target, StackLayer.Orchestrator));
        var checkContext = context.ChecksOf(target.Name);
        FindingCollector? items = null;
        YamlSource.Read(text, target.Locator, limits, "items", unit =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (unit.IsItem)
            {
                // Whether these are a List's items is known only from the root's kind, which may follow them (kubectl
                // writes items before kind): their findings wait, bounded, until the root is read.
                Evaluate(unit.Node, items ??= new FindingCollector(limits.MaxFindingsPerRule), unit.RootKind);
                return;
            }

            if (items is not null && PodSpecView.IsList(unit.Node))
            {
                findings.AddRange(items.ToList());
            }

            items = null;
            Evaluate(unit.Node, findings, null);
        });

        return Task.FromResult(findings.ToList());

        void Evaluate(YamlNode node, FindingCollector into, string? listKind)
        {
            foreach (var pod in PodSpecView.FromObject(target.Name, node, listKind))
            {
                CheckRunner.Run(Checks, pod, checkContext, context.Logger, into, cancellationToken);
            }
        }
    }
}
