namespace Strata.Kernel.Containment;

using System.Text.RegularExpressions;

/// <summary>
/// Which engine started the container this process runs in, and whether Kubernetes runs it, from the marks each one
/// leaves: files (/.dockerenv, /run/.containerenv, /run/systemd/container), PID 1's <c>container=</c> variable, cgroup
/// paths, the root filesystem's storage directory, Kubernetes' service variables and service-account mount. Every
/// mark found is kept as evidence; the engine is the one with the most specific mark.
/// </summary>
public sealed partial record ContainerRuntimeDetection(string? Engine, bool Kubernetes, IReadOnlyList<string> Evidence)
{
    /// <summary>Engines in the order their marks are trusted: a file the engine writes beats a cgroup or storage path.</summary>
    private static readonly (string Engine, Regex Pattern)[] CgroupMarks =
    [
        ("docker", DockerCgroup()),
        ("podman", PodmanCgroup()),
        ("cri-o", CrioCgroup()),
        ("containerd", ContainerdCgroup()),
        ("lxc", LxcCgroup()),
        ("systemd-nspawn", NspawnCgroup()),
    ];

    private static readonly (string Engine, string Fragment)[] StorageMarks =
    [
        ("docker", "/var/lib/docker/"),
        ("podman", "/var/lib/containers/storage/"),
        ("podman", "/.local/share/containers/storage/"),
        ("containerd", "/var/lib/containerd/"),
        ("containerd", "/run/containerd/io.containerd."),
        ("containerd", "/var/lib/rancher/k3s/agent/containerd/"),
        ("lxc", "/var/lib/lxc/"),
        ("lxc", "/var/snap/lxd/"),
        ("systemd-nspawn", "/var/lib/machines/"),
    ];

    public bool Detected => Engine is not null || Evidence.Count > 0;

    public string Describe() => (Engine, Kubernetes) switch
    {
        (null, false) => Evidence.Count > 0 ? "a container (engine unknown)" : "none detected",
        (null, true) => "Kubernetes (engine unknown)",
        ({ } engine, false) => engine,
        ({ } engine, true) => $"{engine} under Kubernetes",
    };

    /// <param name="namespaces">This process's namespaces; a PID namespace other than the host's is a mark of its own.</param>
    /// <param name="mounts">This process's mount table, or null when unreadable.</param>
    public static ContainerRuntimeDetection Detect(HostSnapshot host, IReadOnlyList<NamespaceState> namespaces, MountTable? mounts)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(namespaces);
        var evidence = new List<string>();
        var engines = new List<string>();
        if (host.Exists("/.dockerenv"))
        {
            engines.Add("docker");
            evidence.Add("/.dockerenv exists (Docker writes it)");
        }

        if (host.Read("/run/.containerenv") is { } containerenv)
        {
            // Podman writes engine="podman-VERSION"; CRI-O writes the file too, empty.
            var engine = containerenv.Contains("engine=\"podman", StringComparison.Ordinal) || containerenv.Contains("engine=\"buildah", StringComparison.Ordinal) ? "podman" : containerenv.Trim().Length == 0 ? "cri-o" : "podman";
            engines.Add(engine);
            evidence.Add("/run/.containerenv exists" + (containerenv.Trim().Length > 0 ? " (" + FirstField(containerenv, "engine") + ")" : string.Empty));
        }

        foreach (var environ in new[] { "/proc/1/environ", "/proc/self/environ" })
        {
            if (Variable(host.Read(environ), "container") is { } value && value.Length > 0)
            {
                engines.Add(NormalizeEngine(value));
                evidence.Add($"{environ}: container={Trim(value)}");
                break;
            }
        }

        if (host.Read("/run/systemd/container")?.Trim() is { Length: > 0 } systemdContainer)
        {
            engines.Add(NormalizeEngine(systemdContainer));
            evidence.Add($"/run/systemd/container: {Trim(systemdContainer)}");
        }

        var kubernetes = false;
        foreach (var cgroupFile in new[] { "/proc/self/cgroup", "/proc/1/cgroup" })
        {
            if (host.Read(cgroupFile) is not { } cgroups)
            {
                continue;
            }

            foreach (var (engine, pattern) in CgroupMarks)
            {
                if (pattern.Match(cgroups) is { Success: true } match)
                {
                    engines.Add(engine);
                    evidence.Add($"{cgroupFile}: {Trim(match.Value)}");
                    break;
                }
            }

            if (cgroups.Contains("kubepods", StringComparison.Ordinal))
            {
                kubernetes = true;
                evidence.Add($"{cgroupFile}: a kubepods cgroup (the kubelet's)");
            }

            break;
        }

