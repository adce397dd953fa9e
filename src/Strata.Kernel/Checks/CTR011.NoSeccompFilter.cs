namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>The container runs without a seccomp filter.</summary>
public sealed class NoSeccompFilter : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-011",
        Title = "The container runs without a seccomp filter",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "The article hardens workloads with seccomp allowlists: the runtimes' default profiles block the system calls most kernel escapes begin with (unshare of a user namespace, keyctl, bpf, userfaultfd, mount, io_uring in newer profiles). /proc/self/status shows Seccomp: 0, so every system call the kernel has is open to this container; Kubernetes runs pods unconfined unless seccompProfile is set.",
        Remediation = "Run with the runtime's default profile (Docker and Podman apply it unless --security-opt seccomp=unconfined; Kubernetes: securityContext.seccompProfile.type: RuntimeDefault, or the kubelet's --seccomp-default) or a profile recorded for the workload (`strata seccomp` can generate a minimal one).",
        References = ["https://kubernetes.io/docs/tutorials/security/seccomp/", "https://docs.docker.com/engine/security/seccomp/"],
        Equivalents = ["amicontained (seccomp)", "kubescape C-0210 (seccomp profile)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/status = Seccomp:\t0\\nSeccomp_filters:\t0", true, "seccomp=unconfined"),
            new RuleExample(DockerMark + "/proc/self/status = Seccomp:\t2\\nSeccomp_filters:\t1", false, "the runtime's default profile"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        if (view.SeccompMode == 0)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/status", Subject = "Seccomp" }, "No seccomp filter applies to this container (Seccomp: 0): every system call of the kernel is reachable.", Evidence.Plain("Seccomp: 0"));
        }
    }
}
