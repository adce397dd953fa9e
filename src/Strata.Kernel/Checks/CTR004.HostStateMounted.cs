namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A host directory that holds host or cluster state is mounted in the container.</summary>
public sealed class HostStateMounted : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-004",
        Title = "A host directory with host or cluster state is mounted",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "Host directories such as /var/lib/kubelet (every pod's secrets), /etc/kubernetes (node credentials), /var/lib/docker and /var/lib/containerd (every image and container), /etc, /root, /var/log (the kubelet follows symlinks planted there when it serves logs), /lib/modules or a host /proc or /dev give the container host state to read or change. Each is a known step from a container to the node.",
        Remediation = "Remove the hostPath or bind mount, or narrow it to the one file the workload needs, read-only. Logging and monitoring agents: mount only /var/log/pods or /var/log/containers read-only and run them without write access elsewhere.",
        References = ["https://kubernetes.io/docs/concepts/storage/volumes/#hostpath", "https://blog.aquasec.com/kubernetes-security-pod-escape-log-mounts"],
        Equivalents = ["amicontained (mounts)", "kubescape C-0048 (hostPath mount)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 /var/lib/kubelet /var/lib/kubelet rw,relatime - ext4 /dev/vda1 rw", true, "the kubelet's directory"),
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 /var/lib/kubelet/pods/0c1d/volumes/kubernetes.io~empty-dir/cache /cache rw,relatime - ext4 /dev/vda1 rw", false, "the pod's own emptyDir"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.HostDirectory, "Mounted at");
}
