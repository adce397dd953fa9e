namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CriSeccompUnsetIsUnconfined : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-201",
        Title = "containerd runs pods without a seccomp profile unconfined",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "unset_seccomp_profile is the profile containerd's CRI plugin applies to a container whose pod names none; empty (the default) means unconfined, so every pod that forgets securityContext.seccompProfile calls every syscall of the host kernel.",
        Remediation = "Set unset_seccomp_profile = \"runtime/default\" under the CRI runtime plugin, or start the kubelet with seccompDefault: true (KubeletConfiguration) so pods get RuntimeDefault.",
        References = ["https://github.com/containerd/containerd/blob/main/docs/cri/config.md", "https://kubernetes.io/docs/tutorials/security/seccomp/#enable-the-use-of-runtimedefault-as-the-default-seccomp-profile-for-all-workloads"],
        Equivalents = ["kubescape C-0210 (seccomp profile RuntimeDefault)"],
        Examples =
        [
            new RuleExample("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_selinux = false\n", true, "containerd 1.x layout, default: unconfined"),
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  unset_seccomp_profile = \"runtime/default\"\n", false),
            new RuleExample("version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n", false, "Docker's containerd: no CRI plugin"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var keys = Setting(subject, "unset_seccomp_profile");
        if (string.IsNullOrWhiteSpace(subject.Text(keys)) || string.Equals(subject.Text(keys), "unconfined", StringComparison.OrdinalIgnoreCase))
        {
            yield return Report(subject, context, keys, "unset_seccomp_profile is empty or unconfined: pods without a seccompProfile run unconfined.");
        }
    }
}
