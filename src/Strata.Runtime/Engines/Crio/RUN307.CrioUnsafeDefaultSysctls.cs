namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Runtime.Config;

public sealed class CrioUnsafeDefaultSysctls : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-307",
        Title = "CRI-O sets sysctls outside Kubernetes' safe set for every container",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "default_sysctls applies to every container. A sysctl outside Kubernetes' safe set can starve or disturb the node even when namespaced (net.core.somaxconn, kernel.msgmax), and one that is not namespaced changes the whole host.",
        Remediation = "Keep default_sysctls to the safe set; let the pods that need others request them (kubelet --allowed-unsafe-sysctls on dedicated nodes).",
        References = ["https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/", "https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Equivalents = ["Pod Security Standards baseline sysctls"],
        Examples =
        [
            new RuleExample("[crio.runtime]\ndefault_sysctls = [\"net.core.somaxconn=4096\"]\n", true),
            new RuleExample("[crio.runtime]\ndefault_sysctls = [\"kernel.panic=1\"]\n", true, "not namespaced: the whole host"),
            new RuleExample("[crio.runtime]\ndefault_sysctls = [\"net.ipv4.ping_group_range=0 2147483647\"]\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var entry in subject.Strings("crio", "runtime", "default_sysctls") ?? [])
        {
            var text = (string)entry.Value;
            var name = text.Split('=', 2)[0].Trim();
            switch (SysctlSafety.Classify(name))
            {
                case SysctlReach.Namespaced:
                    yield return Finding.For(Rule, context.Target, subject.At(entry, name), $"{name} is not in Kubernetes' safe set.", Evidence.Plain(text));
                    break;
                case SysctlReach.Host:
                    yield return Finding.For(Rule, context.Target, subject.At(entry, name), $"{name} is not namespaced: setting it changes the host.", Evidence.Plain(text), Severity.High);
                    break;
            }
        }
    }
}
