namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class UnsafeSysctlSet : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-012",
        Title = "Container sets a sysctl outside Kubernetes' safe set",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "linux.sysctl sets kernel parameters for the container. Outside Kubernetes' safe set, even a namespaced one (net.core.somaxconn, kernel.msgmax) can starve or disturb the host; one that is not namespaced (kernel.*, vm.*, fs.* other than fs.mqueue) changes the whole host and is reported as high.",
        Remediation = "Keep to the safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, …); set others on dedicated hosts only.",
        References = ["https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/", "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#sysctl"],
        Equivalents = ["Pod Security Standards baseline sysctls"],
        Examples =
        [
            new RuleExample("""{"linux": {"sysctl": {"kernel.core_pattern": "|/tmp/x"}}}""", true, "not namespaced"),
            new RuleExample("""{"linux": {"sysctl": {"net.core.somaxconn": "4096"}}}""", true),
            new RuleExample("""{"linux": {"sysctl": {"net.ipv4.ip_unprivileged_port_start": "80"}}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.ObjectAt("linux.sysctl") is not { } sysctls)
        {
            yield break;
        }

        foreach (var property in sysctls.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            var location = subject.AtPath("$.linux.sysctl" + JsonPaths.Member(property.Name), property.Name);
            switch (SysctlSafety.Classify(property.Name))
            {
                case SysctlReach.Namespaced:
                    yield return Finding.For(Rule, context.Target, location, $"{property.Name} is not in Kubernetes' safe set.", Evidence.Plain($"{property.Name}={value}"));
                    break;
                case SysctlReach.Host:
                    yield return Finding.For(Rule, context.Target, location, $"{property.Name} is not namespaced: setting it changes the host.", Evidence.Plain($"{property.Name}={value}"), Severity.High);
                    break;
            }
        }
    }
}
