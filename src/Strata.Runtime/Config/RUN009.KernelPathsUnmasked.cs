namespace Strata.Runtime.Config;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class KernelPathsUnmasked : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-009",
        Title = "Kernel paths that runc masks or makes read-only are left open",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "runc's template masks /proc/kcore, /proc/keys, /proc/timer_list, /sys/firmware and others (linux.maskedPaths) and mounts /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus and /proc/fs read-only (linux.readonlyPaths). Each one left out exposes kernel memory, key material, timing side channels, or lets a process with the capability reconfigure or crash the host kernel.",
        Remediation = "Keep at least runc's default maskedPaths and readonlyPaths (`runc spec` prints them); Docker and containerd add the same ones unless the container is privileged or uses unmasked /proc (Kubernetes procMount: Unmasked).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#masked-paths", "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#readonly-paths"],
        Equivalents = ["Pod Security Standards baseline procMount"],
        Examples =
        [
            new RuleExample("""{"linux": {"maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"]}}""", true),
            new RuleExample("""{"linux": {"maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"], "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]}}""", false, "runc spec's lists"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (key, defaults, what) in new[] { ("maskedPaths", RuncDefaults.MaskedPaths, "masked"), ("readonlyPaths", RuncDefaults.ReadonlyPaths, "read-only") })
        {
            var present = subject.StringsAt("linux." + key).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);
            var missing = defaults.Where(p => !present.Contains(p)).ToList();
            if (missing.Count > 0)
            {
                yield return Finding.For(Rule, context.Target, subject.At("linux." + key, key), $"Not {what}, unlike runc's default: {string.Join(", ", missing)}.");
            }
        }
    }
}
