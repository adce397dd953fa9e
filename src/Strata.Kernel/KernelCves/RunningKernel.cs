namespace Strata.Kernel.KernelCves;

using System.Text.RegularExpressions;

/// <summary>Who built the running kernel, which decides whether its version number tells which fixes it has.</summary>
public enum KernelBuilder
{
    /// <summary>An upstream or self-built kernel: the version says which stable fixes it has.</summary>
    Upstream,

    /// <summary>Debian: the package version follows an upstream stable release (6.1.76-1 is 6.1.76); fixes may be backported before it.</summary>
    Debian,

    /// <summary>Ubuntu: /proc/version_signature names the upstream stable release the package is based on.</summary>
    Ubuntu,

    /// <summary>Fedora: follows upstream stable releases closely.</summary>
    Fedora,

    /// <summary>RHEL and its rebuilds (CentOS, Rocky, AlmaLinux, Oracle): a frozen base with thousands of backports; the version says nothing about fixes.</summary>
    RedHat,

    /// <summary>Another distribution's build (a suffix Strata does not know): backports unknown.</summary>
    Vendor,
}

/// <summary>
/// The running kernel as the host shows it: <c>uname -r</c> (/proc/sys/kernel/osrelease), <c>/proc/version</c> and, on
/// Ubuntu, <c>/proc/version_signature</c>; the upstream version it is based on and who built it.
/// </summary>
public sealed partial record RunningKernel(string Release, string? ProcVersion, KernelBuilder Builder, KernelVersion? Upstream, string? PackageVersion)
{
    /// <summary>True when the distribution may carry fixes the upstream version number does not show.</summary>
    public bool MayBackport => Builder is not KernelBuilder.Upstream;

    /// <summary>"Debian 6.1.76-1 (upstream 6.1.76)", "upstream 6.8.0", "RHEL 4.18.0-513.el8.x86_64".</summary>
    public string Describe() => Builder switch
    {
        KernelBuilder.Upstream => $"upstream {Upstream?.ToString() ?? Release}",
        KernelBuilder.RedHat => $"Red Hat build {Release}",
        _ => $"{Builder} {PackageVersion ?? Release}{(Upstream is { } upstream ? $" (based on upstream {upstream})" : string.Empty)}",
    };

    /// <summary>Reads the running kernel from a host snapshot, or null when its release cannot be read.</summary>
    public static RunningKernel? Of(HostSnapshot host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.KernelRelease is { Length: > 0 } release ? From(release, host.Read("/proc/version"), host.Read("/proc/version_signature")) : null;
    }

    /// <param name="release">uname -r.</param>
    /// <param name="procVersion">/proc/version, when readable.</param>
    /// <param name="versionSignature">Ubuntu's /proc/version_signature, when present.</param>
    public static RunningKernel From(string release, string? procVersion, string? versionSignature)
    {
        ArgumentNullException.ThrowIfNull(release);
        release = release.Trim();
        procVersion = procVersion?.Trim();
        KernelVersion? fromRelease = KernelVersion.TryParse(release, out var parsed) ? parsed : null;

        // Ubuntu: "Ubuntu 5.15.0-91.101-generic 5.15.131": the last field is the upstream stable release.
        if (versionSignature is not null && UbuntuSignature().Match(versionSignature) is { Success: true } ubuntu
            && KernelVersion.TryParse(ubuntu.Groups["upstream"].Value, out var ubuntuUpstream))
        {
            return new RunningKernel(release, procVersion, KernelBuilder.Ubuntu, ubuntuUpstream, ubuntu.Groups["package"].Value);
        }

        // Debian: "... #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)": the package version follows upstream stable.
        // The compiler's own "(Debian 12.2.0-14)" comes first; the kernel package follows the build number ("#1 SMP …").
        var build = procVersion is null ? null : procVersion[(procVersion.LastIndexOf('#') + 1)..];
        if (build is not null && DebianPackage().Match(build) is { Success: true } debian
            && KernelVersion.TryParse(debian.Groups["package"].Value, out var debianUpstream))
        {
            return new RunningKernel(release, procVersion, KernelBuilder.Debian, debianUpstream, debian.Groups["package"].Value);
        }

        if (RedHatRelease().IsMatch(release))
        {
            return new RunningKernel(release, procVersion, KernelBuilder.RedHat, fromRelease, release);
        }

        if (FedoraRelease().IsMatch(release))
        {
            return new RunningKernel(release, procVersion, KernelBuilder.Fedora, fromRelease, release);
        }

        if (release.Contains("-generic", StringComparison.Ordinal) || release.Contains("ubuntu", StringComparison.OrdinalIgnoreCase))
        {
            // An Ubuntu kernel without its signature file: X.Y.0-ABI says nothing about the stable release.
            return new RunningKernel(release, procVersion, KernelBuilder.Ubuntu, null, release);
        }

        // 6.8.0, 6.1.76, 6.9.0-rc3, 6.6.30-gentoo: treated as upstream when only a local suffix follows the version.
        var vendor = UpstreamRelease().IsMatch(release) ? KernelBuilder.Upstream : KernelBuilder.Vendor;
        return new RunningKernel(release, procVersion, vendor, fromRelease, vendor == KernelBuilder.Upstream ? null : release);
    }

    [GeneratedRegex(@"^Ubuntu (?<package>\S+) (?<upstream>[0-9]+\.[0-9]+(?:\.[0-9]+)?)\s*$")]
    private static partial Regex UbuntuSignature();

    [GeneratedRegex(@"\bDebian (?<package>[0-9]+\.[0-9]+(?:\.[0-9]+)?-[0-9A-Za-z.+~]+)")]
    private static partial Regex DebianPackage();

    [GeneratedRegex(@"\.el[0-9]+(?:_[0-9]+)?(?:\.|$)")]
    private static partial Regex RedHatRelease();

    [GeneratedRegex(@"\.fc[0-9]+(?:\.|$)")]
    private static partial Regex FedoraRelease();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+(?:\.[0-9]+)?(?:-rc[0-9]+)?(?:[-+][A-Za-z][A-Za-z0-9_.-]*)?$")]
    private static partial Regex UpstreamRelease();
}
