namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class PrivilegedEquivalentConfig : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-006",
        Title = "Runtime config is as good as --privileged",
        Severity = Severity.Critical,
        Layer = StackLayer.Runtime,
        Explanation = "The config combines CAP_SYS_ADMIN with no seccomp filter and either every device allowed or no masked /proc paths: what `docker run --privileged` produces. From there a process mounts the host's disks, writes /proc/sys and cgroup release agents, or loads kernel modules: escaping is routine, not an exploit.",
        Remediation = "Drop CAP_SYS_ADMIN (and every capability the workload does not need), add a seccomp profile, keep linux.resources.devices at deny-all with the standard nodes, and keep runc's maskedPaths and readonlyPaths.",
        References = ["https://docs.docker.com/reference/cli/docker/container/run/#privileged", "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md"],
        Equivalents = ["docker-bench-security 5.5", "kubescape C-0057 (privileged container)"],
        Examples =
        [
            new RuleExample("""{"process": {"capabilities": {"bounding": ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"]}}, "linux": {"resources": {"devices": [{"allow": true, "access": "rwm"}]}}}""", true),
            new RuleExample("""{"process": {"capabilities": {"bounding": ["CAP_SYS_ADMIN"]}}, "linux": {"resources": {"devices": [{"allow": false, "access": "rwm"}]}, "maskedPaths": ["/proc/kcore"]}}""", false, "devices denied and paths masked"),
            new RuleExample("""{"process": {"capabilities": {"bounding": ["CAP_SYS_ADMIN"]}}, "linux": {"resources": {"devices": [{"allow": true, "access": "rwm"}]}, "seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}}""", false, "a seccomp filter"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var sysAdmin = subject.StringsAt("process.capabilities.bounding").Any(c => Kernel.Capabilities.CapabilityCatalog.Normalize(c.Value) == "CAP_SYS_ADMIN");
        var noSeccomp = subject.Get("linux.seccomp") is null or { ValueKind: JsonValueKind.Null };
        var allDevices = HostDevicesAllowed.AllowsAll(subject) is not null;
        var noMasks = !subject.StringsAt("linux.maskedPaths").Any();
        if (sysAdmin && noSeccomp && (allDevices || noMasks))
        {
            var parts = new List<string> { "CAP_SYS_ADMIN", "no seccomp" };
            if (allDevices)
            {
                parts.Add("every device allowed");
            }

            if (noMasks)
            {
                parts.Add("no masked paths");
            }

            yield return Finding.For(Rule, context.Target, subject.At("process.capabilities.bounding"), $"Privileged-equivalent: {string.Join(", ", parts)}.");
        }
    }
}
