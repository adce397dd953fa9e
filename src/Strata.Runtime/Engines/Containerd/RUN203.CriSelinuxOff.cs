namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CriSelinuxOff : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-203",
        Title = "containerd does not label containers for SELinux",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "enable_selinux is false (the default): on an SELinux host containers get no container_t label and no MCS categories, so SELinux does not keep them from each other's files or from host files. On AppArmor hosts this does not matter (see RUN-202).",
        Remediation = "On SELinux hosts set enable_selinux = true under the CRI runtime plugin (with container-selinux installed).",
        References = ["https://github.com/containerd/containerd/blob/main/docs/cri/config.md"],
        Examples =
        [
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_selinux = false\n", true),
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_selinux = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var keys = Setting(subject, "enable_selinux");
        if (subject.Bool(keys) != true)
        {
            yield return Report(subject, context, keys, "enable_selinux is not true: no SELinux labels for containers.");
        }
    }
}
