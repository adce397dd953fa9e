namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>cgroup v1 hierarchies are mounted: their release_agent is the classic container escape.</summary>
public sealed class CgroupV1ReleaseAgent : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "KRN-020",
        Title = "cgroup v1 hierarchies are in use (release_agent escapes)",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "Each cgroup v1 hierarchy has a release_agent file at its root: a program the kernel runs as root in the host's namespaces when a cgroup empties. A container process that can mount a v1 hierarchy (CAP_SYS_ADMIN, or no capability at all in a new user namespace on kernels without the CVE-2022-0492 fix) writes a path of its own there and gets code run on the host. cgroup v2 has no release_agent. With v1 also comes weaker delegation and no unified memory/IO accounting for rootless containers.",
        Remediation = "Boot with the unified hierarchy only: add `systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all` to the kernel command line (GRUB_CMDLINE_LINUX), update-grub, reboot; Docker 20.10+, containerd 1.4+, CRI-O and Kubernetes 1.25+ support cgroup v2. Until then, keep CAP_SYS_ADMIN out of containers, run a kernel with the CVE-2022-0492 fix, and keep AppArmor/SELinux and the default seccomp profile on (both deny mount).",
        References =
        [
            "https://unit42.paloaltonetworks.com/cve-2022-0492-cgroups/",
            "https://www.kernel.org/doc/html/latest/admin-guide/cgroup-v2.html",
            "https://kubernetes.io/docs/concepts/architecture/cgroups/",
        ],
        Equivalents = ["docker-bench-security 2.x (cgroup usage, related)"],
        Examples =
        [
            new RuleExample("/proc/mounts = cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0", true, "a v1 memory hierarchy"),
            new RuleExample("/proc/mounts = cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0", false, "the unified hierarchy only"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Read("/proc/mounts") is null ? "/proc/mounts cannot be read" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var hierarchies = (subject.Read("/proc/mounts") ?? string.Empty)
            .Split('\n')
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length >= 4 && fields[2] == "cgroup")
            .Select(fields => fields[1])
            .ToList();
        if (hierarchies.Count == 0)
        {
            yield break;
        }

        var shown = string.Join(", ", hierarchies.Take(4)) + (hierarchies.Count > 4 ? $" and {hierarchies.Count - 4} more" : string.Empty);
        yield return Finding.For(
            Rule,
            context.Target,
            new Location { File = "/proc/mounts", Subject = hierarchies[0] },
            $"{hierarchies.Count} cgroup v1 hierarch{(hierarchies.Count == 1 ? "y is" : "ies are")} mounted ({shown}); each has a release_agent a container with mount rights can point at its own program.",
            Evidence.Plain($"cgroup v1 at {hierarchies[0]}"));
    }
}
