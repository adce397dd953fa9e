namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class ProcessUserIsRoot : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-001",
        Title = "Container process runs as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "process.user.uid is 0 (or unset, which means 0). Without a user namespace, uid 0 in the container is uid 0 on the host: any escape, any writable host mount, any capability left in the set acts as the host's root.",
        Remediation = "Run as an unprivileged uid/gid (process.user.uid/gid, `--user 10001:10001`, USER in the image), or map root to an unprivileged host range with a user namespace (linux.uidMappings).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#user"],
        Equivalents = ["Dockle CIS-DI-0001"],
        Examples =
        [
            new RuleExample("""{"process": {"user": {"uid": 0, "gid": 0}}}""", true),
            new RuleExample("""{"process": {"args": ["/app/server"]}}""", true, "no user: uid 0"),
            new RuleExample("""{"process": {"user": {"uid": 10001, "gid": 10001}}}""", false),
            new RuleExample("""{"process": {"user": {"uid": 0, "gid": 0}}, "linux": {"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}}""", false, "root is mapped to an unprivileged host range"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var uid = subject.Get("process.user.uid");
        var isRoot = uid is null || (uid.Value.ValueKind == JsonValueKind.Number && uid.Value.TryGetInt64(out var value) && value == 0);
        var mapped = subject.Get("linux.uidMappings") is { ValueKind: JsonValueKind.Array } mappings && mappings.GetArrayLength() > 0;
        if (isRoot && !mapped)
        {
            yield return Finding.For(Rule, context.Target, subject.At("process.user.uid"), uid is null ? "process.user.uid is not set, so the process runs as uid 0." : "process.user.uid is 0 and no user namespace maps it.");
        }
    }
}
