namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Capabilities;

public sealed class CrioDangerousDefaultCapabilities : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-301",
        Title = "CRI-O grants every container a capability that reaches the host",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "default_capabilities is what every container gets unless its pod drops it. CRI-O's own default is small (CHOWN, DAC_OVERRIDE, FSETID, FOWNER, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, KILL); adding CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_MODULE, CAP_NET_RAW or similar gives every pod a way around its isolation.",
        Remediation = "Keep default_capabilities at CRI-O's default or smaller; grant extra capabilities per pod (securityContext.capabilities.add).",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md", "https://man7.org/linux/man-pages/man7/capabilities.7.html"],
        Equivalents = ["kubescape C-0046 (insecure capabilities)"],
        Examples =
        [
            new RuleExample("[crio.runtime]\ndefault_capabilities = [\"CHOWN\", \"NET_BIND_SERVICE\", \"SYS_ADMIN\"]\n", true),
            new RuleExample("[crio.runtime]\ndefault_capabilities = [\"CHOWN\", \"NET_RAW\"]\n", true, "raw sockets: ARP and DNS spoofing in the pod network"),
            new RuleExample("[crio.runtime]\ndefault_capabilities = [\"CHOWN\", \"DAC_OVERRIDE\", \"FSETID\", \"FOWNER\", \"SETGID\", \"SETUID\", \"SETPCAP\", \"NET_BIND_SERVICE\", \"KILL\"]\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var entry in subject.Strings("crio", "runtime", "default_capabilities") ?? [])
        {
            var name = CapabilityCatalog.Normalize((string)entry.Value);
            if (CapabilityCatalog.Dangerous.Contains(name) || name == "CAP_NET_RAW")
            {
                yield return Finding.For(Rule, context.Target, subject.At(entry, name), $"{name} is in default_capabilities: every container gets it.", Evidence.Plain(name));
            }
        }
    }
}
