namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RunsAsRoot : IRuntimeConfigCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "RUN-001",
        Title = "Container process runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "process.user.uid is 0 (or unset, which means 0). Without a user namespace, uid 0 in the container is uid 0 on the host: any escape, any writable host mount, any capability left in the set acts as the host's root.",
        Remediation = "Run as an unprivileged uid/gid (process.user.uid/gid, `--user 10001:10001`, USER in the image), or map root to an unprivileged host range with a user namespace (linux.uidMappings).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#user"],
        Equivalents = ["Dockle CIS-DI-0001"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        var uid = config.Get("process.user.uid");
        var isRoot = uid is null || (uid.Value.ValueKind == JsonValueKind.Number && uid.Value.TryGetInt64(out var value) && value == 0);
        var mapped = config.Get("linux.uidMappings") is { ValueKind: JsonValueKind.Array } mappings && mappings.GetArrayLength() > 0;
        if (isRoot && !mapped)
        {
            yield return Finding.For(Rule, target, config.At("process.user.uid"), uid is null ? "process.user.uid is not set, so the process runs as uid 0." : "process.user.uid is 0 and no user namespace maps it.");
        }
    }
}
