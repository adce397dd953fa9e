namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class SensitiveHostPathBindMounted : Check<RuntimeConfig>
{
    /// <summary>Host paths whose bind mount hands over the host (runtime sockets, the root, kernel interfaces) or its secrets and state.</summary>
    private static readonly Dictionary<string, (Severity Severity, string Why)> Sensitive = new(StringComparer.Ordinal)
    {
        ["/"] = (Severity.Critical, "the host's root filesystem"),
        ["/var/run/docker.sock"] = (Severity.Critical, "the Docker API socket: root on the host"),
        ["/run/docker.sock"] = (Severity.Critical, "the Docker API socket: root on the host"),
        ["/run/containerd/containerd.sock"] = (Severity.Critical, "the containerd socket: root on the host"),
        ["/var/run/containerd/containerd.sock"] = (Severity.Critical, "the containerd socket: root on the host"),
        ["/var/run/crio/crio.sock"] = (Severity.Critical, "the CRI-O socket: root on the host"),
        ["/run/crio/crio.sock"] = (Severity.Critical, "the CRI-O socket: root on the host"),
        ["/run/podman/podman.sock"] = (Severity.Critical, "the Podman API socket: root on the host"),
        ["/var/run/podman/podman.sock"] = (Severity.Critical, "the Podman API socket: root on the host"),
        ["/run"] = (Severity.Critical, "the host's /run, with every runtime socket"),
        ["/var/run"] = (Severity.Critical, "the host's /var/run, with every runtime socket"),
        ["/etc"] = (Severity.High, "the host's configuration (shadow, sudoers, cron, systemd units)"),
        ["/proc"] = (Severity.High, "the host's /proc (host processes, /proc/sys, /proc/sysrq-trigger)"),
        ["/sys"] = (Severity.High, "the host's /sys (cgroups, kernel parameters, firmware)"),
        ["/dev"] = (Severity.High, "every host device node"),
        ["/boot"] = (Severity.High, "the host's kernels and boot loader"),
        ["/root"] = (Severity.High, "root's home (ssh keys, credentials)"),
        ["/var/lib/kubelet"] = (Severity.High, "the kubelet's state: every pod's secrets and service account tokens"),
        ["/var/lib/kubelet/pods"] = (Severity.High, "every pod's volumes, secrets and tokens"),
        ["/etc/kubernetes"] = (Severity.High, "the node's Kubernetes credentials and static pods"),
        ["/var/lib/docker"] = (Severity.High, "Docker's state: every container's filesystem"),
        ["/var/lib/containerd"] = (Severity.High, "containerd's state: every container's filesystem"),
        ["/var/lib/containers"] = (Severity.High, "the containers/storage of Podman and CRI-O"),
        ["/var/log"] = (Severity.Medium, "the host's logs (and, through symlinks the kubelet follows, host files)"),
    };

    public override Rule Rule { get; } = new()
    {
        Id = "RUN-008",
        Title = "A sensitive host path is bind-mounted into the container",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "A bind mount of the host's /, /etc, /proc, /sys, /dev, a runtime socket (docker, containerd, CRI-O, Podman), the kubelet's directory or an engine's state directory gives the container the host: a runtime socket starts a privileged container, /etc takes users and cron, the kubelet's directory holds every pod's secrets. A read-only mount of a socket is still fully usable.",
        Remediation = "Remove the mount. A workload that needs one piece (a CA bundle, one log directory) should get that piece, read-only; one that drives the engine should go through an authorizing proxy.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#mounts", "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"],
        Equivalents = ["docker-bench-security 5.6 (sensitive host system directories)", "docker-bench-security 5.32 (Docker socket)", "kubescape C-0048 (hostPath mount)", "kubescape C-0074 (container runtime socket)"],
        Examples =
        [
            new RuleExample("""{"mounts": [{"destination": "/var/run/docker.sock", "type": "bind", "source": "/var/run/docker.sock", "options": ["rbind", "ro"]}]}""", true),
            new RuleExample("""{"mounts": [{"destination": "/host", "source": "/", "options": ["rbind", "rw"]}]}""", true, "bind mount told by its options"),
            new RuleExample("""{"mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}, {"destination": "/data", "type": "bind", "source": "/srv/app/data", "options": ["rbind", "rw"]}]}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.ArrayAt("mounts") is not { } mounts)
        {
            yield break;
        }

        var index = 0;
        foreach (var mount in mounts.EnumerateArray())
        {
            var at = $"$.mounts[{index++}]";
            if (mount.ValueKind != JsonValueKind.Object || !mount.TryGetProperty("source", out var sourceElement) || sourceElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var type = mount.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var options = mount.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Array ? o.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList() : [];
            if (type != "bind" && !options.Contains("bind") && !options.Contains("rbind"))
            {
                continue;
            }

            var source = Normalize(sourceElement.GetString()!);
            if (Sensitive.TryGetValue(source, out var sensitive))
            {
                var readOnly = options.Contains("ro") ? " (read-only)" : string.Empty;
                yield return Finding.For(Rule, context.Target, subject.AtPath(at + ".source", source), $"{source} is mounted{readOnly}: {sensitive.Why}.", Evidence.Plain(source), sensitive.Severity);
            }
        }
    }

    private static string Normalize(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
