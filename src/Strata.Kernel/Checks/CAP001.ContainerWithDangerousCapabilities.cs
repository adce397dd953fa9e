namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Capabilities;

/// <summary>Strata runs inside a container whose processes hold capabilities that reach the host.</summary>
public sealed class ContainerWithDangerousCapabilities : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "CAP-001",
        Title = "Container holds capabilities that reach the host",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "This scan runs inside a container whose effective capability set includes capabilities that break isolation: CAP_SYS_ADMIN alone allows mount, unshare/clone of new namespaces, BPF and much more; CAP_SYS_MODULE loads kernel code; CAP_SYS_PTRACE reads other processes. A compromised process in such a container is close to root on the host.",
        Remediation = "Drop all capabilities and add back only those the workload needs (`--cap-drop=ALL --cap-add=…`; in Kubernetes `securityContext.capabilities.drop: [ALL]`). Never run workloads `--privileged`.",
        References = ["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
        Examples =
        [
            new RuleExample("/.dockerenv\n/proc/self/status = CapEff: 000001ffffffffff", true, "a --privileged Docker container: every capability"),
            new RuleExample("/.dockerenv\n/proc/self/status = CapEff: 00000000a82425fb", true, "Docker's default set plus CAP_SYS_ADMIN (--cap-add SYS_ADMIN)"),
            new RuleExample("/.dockerenv\n/proc/self/status = CapEff: 00000000a80425fb", false, "Docker's default set"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = !subject.InContainer ? "Strata does not run in a container (no /.dockerenv, /run/.containerenv or container cgroup)"
            : subject.SelfStatus("CapEff") is null ? "/proc/self/status has no CapEff line"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.SelfStatus("CapEff") is not { } mask)
        {
            yield break;
        }

        var dangerous = CapabilitySet.ParseHex(mask).Names.Where(CapabilityCatalog.Dangerous.Contains).ToList();
        if (dangerous.Count > 0)
        {
            yield return Finding.For(
                Rule,
                context.Target,
                new Location { File = "/proc/self/status", Subject = "CapEff" },
                $"Running in a container with {string.Join(", ", dangerous)} in the effective set.",
                Evidence.Plain($"CapEff={mask}"));
        }
    }
}
