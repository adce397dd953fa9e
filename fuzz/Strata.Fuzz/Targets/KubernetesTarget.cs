namespace Strata.Fuzz.Targets;

using Strata.Core.Targets;
using Strata.Kubernetes;

/// <summary>Kubernetes manifests scanned as <c>strata scan k8s:FILE</c> scans them: YAML (or JSON) documents, pod specs in every workload kind, the Pod Security checks, the secret rules.</summary>
public sealed class KubernetesTarget : IFuzzTarget
{
    public string Name => "kubernetes";

    public string Covers => "Core/Documents/YamlSource (YamlDotNet), Kubernetes/PodSpecView, the PSS checks, the secret rules over the text";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var path = ScratchDirectory.Write("deploy.yaml", input);
        await new KubernetesManifestScanner(Scanners.Secrets).ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, "deploy.yaml", path), Scanners.Context, cancellationToken);
    }
}
