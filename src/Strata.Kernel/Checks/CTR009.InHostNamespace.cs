namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>The running container shares a namespace with the host: PID, IPC, UTS, cgroup, or the host's network.</summary>
public sealed class InHostNamespace : ContainerCheck
{
    private static readonly Dictionary<string, string> Consequences = new(StringComparer.Ordinal)
    {
        ["pid"] = "every host process is visible and, with CAP_SYS_PTRACE or the same UID, can be traced or signalled; /proc/1/root is the host's root",
        ["ipc"] = "the host's System V shared memory and message queues are readable and writable",
        ["uts"] = "sethostname changes the host's name",
        ["cgroup"] = "the host's whole cgroup tree is visible",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "CTR-009",
        Title = "The container shares a namespace with the host",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "Namespaces are the article's first line of isolation. A container in the host's PID namespace (--pid=host, hostPID) sees and can signal or trace host processes and reach the host's root through /proc/1/root; in the host's network namespace (--network=host, hostNetwork) it binds host ports and reaches services that listen on localhost, such as the kubelet's and cloud metadata; the host's IPC namespace (hostIPC) exposes shared memory. The kernel gives the initial PID, IPC, UTS, cgroup, user and time namespaces fixed inode numbers, so a shared one is recognised for certain; the host network is recognised by host-only interfaces (bridges, veth peers, CNI devices).",
        Remediation = "Do not run with --pid=host, --ipc=host, --uts=host, --network=host or Kubernetes' hostPID, hostIPC, hostNetwork (the Pod Security Standards' baseline level forbids them). Agents that need host data should get it through narrow mounts or an API instead.",
        References = ["https://man7.org/linux/man-pages/man7/namespaces.7.html", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
        Equivalents = ["amicontained (namespaces)", "kubescape C-0038 (host PID/IPC)", "kubescape C-0041 (host network)"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/ns/pid = pid:[4026531836]\n/proc/self/ns/ipc = ipc:[4026532178]", true, "--pid=host: the host's initial PID namespace"),
            new RuleExample(DockerMark + "/proc/self/ns/pid = pid:[4026532179]\n/proc/self/ns/ipc = ipc:[4026532178]\n/proc/self/ns/uts = uts:[4026532177]\n/sys/class/net/lo\n/sys/class/net/eth0", false, "its own namespaces"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        foreach (var ns in view.Namespaces.Where(n => n.SharedWithHost && Consequences.ContainsKey(n.Type)))
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/ns/" + ns.Type, Subject = ns.Type }, $"The container is in the host's {ns.Type} namespace: {Consequences[ns.Type]}.", Evidence.Plain($"{ns.Type}:[{ns.Inode}]"));
        }

        if (view.HostNetwork.Count > 0)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/sys/class/net", Subject = "net" }, $"The container sees host network interfaces ({string.Join(", ", view.HostNetwork)}): it is in the host's network namespace, binds host ports and reaches host-local services.", Evidence.Plain(string.Join(',', view.HostNetwork)));
        }
    }
}
