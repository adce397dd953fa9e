namespace Strata.Engine;

using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images;
using Strata.Images.Dockerfile;
using Strata.Images.Secrets;
using Strata.Kernel;
using Strata.Kubernetes;
using Strata.Runtime.Config;
using Strata.Runtime.Seccomp;

/// <summary>Every scanner Strata has, registered in this one place; the rule catalog is built from them.</summary>
public sealed class ScannerRegistry
{
    public ScannerRegistry(IEnumerable<ITargetScanner> scanners)
    {
        Scanners = [.. scanners];
        Catalog = new RuleCatalog(Scanners.SelectMany(s => s.Rules));
    }

    public IReadOnlyList<ITargetScanner> Scanners { get; }

    public RuleCatalog Catalog { get; }

    public static ScannerRegistry CreateDefault() => new(
    [
        new HostScanner(),
        new DockerfileScanner(),
        new ImageScanner(new ImageScannerOptions { Analyzers = [new ImageSecretsAnalyzer()] }),
        new RuntimeConfigScanner(),
        new SeccompScanner(),
        new KubernetesManifestScanner(),
    ]);

    public IEnumerable<ITargetScanner> For(TargetKind kind) => Scanners.Where(s => s.Kinds.Contains(kind));
}
