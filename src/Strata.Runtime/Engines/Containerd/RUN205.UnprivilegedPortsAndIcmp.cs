namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class UnprivilegedPortsAndIcmp : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-205",
        Title = "containerd opens privileged ports and ICMP sockets to every container user",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "enable_unprivileged_ports sets net.ipv4.ip_unprivileged_port_start=0 and enable_unprivileged_icmp sets net.ipv4.ping_group_range to all groups in every pod's network namespace: any uid in the container may bind ports below 1024 and open ICMP sockets. Both are on by default from containerd 2.0 (config version 3), off before. The sysctls stay inside the pod's network namespace, so this widens what a non-root process can do, not what the host exposes.",
        Remediation = "Set enable_unprivileged_ports = false and enable_unprivileged_icmp = false and let pods that need them request the sysctls (both are in Kubernetes' safe set).",
        References = ["https://github.com/containerd/containerd/blob/main/docs/cri/config.md", "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"],
        Examples =
        [
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  enable_selinux = false\n", true, "containerd 2.x default: both on"),
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_unprivileged_ports = true\n", true),
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_selinux = false\n", false, "containerd 1.x default: both off"),
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  enable_unprivileged_ports = false\n  enable_unprivileged_icmp = false\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var onByDefault = VersionOf(subject) >= 3;
        foreach (var key in new[] { "enable_unprivileged_ports", "enable_unprivileged_icmp" })
        {
            var keys = Setting(subject, key);
            if (subject.Bool(keys) ?? onByDefault)
            {
                yield return Report(subject, context, keys, subject.Find(keys) is null ? $"{key} is on by default in this config version." : $"{key} is true.");
            }
        }
    }
}
