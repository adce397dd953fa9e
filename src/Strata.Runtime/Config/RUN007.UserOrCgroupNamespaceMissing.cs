namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class UserOrCgroupNamespaceMissing : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-007",
        Title = "Container has no user or no cgroup namespace of its own",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without a user namespace, container uids are host uids: root inside is root outside, and every capability applies to host resources. Without a cgroup namespace the container sees the host's cgroup paths (and, with cgroup v1 mounted writable, can reach other cgroups' controls). RUN-005 covers the pid, network, ipc, uts and mount namespaces.",
        Remediation = "Add {\"type\": \"user\"} with linux.uidMappings/gidMappings to an unprivileged range (rootless runtimes, userns-remap, Kubernetes hostUsers: false), and {\"type\": \"cgroup\"}.",
        References = ["https://man7.org/linux/man-pages/man7/user_namespaces.7.html", "https://man7.org/linux/man-pages/man7/cgroup_namespaces.7.html"],
        Equivalents = ["docker-bench-security 2.9 (user namespace support)", "docker-bench-security 5.31 (host user namespace shared)"],
        Examples =
        [
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}]}}""", true, "no user namespace"),
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "user"}, {"type": "mount"}]}}""", true, "no cgroup namespace"),
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}, {"type": "user"}]}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var present = new HashSet<string>(StringComparer.Ordinal);
        var namespaces = subject.ArrayAt("linux.namespaces");
        foreach (var entry in namespaces is { } list ? list.EnumerateArray().ToList() : [])
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !(entry.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String && path.GetString()!.Length > 0))
            {
                present.Add(type.GetString()!);
            }
        }

        foreach (var type in new[] { "user", "cgroup" })
        {
            if (!present.Contains(type))
            {
                yield return Finding.For(Rule, context.Target, subject.At("linux.namespaces", type), type == "user" ? "No user namespace: container uids are host uids." : "No cgroup namespace: the host's cgroup tree is visible.");
            }
        }
    }
}
