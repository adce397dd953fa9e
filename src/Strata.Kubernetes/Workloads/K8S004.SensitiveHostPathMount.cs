namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>A hostPath volume of a sensitive host path: a container runtime socket, the root, kernel interfaces, node credentials.</summary>
public sealed class SensitiveHostPathMount : Check<PodSpecView>
{
    /// <summary>Host paths whose mount hands over the node or its secrets (the list of RUN-008, with the node's Kubernetes paths).</summary>
    private static readonly Dictionary<string, (Severity Severity, string Why)> Sensitive = new(StringComparer.Ordinal)
    {
        ["/"] = (Severity.Critical, "the node's root filesystem"),
        ["/var/run/docker.sock"] = (Severity.Critical, "the Docker API socket: root on the node"),
        ["/run/docker.sock"] = (Severity.Critical, "the Docker API socket: root on the node"),
        ["/var/run/cri-dockerd.sock"] = (Severity.Critical, "the cri-dockerd socket: root on the node"),
        ["/run/containerd/containerd.sock"] = (Severity.Critical, "the containerd socket: root on the node"),
        ["/var/run/containerd/containerd.sock"] = (Severity.Critical, "the containerd socket: root on the node"),
        ["/run/k3s/containerd/containerd.sock"] = (Severity.Critical, "k3s's containerd socket: root on the node"),
        ["/var/run/crio/crio.sock"] = (Severity.Critical, "the CRI-O socket: root on the node"),
        ["/run/crio/crio.sock"] = (Severity.Critical, "the CRI-O socket: root on the node"),
        ["/run/podman/podman.sock"] = (Severity.Critical, "the Podman API socket: root on the node"),
        ["/var/run/podman/podman.sock"] = (Severity.Critical, "the Podman API socket: root on the node"),
        ["/run"] = (Severity.Critical, "the node's /run, with every runtime socket"),
        ["/var/run"] = (Severity.Critical, "the node's /var/run, with every runtime socket"),
        ["/etc"] = (Severity.High, "the node's configuration (shadow, sudoers, cron, systemd units)"),
        ["/proc"] = (Severity.High, "the node's /proc (host processes, /proc/sys, /proc/sysrq-trigger)"),
        ["/sys"] = (Severity.High, "the node's /sys (cgroups, kernel parameters, firmware)"),
        ["/dev"] = (Severity.High, "every device node of the node"),
        ["/boot"] = (Severity.High, "the node's kernels and boot loader"),
        ["/lib"] = (Severity.High, "the node's libraries and kernel modules"),
        ["/usr"] = (Severity.High, "the node's programs"),
        ["/root"] = (Severity.High, "root's home (ssh keys, credentials)"),
        ["/home"] = (Severity.High, "the users' homes (ssh keys, credentials)"),
        ["/var/lib/kubelet"] = (Severity.High, "the kubelet's state: every pod's secrets and service account tokens"),
        ["/var/lib/kubelet/pods"] = (Severity.High, "every pod's volumes, secrets and tokens"),
        ["/var/lib/kubelet/pki"] = (Severity.High, "the kubelet's client and serving keys"),
        ["/etc/kubernetes"] = (Severity.High, "the node's Kubernetes credentials and static pods"),
        ["/var/lib/etcd"] = (Severity.High, "etcd's data: every object of the cluster, Secrets included"),
        ["/var/lib/docker"] = (Severity.High, "Docker's state: every container's filesystem"),
        ["/var/lib/containerd"] = (Severity.High, "containerd's state: every container's filesystem"),
        ["/var/lib/containers"] = (Severity.High, "the containers/storage of Podman and CRI-O"),
        ["/var/log"] = (Severity.Medium, "the node's logs (and, through symlinks the kubelet follows, node files)"),
    };

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-004",
        Title = "Sensitive host path or container runtime socket mounted",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "A hostPath volume of the node's /, /etc, /proc, /sys, /dev, a container runtime socket (Docker, containerd, CRI-O, Podman), the kubelet's or etcd's directory or a home directory gives the pod the node: a runtime socket starts a privileged container beside it (CRITICAL, even read-only), / and /etc take users, cron and keys, the kubelet's directory holds every pod's secrets. Other hostPath volumes are left to the Pod Security Standards rules (baseline forbids every hostPath); Polaris hostPathSet and kubescape C-0048 flag every hostPath the same way, so they are not this rule's equivalents.",
        Remediation = "Remove the hostPath volume. Give the workload the one piece it needs (a ConfigMap, a CSI driver, a projected token) read-only; an agent that must drive the runtime should do so through an authorizing proxy, on dedicated nodes.",
        References =
        [
            "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        ],
        Equivalents = ["kubescape C-0074", "kube-linter sensitive-host-mounts", "kube-linter docker-sock", "kubesec DockerSock", "kubesec ProcMount"],
        Examples =
        [
            new RuleExample("containers:\n- name: agent\n  image: agent:1.0\nvolumes:\n- name: docker\n  hostPath:\n    path: /var/run/docker.sock", true, "CRITICAL: the runtime socket"),
            new RuleExample("containers:\n- name: agent\n  image: agent:1.0\nvolumes:\n- name: host\n  hostPath:\n    path: /", true),
            new RuleExample("containers:\n- name: agent\n  image: agent:1.0\nvolumes:\n- name: certs\n  hostPath:\n    path: /etc/ssl/certs", false, "a hostPath that is not sensitive (PSS baseline still flags it)"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (YamlSource.Child(subject.Spec, "volumes") is not YamlSequenceNode volumes)
        {
            yield break;
        }

        var index = -1;
        foreach (var volume in volumes)
        {
            index++;
            var pathNode = YamlSource.Child(YamlSource.Child(volume, "hostPath"), "path");
            if (pathNode is not YamlScalarNode { Value: { Length: > 0 } raw })
            {
                continue;
            }

            var path = Normalize(raw);
            (Severity Severity, string Why) sensitive;
            if (!Sensitive.TryGetValue(path, out sensitive))
            {
                if (!path.EndsWith(".sock", StringComparison.Ordinal) || !RuntimeSocket(path))
                {
                    continue;
                }

                sensitive = (Severity.Critical, "a container runtime socket: root on the node");
            }

            var volumeName = YamlSource.Scalar(volume, "name") ?? $"#{index}";
            var users = Mounts(subject, volumeName).ToList();
            var how = users.Count == 0 ? "declared" : "mounted by " + string.Join(", ", users);
            var location = subject.At($"{subject.SpecPath}.volumes[{index}].hostPath.path", pathNode);
            yield return Finding.For(Rule, context.Target, location, $"Volume {volumeName} of {subject.ObjectName} is the node's {path} ({how}): {sensitive.Why}.", Evidence.Plain("hostPath: " + raw), sensitive.Severity);
        }
    }

    private static bool RuntimeSocket(string path) =>
        path.EndsWith("/docker.sock", StringComparison.Ordinal) || path.EndsWith("/containerd.sock", StringComparison.Ordinal)
        || path.EndsWith("/crio.sock", StringComparison.Ordinal) || path.EndsWith("/podman.sock", StringComparison.Ordinal)
        || path.EndsWith("/cri-dockerd.sock", StringComparison.Ordinal);

    /// <summary>The containers that mount the volume, e.g. <c>agent (writable)</c>.</summary>
    private static IEnumerable<string> Mounts(PodSpecView subject, string volumeName)
    {
        foreach (var (container, _, name) in subject.Containers())
        {
            if (YamlSource.Child(container, "volumeMounts") is not YamlSequenceNode mounts)
            {
                continue;
            }

            foreach (var mount in mounts)
            {
                if (YamlSource.Scalar(mount, "name") == volumeName)
                {
                    yield return YamlSource.Boolean(mount, "readOnly") == true ? $"{name} (read-only)" : $"{name} (writable)";
                }
            }
        }
    }

    private static string Normalize(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
