namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostNamespaceShared : IRuntimeConfigCheck
{
    private static readonly string[] Isolating = ["pid", "network", "ipc", "uts", "mount"];

    public Rule Rule { get; } = new()
    {
        Id = "RUN-005",
        Title = "Container shares a host namespace",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "A namespace type missing from linux.namespaces, or one that joins an existing namespace by path (such as /proc/1/ns/net), is shared with the host or another process: the PID namespace exposes and lets the container signal or ptrace host processes, the network namespace exposes host services bound to localhost, the IPC namespace exposes shared memory.",
        Remediation = "List pid, network, ipc, uts and mount in linux.namespaces without a path (drop --pid=host, --network=host, --ipc=host; in Kubernetes hostPID, hostNetwork, hostIPC false).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#namespaces", "https://man7.org/linux/man-pages/man7/namespaces.7.html"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        var present = new Dictionary<string, (string? Path, int Index)>(StringComparer.Ordinal);
        if (config.Get("linux.namespaces") is { ValueKind: JsonValueKind.Array } namespaces)
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
                yield return Finding.For(Rule, target, config.At("linux.namespaces", type), $"No {type} namespace: the container shares the host's.");
            }
            else if (!string.IsNullOrEmpty(entry.Path))
            {
                var location = config.At("linux.namespaces", type) with { JsonPath = $"$.linux.namespaces[{entry.Index}].path", Line = config.Source.LineOf($"$.linux.namespaces[{entry.Index}].path") };
                yield return Finding.For(Rule, target, location, $"The {type} namespace joins {entry.Path}.", Evidence.Plain(entry.Path));
            }
        }
    }
}
