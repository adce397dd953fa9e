namespace Strata.Kernel.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>The container's root user is the host's root user: no user namespace remaps it.</summary>
public sealed class RootIsHostRoot : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-010",
        Title = "Root in the container is root on the host",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "The process runs as UID 0 and no user namespace maps that UID to an unprivileged one on the host (uid_map '0 0 4294967295'). Every other layer of isolation then stands between a compromised process and host root: a file reachable through a mount, a kernel bug, a runtime bug such as CVE-2019-5736 (overwriting the host's runc) all act as real root. With a user namespace (Docker's userns-remap, Podman rootless, Kubernetes hostUsers: false) the same escape lands as an unprivileged host user.",
        Remediation = "Run the workload as a non-root user (USER in the image; runAsNonRoot and runAsUser in Kubernetes), and where the runtime supports it, in a user namespace: Docker --userns-remap, Podman rootless or --userns=auto, Kubernetes hostUsers: false.",
        References = ["https://man7.org/linux/man-pages/man7/user_namespaces.7.html", "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"],
        Equivalents = ["amicontained (user namespace)", "docker-bench-security 2.9 (user namespace support)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/status = Uid:\t0\t0\t0\t0\n/proc/self/uid_map = 0 0 4294967295", true, "root, no user namespace"),
            new RuleExample(DockerMark + "/proc/self/status = Uid:\t0\t0\t0\t0\n/proc/self/uid_map = 0 100000 65536\n/proc/self/ns/user = user:[4026532300]", false, "root mapped to host UID 100000"),
            new RuleExample(DockerMark + "/proc/self/status = Uid:\t1000\t1000\t1000\t1000\n/proc/self/uid_map = 0 0 4294967295", false, "a non-root user"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        if (view.Uid == 0 && view.RootIsHostRoot)
        {
            var map = view.UidMap.Count == 0 ? "no uid_map" : string.Join("; ", view.UidMap);
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/uid_map", Subject = "uid 0" }, string.Create(CultureInfo.InvariantCulture, $"The process runs as UID 0 and UID 0 is the host's root (uid_map: {map})."), Evidence.Plain(map));
        }
    }
}
