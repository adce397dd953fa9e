namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A /proc or /sys file that runtimes mask is visible in the container.</summary>
public sealed class KernelFileUnmasked : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-006",
        Title = "A kernel file that runtimes mask is visible in the container",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Runtimes hide /proc/kcore, /proc/keys, /proc/timer_list, /proc/sched_debug, /proc/acpi, /proc/scsi and /sys/firmware behind /dev/null or an empty read-only tmpfs (the runtime spec's maskedPaths): they show kernel memory, every user's keyrings, kernel pointers that defeat KASLR, every host process, and firmware controls.",
        Remediation = "Keep the runtime's masked paths: do not run privileged, do not set Kubernetes' procMount: Unmasked or Docker's --security-opt systempaths=unconfined.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#masked-paths", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
        Equivalents = ["amicontained (masked paths)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/kcore\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw", true, "/proc/kcore not masked"),
            new RuleExample(DockerMark + "/proc/kcore\n/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 0:5 / /proc rw,nosuid - proc proc rw\\n3 2 0:7 /null /proc/kcore rw,nosuid - tmpfs tmpfs rw", false, "masked with /dev/null"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.UnmaskedKernelFile, "Visible:");
}
