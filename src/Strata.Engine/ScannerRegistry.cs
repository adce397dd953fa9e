namespace Strata.Engine;

using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine.Targets;
using Strata.Images;
using Strata.Images.Dockerfile;
using Strata.Images.Secrets;
using Strata.Kernel;
using Strata.Kernel.KernelCves;
using Strata.Kubernetes;
using Strata.Oci;
using Strata.Runtime.Config;
using Strata.Runtime.Engines;
using Strata.Runtime.Seccomp;
using Strata.Secrets;

/// <summary>Every scanner Strata has, registered in this one place; the rule catalog is built from them.</summary>
public sealed class ScannerRegistry
{
    private readonly Lazy<RuleCatalog> catalog;

    public ScannerRegistry(IEnumerable<ITargetScanner> scanners)
    {
        Scanners = [.. scanners];

        // Built on first use: the secret rules of the run are read only when something asks for them.
        catalog = new Lazy<RuleCatalog>(() => new RuleCatalog(DistinctRules(Scanners.SelectMany(s => s.Rules))));
    }

    public IReadOnlyList<ITargetScanner> Scanners { get; }

    /// <summary>Every rule of the run, the secret rules of its configuration included.</summary>
    public RuleCatalog Catalog => catalog.Value;

    /// <param name="imageOpenOptions">How image targets are reached (platform, credentials, TLS); default: <see cref="ImageOpenOptions.Default"/>.</param>
    /// <param name="secrets">
    /// The run's secret scanner (its configuration), or the built-in rules when null. It is handed to every scanner that
    /// reports <c>SEC-</c> rules and built when the first needs it.
    /// </param>
    /// <param name="dockerfileConfig">Trusted registries and label schema for the Dockerfile lint (<c>.hadolint.yaml</c>); none when null.</param>
    /// <param name="kernelCves">The linux_kernel_cves dataset for the host audit (KRN-011); none when null.</param>
    public static ScannerRegistry CreateDefault(ImageOpenOptions? imageOpenOptions = null, SecretScannerProvider? secrets = null, DockerfileLintConfig? dockerfileConfig = null, KernelCveTable? kernelCves = null)
    {
        secrets ??= new SecretScannerProvider();
        return new(
        [
            new HostScanner(kernelCves),
            new DockerfileScanner(secrets, dockerfileConfig),
            new ImageScanner(secrets, new ImageScannerOptions { Analyzers = [new ImageSecretsAnalyzer(secrets)], OpenOptions = imageOpenOptions ?? ImageOpenOptions.Default }),
            new RuntimeConfigScanner(),
            EngineConfigScanner.DockerDaemon(),
            EngineConfigScanner.Containerd(),
            EngineConfigScanner.Crio(),
            new SeccompScanner(),
            new KubernetesManifestScanner(secrets),
            new KubernetesObjectScanner(secrets),
            new SourceTreeSecretScanner(secrets),
        ]);
    }

    // Shared rule sets (the secret rules run on images, root filesystems, Dockerfiles and Kubernetes manifests) are declared by
    // every scanner that reports them; one ID naming two different rules is still an error.
    private static IEnumerable<Rule> DistinctRules(IEnumerable<Rule> rules)
    {
        var seen = new Dictionary<string, Rule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            if (seen.TryGetValue(rule.Id, out var first))
            {
                if (first.Title != rule.Title || first.Severity != rule.Severity || first.Layer != rule.Layer)
                {
                    throw new InvalidOperationException($"Rule ID {rule.Id} names two different rules.");
                }

                continue;
            }

            seen.Add(rule.Id, rule);
            yield return rule;
        }
    }

    public IEnumerable<ITargetScanner> For(TargetKind kind) => Scanners.Where(s => s.Kinds.Contains(kind));
}
