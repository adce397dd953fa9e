namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A cgroup v1 hierarchy with release_agent is writable in the container.</summary>
public sealed class CgroupReleaseAgentWritable : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-007",
        Title = "A cgroup v1 hierarchy with release_agent is writable in the container",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "When the last process of a cgroup v1 group with notify_on_release exits, the kernel runs the hierarchy's release_agent as root in the host's namespaces. A container that can write a cgroup v1 mount sets release_agent to a script of its own and escapes: the classic privileged-container escape and, through unshare of a user namespace, CVE-2022-0492. Runtimes mount /sys/fs/cgroup read-only for this reason.",
        Remediation = "Keep /sys/fs/cgroup read-only (do not run privileged, do not bind-mount the host's cgroup filesystem writable); move the host to cgroup v2, which has no release_agent; keep the runtime's seccomp profile and AppArmor/SELinux label, which block the mount and unshare steps.",
        References = ["https://nvd.nist.gov/vuln/detail/CVE-2022-0492", "https://unit42.paloaltonetworks.com/cve-2022-0492-cgroups/"],
        Equivalents = ["deepce (release_agent)", "amicontained (cgroups)"],
        Examples =
        [
            new RuleExample(DockerMark + "/sys/fs/cgroup/rdma/release_agent\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:30 / /sys/fs/cgroup/rdma rw,nosuid - cgroup cgroup rw,rdma", true, "a writable rdma hierarchy"),
            new RuleExample(DockerMark + "/sys/fs/cgroup/rdma/release_agent\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:30 / /sys/fs/cgroup/rdma ro,nosuid - cgroup cgroup rw,rdma", false, "mounted read-only, as runtimes do"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.WritableCgroup, "Writable:");
}
