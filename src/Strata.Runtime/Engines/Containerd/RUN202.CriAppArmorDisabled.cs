namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CriAppArmorDisabled : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-202",
        Title = "containerd does not apply AppArmor",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "disable_apparmor = true turns off the cri-containerd.apparmor.d default profile and every pod's AppArmor profile, so on AppArmor hosts containers run unconfined (no deny rules for /proc/sys, mount, raw devices).",
        Remediation = "Remove disable_apparmor (or set it false) under the CRI runtime plugin.",
        References = ["https://github.com/containerd/containerd/blob/main/docs/cri/config.md", "https://kubernetes.io/docs/tutorials/security/apparmor/"],
        Examples =
        [
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  disable_apparmor = true\n", true),
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  disable_apparmor = false\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var keys = Setting(subject, "disable_apparmor");
        if (subject.Bool(keys) == true)
        {
            yield return Report(subject, context, keys, "disable_apparmor is true: containers run without AppArmor.");
        }
    }
}
