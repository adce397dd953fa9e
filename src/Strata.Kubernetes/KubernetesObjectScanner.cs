namespace Strata.Kubernetes;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.Hygiene;
using Strata.Kubernetes.Network;
using Strata.Kubernetes.Objects;
using Strata.Kubernetes.Rbac;
using Strata.Kubernetes.Workloads;
using Strata.Secrets;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The Kubernetes checks beyond the Pod Security Standards (K8S-): workload hardening per pod spec, secrets hygiene,
/// RBAC and exposure per object, and whole-file checks (service account paths to cluster-admin, namespaces without a
/// NetworkPolicy) over a compact summary built while the objects stream by.
/// </summary>
/// <param name="secrets">The run's secret scanner: K8S-011 leaves to the SEC- rules what they recognise.</param>
public sealed class KubernetesObjectScanner(SecretScannerProvider secrets) : ITargetScanner
{
    /// <summary>The pod spec checks (workload hardening).</summary>
    public IReadOnlyList<Check<PodSpecView>> PodChecks { get; } =
    [
        new ResourceLimitsMissing(),
        new ContainerRootFilesystemWritable(),
        new SensitiveHostPathMount(),
        new HostAliasesSet(),
        new UnconfinedSeccompOrAppArmor(),
        new PrivilegedPort(),
        new ServiceAccountTokenAutomounted(),
        new DefaultServiceAccountUsed(),
        new SecretInEnvironment(),
    ];

    /// <summary>The checks of one object: secrets hygiene, RBAC roles and bindings, exposure.</summary>
    public IReadOnlyList<Check<KubernetesObject>> Checks { get; } =
    [
        new SecretValueInPlainText(secrets),
        new RoleWildcard(),
        new RoleReadsSecrets(),
        new RoleCreatesWorkloads(),
        new RoleExecsIntoPods(),
        new RoleEscalatesPrivileges(),
        new RoleProxiesToNodes(),
        new ClusterAdminBinding(),
        new BindingToUnauthenticated(),
        new ServiceExposed(),
        new IngressExposed(),
    ];

    /// <summary>The checks of the whole input, over its summary.</summary>
    public IReadOnlyList<Check<ManifestSummary>> ManifestChecks { get; } =
    [
        new ServiceAccountClusterAdminPath(),
        new NamespaceWithoutNetworkPolicy(),
    ];

    public string Name => "kubernetes-objects";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.KubernetesManifest };

    public IEnumerable<Rule> Rules => PodChecks.Select(c => c.Rule).Concat(Checks.Select(c => c.Rule)).Concat(ManifestChecks.Select(c => c.Rule));

    /// <summary>
    /// Reads the manifest one document, and one List item, at a time; what the whole-file checks need is kept as a
    /// <see cref="ManifestSummary"/>, and at most the run's findings per rule are listed, so memory stays flat in the
    /// number of objects.
    /// </summary>
    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var limits = context.Limits;
        var text = BoundedFile.ReadAllText(target.Locator, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);
        var findings = new FindingCollector(limits.MaxFindingsPerRule);
        var checkContext = context.ChecksOf(target.Name);
        var summary = new ManifestSummary(target.Name);
        FindingCollector? items = null;
        var item = 0;
        YamlSource.Read(text, target.Locator, limits, "items", unit =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (unit.IsItem)
            {
                // As in KubernetesManifestScanner: whether these are a List's items is known from the root's kind,
                // which may follow them; their findings wait, bounded, until the root is read.
                Evaluate(unit.Node, KubernetesObject.ItemPath(item++), items ??= new FindingCollector(limits.MaxFindingsPerRule), list: true);
                return;
            }

            if (items is not null && PodSpecView.IsList(unit.Node))
            {
                findings.AddRange(items.ToList());
            }

            items = null;
            item = 0;
            Evaluate(unit.Node, "$", findings, list: false);
        });

        foreach (var check in ManifestChecks)
        {
            CheckRunner.Run([check], summary, checkContext, context.Logger, findings, cancellationToken);
        }

        return Task.FromResult(findings.ToList());

        void Evaluate(YamlNode node, string path, FindingCollector into, bool list)
        {
            if (KubernetesObject.From(target.Name, node, path) is not { } subject)
            {
                return;
            }

            summary.Add(subject);
            CheckRunner.Run(Checks, subject, checkContext, context.Logger, into, cancellationToken);
            foreach (var pod in PodSpecView.FromObject(target.Name, node))
            {
                foreach (var finding in CheckRunner.Run(PodChecks, pod, checkContext, context.Logger, cancellationToken))
                {
                    // A pod spec's paths start at its object; a List's item puts its own path before them.
                    into.Add(list && finding.Location.JsonPath is { } jsonPath && jsonPath.StartsWith('$')
                        ? finding with { Location = finding.Location with { JsonPath = path + jsonPath[1..] } }
                        : finding);
                }
            }
        }
    }
}
