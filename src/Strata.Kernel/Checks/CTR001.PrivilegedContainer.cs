namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>The container runs privileged: nothing between it and the host kernel.</summary>
public sealed class PrivilegedContainer : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-001",
        Title = "The container runs privileged",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "Docker's --privileged and Kubernetes' privileged: true give the container every capability, no seccomp filter, no AppArmor or SELinux confinement, writable /sys and /proc/sys and every host device. Each of the article's runtime layers is switched off at once: mounting the host disk, loading a kernel module or writing a cgroup release_agent each turns a process in the container into root on the host.",
        Remediation = "Run without --privileged (Kubernetes: remove privileged: true; the Pod Security Standards' baseline level forbids it). Give the workload only the capabilities and devices it needs (--cap-add, --device), keep the runtime's default seccomp profile and AppArmor/SELinux label.",
        References = ["https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
        Equivalents = ["amicontained (privileged detection)", "deepce (privileged mode)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/status = CapInh:\t0000000000000000\\nCapPrm:\t000001ffffffffff\\nCapEff:\t000001ffffffffff\\nCapBnd:\t000001ffffffffff\\nSeccomp:\t0\\nNoNewPrivs:\t0\n/proc/sys/kernel/cap_last_cap = 40\n/proc/sys/kernel/core_pattern = core\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw\\n3 1 0:6 / /sys rw,nosuid - sysfs sysfs rw\n/sys/kernel/uevent_helper", true, "docker run --privileged"),
            new RuleExample(DockerMark + "/proc/self/status = CapInh:\t0000000000000000\\nCapPrm:\t00000000a80425fb\\nCapEff:\t00000000a80425fb\\nCapBnd:\t00000000a80425fb\\nSeccomp:\t2\\nNoNewPrivs:\t0\n/proc/sys/kernel/cap_last_cap = 40\n/proc/self/attr/current = docker-default (enforce)\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw\\n3 2 0:5 /sys /proc/sys ro,nosuid - proc proc rw\\n4 1 0:6 / /sys ro,nosuid - sysfs sysfs ro", false, "Docker's defaults"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        if (view.Privileged)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/status", Subject = "privileged" }, $"The container is privileged: {string.Join(", ", view.PrivilegeReasons)}.", Evidence.Plain("CapEff=" + view.Capabilities?.Effective.ToHex()));
        }
    }
}