        if (mounts?.RootMount is { } root)
        {
            var where = root.FileSystem == "overlay" ? root.SuperOptions : root.Root;
            foreach (var (engine, fragment) in StorageMarks)
            {
                if (where.Contains(fragment, StringComparison.Ordinal))
                {
                    engines.Add(engine);
                    evidence.Add($"the root filesystem lives under {fragment.TrimEnd('/')} ({root.FileSystem})");
                    break;
                }
            }

            // A btrfs host mounts a subvolume (/@) as its root; that is not a container bundle.
            var subvolume = root.FileSystem == "btrfs" && root.SuperOptions.Contains("subvol=" + root.Root, StringComparison.Ordinal);
            if (root.Root != "/" && root.FileSystem != "overlay" && !subvolume)
            {
                evidence.Add($"the root filesystem is the directory {Trim(root.Root)} of {root.Source} (a container bundle)");
            }
            else if (root.FileSystem == "overlay" && !evidence.Any(e => e.StartsWith("the root filesystem", StringComparison.Ordinal)))
            {
                evidence.Add("the root filesystem is an overlay (an image's layers)");
            }

            if (mounts.Mounts.Any(m => m.Root.Contains("/var/lib/kubelet/pods/", StringComparison.Ordinal)))
            {
                kubernetes = true;
                evidence.Add("files are mounted from /var/lib/kubelet/pods (the kubelet's)");
            }
        }

        if (Variable(host.Read("/proc/self/environ"), "KUBERNETES_SERVICE_HOST") is not null)
        {
            kubernetes = true;
            evidence.Add("KUBERNETES_SERVICE_HOST is set");
        }

        if (host.Exists("/var/run/secrets/kubernetes.io/serviceaccount") || host.Exists("/run/secrets/kubernetes.io/serviceaccount"))
        {
            kubernetes = true;
            evidence.Add("a Kubernetes service account is mounted at /var/run/secrets/kubernetes.io/serviceaccount");
        }

        if (namespaces.FirstOrDefault(n => n.Type == "pid") is { Initial: false })
        {
            evidence.Add("the PID namespace is not the host's");
        }

        return new ContainerRuntimeDetection(engines.FirstOrDefault(), kubernetes, evidence);
    }

    private static string NormalizeEngine(string value) => value.Trim().ToLowerInvariant() switch
    {
        "oci" => "oci (runc or crun)",
        "crio" or "cri-o" => "cri-o",
        "lxc" or "lxc-libvirt" => "lxc",
        "systemd-nspawn" => "systemd-nspawn",
        var other => Trim(other),
    };

    /// <summary>A NAME=value variable of a NUL-separated environ file.</summary>
    private static string? Variable(string? environ, string name) =>
        environ?.Split('\0').FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>
    /// The engine and container ID a process's /proc/PID/cgroup places it in (a 64-hex-digit ID in a docker, libpod,
    /// crio, cri-containerd or kubepods path), or null for a process outside any container.
    /// </summary>
    public static (string Engine, string Id)? ContainerOf(string cgroups)
    {
        ArgumentNullException.ThrowIfNull(cgroups);
        if (ContainerId().Match(cgroups) is not { Success: true } id)
        {
            return null;
        }

        var engine = CgroupMarks.FirstOrDefault(m => m.Pattern.IsMatch(cgroups)).Engine
            ?? (cgroups.Contains("kubepods", StringComparison.Ordinal) ? "kubernetes" : "container");
        return (engine, id.Groups[1].Value);
    }

    private static string FirstField(string text, string key) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal)) is { } line ? Trim(line) : key + " unknown";

    /// <summary>Text from the inspected machine, shortened for one report line (a container ID is 64 hex digits).</summary>
    private static string Trim(string text) => Strata.Core.Findings.Redaction.Quote(text.Trim(), 100).Trim('\'');

    [GeneratedRegex(@"(?:/docker/|docker-|libpod-|crio-|cri-containerd-|/k8s\.io/|kubepods[^\n]*/)([0-9a-f]{64})(?:\.scope)?(?:/|\n|$)")]
    private static partial Regex ContainerId();

    [GeneratedRegex(@"(/docker/[0-9a-f]{12,64}|docker-[0-9a-f]{12,64}\.scope|/actions_job/[0-9a-f]{12,64})")]
    private static partial Regex DockerCgroup();

    [GeneratedRegex(@"libpod[-_][0-9a-f]{12,64}|/libpod_parent/")]
    private static partial Regex PodmanCgroup();

    [GeneratedRegex(@"crio-[0-9a-f]{12,64}|/crio/")]
    private static partial Regex CrioCgroup();

    [GeneratedRegex(@"cri-containerd-[0-9a-f]{12,64}|/containerd/|/k8s\.io/[0-9a-f]{64}")]
    private static partial Regex ContainerdCgroup();

    [GeneratedRegex(@"/lxc/|/lxc\.payload|lxc\.monitor")]
    private static partial Regex LxcCgroup();

    [GeneratedRegex(@"machine\.slice/machine-[^/\n]+\.scope|/systemd-nspawn")]
    private static partial Regex NspawnCgroup();
}
