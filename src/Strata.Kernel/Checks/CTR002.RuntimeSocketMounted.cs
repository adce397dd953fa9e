namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A container engine's API socket is reachable from inside the container.</summary>
public sealed class RuntimeSocketMounted : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-002",
        Title = "A container runtime's socket is reachable in the container",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "Whoever can connect to docker.sock, containerd.sock, crio.sock, podman.sock or the kubelet's sockets can ask the engine for a new container that is privileged and mounts the host's root: one API call from any process in this container is root on the host. A read-only bind mount does not help: connecting to a socket is not a write to the file.",
        Remediation = "Do not mount engine sockets into workloads. Tools that need the engine API (CI builders, monitoring) should use a rootless or daemonless builder (buildah, kaniko), a socket proxy that allows only the calls they need, or run on a dedicated node.",
        References = ["https://docs.docker.com/engine/security/#docker-daemon-attack-surface", "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
        Equivalents = ["amicontained (sockets)", "deepce (docker.sock)", "docker-bench-security 5.32"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 /run/docker.sock /var/run/docker.sock rw,relatime - tmpfs tmpfs rw", true, "-v /var/run/docker.sock:/var/run/docker.sock"),
            new RuleExample(DockerMark + "/proc/self/mountinfo = 1 0 0:50 / / rw - overlay overlay rw\\n2 1 254:1 /var/lib/docker/containers/abc/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw", false, "the engine's own bind mounts"),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context) =>
        ExposureFindings(view, context, ExposureKind.RuntimeSocket, "Runtime socket at");
}
