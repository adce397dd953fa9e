namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostNamespaceShared : Check<RuntimeConfig>
{
    private static readonly string[] Isolating = ["pid", "network", "ipc", "uts", "mount"];

    public override Rule Rule { get; } = new()
    {
        Id = "RUN-005",
        Title = "Container shares a host namespace",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "A namespace type missing from linux.namespaces, or one that joins an existing namespace by path (such as /proc/1/ns/net), is shared with the host or another process: the PID namespace exposes and lets the container signal or ptrace host processes, the network namespace exposes host services bound to localhost, the IPC namespace exposes shared memory.",
        Remediation = "List pid, network, ipc, uts and mount in linux.namespaces without a path (drop --pid=host, --network=host, --ipc=host; in Kubernetes hostPID, hostNetwork, hostIPC false).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#namespaces", "https://man7.org/linux/man-pages/man7/namespaces.7.html"],
        Examples =
        [
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}""", true, "no network namespace: the host's network"),
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}""", true, "joins the network namespace of the host's PID 1"),
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var present = new Dictionary<string, (string? Path, int Index)>(StringComparer.Ordinal);
        if (subject.Get("linux.namespaces") is { ValueKind: JsonValueKind.Array } namespaces)
        {
            var index = 0;
            foreach (var entry in namespaces.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    var path = entry.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                    present[type.GetString()!] = (path, index);
                }

                index++;
            }
        }

        foreach (var type in Isolating)
        {
            if (!present.TryGetValue(type, out var entry))
            {
                yield return Finding.For(Rule, context.Target, subject.At("linux.namespaces", type), $"No {type} namespace: the container shares the host's.");
            }
            else if (!string.IsNullOrEmpty(entry.Path))
            {
                var location = subject.At("linux.namespaces", type) with { JsonPath = $"$.linux.namespaces[{entry.Index}].path", Line = subject.Source.LineOf($"$.linux.namespaces[{entry.Index}].path") };
                yield return Finding.For(Rule, context.Target, location, $"The {type} namespace joins {entry.Path}.", Evidence.Plain(entry.Path));
            }
        }
    }
}
