namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>A running container's processes are not confined although the host has AppArmor or enforcing SELinux.</summary>
public sealed class ContainerRunsUnconfined : Check<HostSnapshot>
{
    private const string LsmList = "/sys/kernel/security/lsm";

    /// <summary>Processes looked at; a host with more is checked for its first ones.</summary>
    private const int MaxProcesses = 20_000;

    public override Rule Rule { get; } = new()
    {
        Id = "KRN-025",
        Title = "A running container is not confined by AppArmor or SELinux",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "The host has a mandatory access control module active, yet a running container's processes carry AppArmor's `unconfined` label (or a profile in complain mode, which only logs), or SELinux's unconfined or super-privileged types (`spc_t`, `unconfined_t`). That is what `--privileged`, `--security-opt apparmor=unconfined`, `--security-opt label=disable`, Kubernetes `appArmorProfile: {type: Unconfined}` or a runtime started without its default profile produce: the denials of docker-default and container_t (mounts, writes to /proc/sys and /sys, host files) do not apply to that container. The check reads each process's cgroup to find the container and its /proc/PID/attr label, as `ps -eZ` shows it.",
        Remediation = "Restart the container without `--privileged`, `apparmor=unconfined` or `label=disable` (Kubernetes: drop `appArmorProfile` type Unconfined and `seLinuxOptions.type: spc_t`), or give it a profile of its own (`strata apparmor generate`); on Docker, check that `docker info` lists apparmor or selinux under Security Options.",
        References =
        [
            "https://docs.docker.com/engine/security/apparmor/",
            "https://kubernetes.io/docs/tutorials/security/apparmor/",
            "https://github.com/docker/docker-bench-security",
        ],
        Equivalents = ["docker-bench-security 5.2 (AppArmor profile enabled), 5.3 (SELinux security options set)"],
        Examples =
        [
            new RuleExample("/sys/kernel/security/lsm = capability,yama,apparmor\n/proc/4242/cgroup = 0::/system.slice/docker-4b825dc642cb6eb9a060e54bf8d69288fbee4904e6f7a2a6e6f1d3d1e3f1a2b3.scope\n/proc/4242/attr/current = unconfined", true, "Docker container started with apparmor=unconfined"),
            new RuleExample("/sys/kernel/security/lsm = capability,selinux\n/sys/fs/selinux/enforce = 1\n/proc/77/cgroup = 0::/kubepods.slice/kubepods-pod1.slice/crio-4b825dc642cb6eb9a060e54bf8d69288fbee4904e6f7a2a6e6f1d3d1e3f1a2b3.scope\n/proc/77/attr/current = system_u:system_r:spc_t:s0", true, "super-privileged SELinux type"),
            new RuleExample("/sys/kernel/security/lsm = capability,yama,apparmor\n/proc/4242/cgroup = 0::/system.slice/docker-4b825dc642cb6eb9a060e54bf8d69288fbee4904e6f7a2a6e6f1d3d1e3f1a2b3.scope\n/proc/4242/attr/current = docker-default (enforce)", false),
            new RuleExample("/sys/kernel/security/lsm = capability,yama,apparmor\n/proc/1/cgroup = 0::/init.scope\n/proc/1/attr/current = unconfined", false, "not a container"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var active = Active(subject);
        reason = active.Length == 0 ? $"{LsmList} cannot be read"
            : !active.Contains("apparmor") && !active.Contains("selinux") ? "neither AppArmor nor SELinux is active (KRN-022)"
            : active.Contains("selinux") && !active.Contains("apparmor") && subject.Read("/sys/fs/selinux/enforce")?.Trim() != "1" ? "SELinux is not enforcing (KRN-022)"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var processes = subject.List("/proc", MaxProcesses).Where(p => p.All(char.IsAsciiDigit)).OrderBy(p => long.Parse(p, CultureInfo.InvariantCulture));
        foreach (var pid in processes)
        {
            if (subject.Read($"/proc/{pid}/cgroup") is not { } cgroups || ContainerRuntimeDetection.ContainerOf(cgroups) is not { } container || !seen.Add(container.Id))
            {
                continue;
            }

            var label = SecurityLabel.Read(subject, pid);
            if (label.Module is null || label.Confined)
            {
                continue;
            }

            var shortId = container.Id[..12];
            yield return Finding.For(
                Rule,
                context.Target,
                new Location { File = $"/proc/{pid}/attr/current", Subject = $"{container.Engine} {shortId}" },
                $"{container.Engine} container {shortId} (pid {pid}) runs with {label.Module} label '{Redaction.Quote(label.Label ?? string.Empty, 120).Trim('\'')}', which does not confine it.",
                Evidence.Plain($"pid {pid}: {label.Label}"));
        }
    }

    private static string[] Active(HostSnapshot host) =>
        host.Read(LsmList)?.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
