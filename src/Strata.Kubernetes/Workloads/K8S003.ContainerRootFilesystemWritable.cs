namespace Strata.Kubernetes.Workloads;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A container whose root filesystem is writable (readOnlyRootFilesystem not true).</summary>
public sealed class ContainerRootFilesystemWritable : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-003",
        Title = "Container root filesystem is writable",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "Unless securityContext.readOnlyRootFilesystem is true, a process of the container can replace binaries and libraries of the image, drop tools and persist changes for the container's lifetime: what runs is no longer what was scanned. A read-only root leaves writable only the volumes the pod declares.",
        Remediation = "Set `securityContext.readOnlyRootFilesystem: true` on every container and mount an `emptyDir` where the application must write (`/tmp`, caches).",
        References = ["https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
        Equivalents = ["kubescape C-0017", "Polaris notReadOnlyRootFilesystem", "kube-linter no-read-only-root-fs", "kubesec ReadOnlyRootFilesystem"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", true, "not set"),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  securityContext:\n    readOnlyRootFilesystem: false", true),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  securityContext:\n    readOnlyRootFilesystem: true", false),
            new RuleExample("os:\n  name: windows\ncontainers:\n- name: web\n  image: mcr.microsoft.com/windows/nanoserver:ltsc2022", false, "a Windows pod: the check does not apply"),
        ],
    };

    public override bool AppliesTo(PodSpecView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.IsWindows ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has no read-only root filesystem setting" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            var securityContext = YamlSource.Child(container, "securityContext");
            if (YamlSource.Boolean(securityContext, "readOnlyRootFilesystem") != true)
            {
                var node = YamlSource.Child(securityContext, "readOnlyRootFilesystem") ?? securityContext ?? container;
                yield return Finding.For(Rule, context.Target, subject.At(path + ".securityContext.readOnlyRootFilesystem", node), $"Container {name} of {subject.ObjectName} does not set readOnlyRootFilesystem: true.");
            }
        }
    }
}
