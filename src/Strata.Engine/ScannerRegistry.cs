namespace Strata.Engine;

using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Engine.Targets;
using Strata.Images;
using Strata.Images.Dockerfile;
using Strata.Images.Secrets;
using Strata.Kernel;
using Strata.Kubernetes;
using Strata.Oci;
using Strata.Runtime.Config;
using Strata.Runtime.Seccomp;

/// <summary>Every scanner Strata has, registered in this one place; the rule catalog is built from them.</summary>
public sealed class ScannerRegistry
{
    public ScannerRegistry(IEnumerable<ITargetScanner> scanners)
    {
        Scanners = [.. scanners];
        Catalog = new RuleCatalog(DistinctRules(Scanners.SelectMany(s => s.Rules)));
    }

    public IReadOnlyList<ITargetScanner> Scanners { get; }

    public RuleCatalog Catalog { get; }

    /// <param name="imageOpenOptions">How image targets are reached (platform, credentials, TLS); default: <see cref="ImageOpenOptions.Default"/>.</param>
    public static ScannerRegistry CreateDefault(ImageOpenOptions? imageOpenOptions = null)
    {
        var secrets = new ImageSecretsAnalyzer();
        return new(
        [
            new HostScanner(),
            new DockerfileScanner(),
            new ImageScanner(new ImageScannerOptions { Analyzers = [secrets], OpenOptions = imageOpenOptions ?? ImageOpenOptions.Default }),
            new RuntimeConfigScanner(),
            new SeccompScanner(),
            new KubernetesManifestScanner(),
            new SourceTreeSecretScanner(secrets),
        ]);
    }

    // Shared rule sets (the secret rules run on images, root filesystems and Dockerfiles) are declared by
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
