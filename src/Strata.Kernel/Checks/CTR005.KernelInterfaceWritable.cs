namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>/proc/sys, /proc/sysrq-trigger or /sys is writable in the container.</summary>
public sealed class KernelInterfaceWritable : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-005",
        Title = "/proc/sys, /proc/sysrq-trigger or /sys is writable in the container",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "Runtimes mount /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus and /sys read-only because most of what they hold is not namespaced: kernel.core_pattern set to a pipe makes the host kernel run a program of the container's choosing as root on the next crash, /proc/sysrq-trigger reboots or crashes the host, /sys/kernel/uevent_helper is run by the kernel on device events.",
        Remediation = "Keep the runtime's read-only paths (do not run privileged; Kubernetes: do not set procMount: Unmasked; Docker: do not pass --security-opt systempaths=unconfined). Namespaced sysctls a workload needs are set with --sysctl or the Pod's securityContext.sysctls.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#readonly-paths", "https://man7.org/linux/man-pages/man5/core.5.html"],
        Equivalents = ["amicontained (writable /proc)", "deepce (core_pattern, sysrq)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/sys/kernel/core_pattern = core\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw", true, "/proc/sys not remounted read-only (systempaths=unconfined)"),
            new RuleExample(DockerMark + "/proc/sys/kernel/core_pattern = core\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw\\n3 2 0:5 /sys /proc/sys ro,nosuid - proc proc rw", false, "the runtime's defaults"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.WritableKernelInterface, "Writable:");
}
