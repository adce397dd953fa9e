namespace Strata.Kernel.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Strata runs inside a container whose processes hold capabilities that reach the host.</summary>
public sealed class ContainerWithDangerousCapabilities : IHostCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "CAP-001",
        Title = "Container holds capabilities that reach the host",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "This scan runs inside a container whose effective capability set includes capabilities that break isolation: CAP_SYS_ADMIN alone allows mount, unshare/clone of new namespaces, BPF and much more; CAP_SYS_MODULE loads kernel code; CAP_SYS_PTRACE reads other processes. A compromised process in such a container is close to root on the host.",
        Remediation = "Drop all capabilities and add back only those the workload needs (`--cap-drop=ALL --cap-add=…`; in Kubernetes `securityContext.capabilities.drop: [ALL]`). Never run workloads `--privileged`.",
        References = ["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
    };

    public IEnumerable<Finding> Evaluate(HostSnapshot host, string target)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.InContainer || host.SelfStatus("CapEff") is not { } mask)
        {
            yield break;
        }

        var dangerous = Capabilities.Decode(mask).Where(Capabilities.Dangerous.Contains).ToList();
        if (dangerous.Count > 0)
        {
            yield return Finding.For(
                Rule,
                target,
                new Location { File = "/proc/self/status", Subject = "CapEff" },
                $"Running in a container with {string.Join(", ", dangerous)} in the effective set.",
                Evidence.Plain($"CapEff={mask}"));
        }
    }
}
