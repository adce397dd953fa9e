namespace Strata.Kubernetes.PodSecurity;

using System.Globalization;
using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class HostPathVolumes : PodSecurityCheck
{
    public HostPathVolumes() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "hostPathVolumes";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-005",
        Title = "hostPath volume",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "A hostPath volume mounts a directory of the node into the pod: the node's root, its container runtime socket or kubelet credentials are then one write away. Pod Security Standards: forbidden from the baseline level up; at the restricted level the restricted volume types check (PSS-018) reports it instead.",
        Remediation = "Use emptyDir, a ConfigMap, a Secret, a projected or CSI volume, or a PersistentVolumeClaim instead of hostPath.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline", "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
        Equivalents = ["pod-security-admission hostPathVolumes", "kubescape C-0048"],
        Examples =
        [
            new RuleExample(BaselineNamespace.Pod("  volumes:\n  - name: root\n    hostPath:\n      path: /\n  containers:\n  - name: app"), true, "in a namespace enforcing baseline"),
            new RuleExample(BaselineNamespace.Pod("  volumes:\n  - name: scratch\n    emptyDir: {}\n  containers:\n  - name: app"), false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        List<string>? names = null;
        var where = default(Offenders);
        var volumes = PodFields.Items(pod.Spec, "volumes");
        for (var i = 0; i < volumes.Count; i++)
        {
            if (PodFields.Get(volumes[i], "hostPath") is { } hostPath)
            {
                (names ??= []).Add(PodFields.Text(volumes[i], "name") ?? string.Empty);
                where.Mark(string.Create(CultureInfo.InvariantCulture, $"{pod.SpecPath}.volumes[{i}].hostPath"), hostPath);
            }
        }

        return names is null ? null : new(this, "hostPath volumes", $"{Pluralize("volume", "volumes", names.Count)} {JoinQuote(names)}", pod, where.Path!, where.Node);
    }
}

/// <summary>Rule examples of baseline checks that the restricted level replaces: a Pod in a namespace that enforces baseline.</summary>
internal static class BaselineNamespace
{
    public static string Pod(string spec) =>
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: example\n  namespace: apps\nspec:\n" + spec;
}
