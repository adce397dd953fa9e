namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>No AppArmor profile or SELinux type confines the container.</summary>
public sealed class NoSecurityLabel : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-012",
        Title = "No AppArmor profile or SELinux type confines the container",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "The article's second runtime hardening layer is a mandatory access control label: Docker's and containerd's docker-default AppArmor profile denies mount, writes to /proc and /sys and ptrace of outside processes; SELinux's container_t confines a container to its own files (MCS categories). This process is unconfined (AppArmor 'unconfined' or a profile in complain mode; SELinux spc_t or unconfined_t), or no module labels it at all, so a missing capability or seccomp rule is the last check left.",
        Remediation = "Run with the runtime's default label (no --security-opt apparmor=unconfined or label=disable; Kubernetes: appArmorProfile type RuntimeDefault, seLinuxOptions left to the runtime) on a host where AppArmor or SELinux is enabled; `strata` can audit the host's LSM (KRN-022).",
        References = ["https://docs.docker.com/engine/security/apparmor/", "https://kubernetes.io/docs/tutorials/security/apparmor/"],
        Equivalents = ["amicontained (AppArmor profile)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/attr/current = unconfined", true, "apparmor=unconfined"),
            new RuleExample(DockerMark + "/proc/self/attr/current = system_u:system_r:spc_t:s0", true, "SELinux super-privileged container"),
            new RuleExample(DockerMark + "/proc/self/attr/current = docker-default (enforce)", false),
            new RuleExample(DockerMark + "/proc/self/attr/current = system_u:system_r:container_t:s0:c123,c456", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        if (!view.Label.Confined)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/attr/current", Subject = view.Label.Module ?? "lsm" }, $"No mandatory access control confines this container: {view.Label.Describe()}.", Evidence.Plain(view.Label.Label ?? "no label"));
        }
    }
}
