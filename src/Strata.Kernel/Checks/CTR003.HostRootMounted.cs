namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>The host's root filesystem, or a whole host disk, is mounted in the container.</summary>
public sealed class HostRootMounted : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-003",
        Title = "The host's root filesystem is mounted in the container",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "A bind mount of the host's / (hostPath: /, -v /:/host) gives the container every host file: /etc/shadow, SSH keys, the kubelet's credentials, and, when writable, cron jobs, systemd units and binaries the host runs as root. A whole host filesystem mounted read-only still leaks every secret on it.",
        Remediation = "Mount only the host directories the workload needs, read-only, never /. Monitoring agents that read host files should get the specific paths (/proc, /sys, /var/log) with readOnly: true; the Pod Security Standards' baseline level forbids hostPath volumes.",
        References = ["https://kubernetes.io/docs/concepts/storage/volumes/#hostpath", "https://docs.docker.com/engine/storage/bind-mounts/"],
        Equivalents = ["amicontained (mounts)", "deepce (host mounts)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 / /host rw,relatime - ext4 /dev/vda1 rw\n/host/etc/passwd = root:x:0:0::/root:/bin/sh\n/host/proc", true, "-v /:/host"),
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 /srv/data /data rw,relatime - ext4 /dev/vda1 rw", false, "a bind mount of one data directory"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.HostRoot, "Mounted at");
}
