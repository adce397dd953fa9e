namespace Strata.Kubernetes;

using Microsoft.Extensions.Logging;
using Strata.Core;
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
public sealed partial class KubernetesManifestScanner(SecretScannerProvider secrets) : ITargetScanner
{
    /// <summary>The Pod Security Standards checks (PSS-), evaluated together as a policy by <see cref="PodSecurityEvaluator"/>.</summary>
    public IReadOnlyList<PodSecurityCheck> PodSecurityChecks { get; } = PodSecurityEvaluator.Default.Checks;

    /// <summary>The other checks of a pod spec (K8S-), each run on its own.</summary>
    public IReadOnlyList<Check<PodSpecView>> Checks { get; } =
    [
        new ContainerImageNotPinned(),
    ];

    private readonly SecretScannerProvider secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));

    public string Name => "kubernetes";

    public IReadOnlySet<TargetKind> Kinds { get; } = new HashSet<TargetKind> { TargetKind.KubernetesManifest };

    /// <summary>The Pod Security Standards checks, the other pod spec checks, and the secret rules run over the manifest text.</summary>
    public IEnumerable<Rule> Rules => PodSecurityChecks.Select(c => c.Rule).Concat(Checks.Select(c => c.Rule)).Concat(secrets.Rules);

    /// <summary>
    /// Reads the manifest one document, and one List item, at a time, and keeps at most the run's findings per rule
    /// (<see cref="Strata.Core.Limits.MaxFindingsPerRule"/>), so memory stays flat in the number of objects, containers
    /// and findings. Each pod is evaluated at the Pod Security policy its Namespace enforces when the input labels that
    /// Namespace (<c>pod-security.kubernetes.io/enforce</c>, <c>enforce-version</c>), else at the run's
    /// (<see cref="ScanContext.PodSecurity"/>, restricted:latest by default).
    /// </summary>
    public Task<IReadOnlyList<Finding>> ScanAsync(ScanTarget target, ScanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var limits = context.Limits;
        if (!PodSecurityPolicy.TryParse(context.PodSecurity.Level, context.PodSecurity.Version, out var defaultPolicy, out var error))
        {
            throw StrataException.Usage(error);
        }

        var text = BoundedFile.ReadAllText(target.Locator, limits.MaxDocumentBytes, allowStandardInput: true, limitKey: BoundedFile.DocumentBytesKey);

        // Credentials written into manifests (env values, ConfigMaps, stringData) are in every copy of the repository.
        var findings = new FindingCollector(limits.MaxFindingsPerRule);
        findings.AddRange(secrets.Scanner.FindInFile(text, target, StackLayer.Orchestrator));
        var namespaces = PodSecurityNamespaces.Collect(text, target.Locator, limits, defaultPolicy);
        foreach (var labelError in namespaces.Errors)
        {
            context.Warnings.Add($"{target.Name}: {labelError}");
        }

        var checkContext = context.ChecksOf(target.Name);
        var evaluator = PodSecurityEvaluator.Default;
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
                var policy = namespaces.For(pod.Namespace).Enforce;
                var result = evaluator.Evaluate(pod, policy);
                foreach (var violation in result.Violations)
                {
                    into.Add(violation.ToFinding(target.Name, policy));
                }

                if (context.Logger.IsEnabled(LogLevel.Debug))
                {
                    LogExemptions(evaluator, pod, policy, target.Name, context.Logger);
                }

                CheckRunner.Run(Checks, pod, checkContext, context.Logger, into, cancellationToken);
            }
        }
    }

    /// <summary>Says which checks of the policy a Windows pod is exempt from, as other checks say they do not apply.</summary>
    private static void LogExemptions(PodSecurityEvaluator evaluator, PodSpecView pod, PodSecurityPolicy policy, string target, ILogger logger)
    {
        foreach (var active in evaluator.ChecksOf(policy))
        {
            if (active.Version.ExemptsWindows && !active.Check.AppliesTo(pod, out var reason))
            {
                LogNotApplicable(logger, active.Check.Rule.Id, target, reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{RuleId} does not apply to {Target}: {Reason}")]
    private static partial void LogNotApplicable(ILogger logger, string ruleId, string target, string reason);
}
