namespace Strata.Kernel.Containment;

using System.Globalization;
using Strata.Core;
using Strata.Kernel.Capabilities;

/// <summary>
/// How contained the process that reads it is: the engine that started its container, its namespaces against the
/// host's, its user-namespace mapping, capabilities, seccomp mode, no_new_privs, LSM label, what of the host it can
/// reach through mounts and devices, and whether all that adds up to a privileged container. Read once from a
/// <see cref="HostSnapshot"/> ("/" from inside the container; a fixture tree in tests).
/// </summary>
public sealed class ContainmentView
{
    private ContainmentView(HostSnapshot host)
    {
        Namespaces = NamespaceState.Read(host);
        try
        {
            Mounts = host.ReadLarge("/proc/self/mountinfo") is { } mountinfo ? MountTable.Parse(mountinfo, "/proc/self/mountinfo") : null;
        }
        catch (StrataException e)
        {
            MountsError = e.Message;
        }

        Runtime = ContainerRuntimeDetection.Detect(host, Namespaces, Mounts);
        UidMap = IdMapping.Parse(host.Read("/proc/self/uid_map"));
        GidMap = IdMapping.Parse(host.Read("/proc/self/gid_map"));
        var status = host.Read("/proc/self/status");
        if (status is not null)
        {
            try
            {
                Capabilities = ProcessCapabilities.Parse(status, "/proc/self/status");
            }
            catch (StrataException e)
            {
                CapabilitiesError = e.Message;
            }

            SeccompMode = StatusNumber(status, "Seccomp");
            SeccompFilters = StatusNumber(status, "Seccomp_filters");
            NoNewPrivs = StatusNumber(status, "NoNewPrivs") is { } flag ? flag != 0 : null;
            Uid = status.Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?[4..].Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } uid
                && long.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        LastCap = int.TryParse(host.Read("/proc/sys/kernel/cap_last_cap")?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last is >= 0 and < 64 ? last : CapabilityCatalog.LastKnown;
        Label = SecurityLabel.Read(host);
        Exposures = ExposureScan.Find(host, Mounts);
        HostNetwork = HostInterfaces(host);
    }

    /// <summary>Network interfaces that only a host has (bridges, CNI and overlay devices, veth peers), when this process sees them.</summary>
    public IReadOnlyList<string> HostNetwork { get; }

    private static readonly string[] HostInterfacePrefixes = ["docker0", "br-", "virbr", "cni", "cbr0", "flannel", "cali", "veth", "kube-ipvs", "tunl", "weave", "vxlan", "cilium", "lxcbr", "lxdbr", "podman", "nerdctl"];

    private static List<string> HostInterfaces(HostSnapshot host)
    {
        var names = host.List("/sys/class/net", 4096).ToList();
        if (names.Count == 0 && host.Read("/proc/net/dev") is { } dev)
        {
            names = [.. dev.Split('\n').Skip(2).Select(l => l.Split(':')[0].Trim()).Where(n => n.Length > 0)];
        }

        return [.. names.Where(n => HostInterfacePrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))).Take(20)];
    }

    public ContainerRuntimeDetection Runtime { get; }

    /// <summary>True when any mark says this process runs in a container (see <see cref="ContainerRuntimeDetection"/>).</summary>
    public bool InContainer => Runtime.Detected;

    public IReadOnlyList<NamespaceState> Namespaces { get; }

    public IReadOnlyList<IdMapping> UidMap { get; }

    public IReadOnlyList<IdMapping> GidMap { get; }

    /// <summary>True when UID 0 here is UID 0 of the host: no user namespace, or one that maps root to root.</summary>
    public bool RootIsHostRoot => Namespaces.FirstOrDefault(n => n.Type == "user")?.Initial == true || UidMap.Count == 0 || UidMap.Any(m => m.RootOutside == 0 || m.IsIdentity);

    /// <summary>The real UID of this process (/proc/self/status Uid), or null.</summary>
    public long? Uid { get; }

    public ProcessCapabilities? Capabilities { get; }

    public string? CapabilitiesError { get; }

    /// <summary>The kernel's highest capability number (/proc/sys/kernel/cap_last_cap).</summary>
    public int LastCap { get; }

    /// <summary>0 none, 1 strict, 2 filter; null when the kernel has no seccomp.</summary>
    public int? SeccompMode { get; }

    /// <summary>The number of filters stacked on this process (Linux 5.9+), or null.</summary>
    public int? SeccompFilters { get; }

    public bool? NoNewPrivs { get; }

    public SecurityLabel Label { get; }

    public MountTable? Mounts { get; }

    public string? MountsError { get; }

    public IReadOnlyList<Exposure> Exposures { get; }

    /// <summary>Holds every capability the kernel has.</summary>
    public bool AllCapabilities => Capabilities?.Effective.IsFull(LastCap) == true;

    /// <summary>
    /// Docker's <c>--privileged</c> and Kubernetes' <c>privileged: true</c>, recognised by what they do: every capability,
    /// no seccomp filter, no confining LSM label, and /sys or /proc/sys writable or every device allowed.
    /// </summary>
    public bool Privileged => AllCapabilities && SeccompMode is 0 or null && !Label.Confined
        && Exposures.Any(e => e.Kind is ExposureKind.WritableKernelInterface or ExposureKind.AllDevicesAllowed);

    /// <summary>Why the container is or is close to privileged, for reports: each part of the verdict that holds.</summary>
    public IReadOnlyList<string> PrivilegeReasons
    {
        get
        {
            var reasons = new List<string>();
            if (AllCapabilities)
            {
                reasons.Add("every capability");
            }
            else if (Capabilities?.Effective.Contains("CAP_SYS_ADMIN") == true)
            {
                reasons.Add("CAP_SYS_ADMIN");
            }

            if (SeccompMode is 0)
            {
                reasons.Add("no seccomp filter");
            }

            if (!Label.Confined)
            {
                reasons.Add("no confining AppArmor/SELinux label");
            }

            reasons.AddRange(Exposures.Where(e => e.Kind is ExposureKind.WritableKernelInterface or ExposureKind.AllDevicesAllowed).Select(e => e.Path + " " + (e.Kind == ExposureKind.AllDevicesAllowed ? "allows every device" : "writable")));
            return reasons;
        }
    }

    public static ContainmentView Read(HostSnapshot host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new ContainmentView(host);
    }

    public string SeccompDescription => SeccompMode switch
    {
        null => "not supported by the kernel",
        0 => "disabled (no filter)",
        1 => "strict",
        2 => SeccompFilters is { } count ? string.Create(CultureInfo.InvariantCulture, $"filtering ({count} filter{(count == 1 ? string.Empty : "s")})") : "filtering",
        var other => string.Create(CultureInfo.InvariantCulture, $"mode {other}"),
    };

    private static int? StatusNumber(string status, string field)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return int.TryParse(line.AsSpan(field.Length + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }
}
