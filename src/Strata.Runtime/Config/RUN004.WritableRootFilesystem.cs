namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class WritableRootFilesystem : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-004",
        Title = "Root filesystem is writable",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "With root.readonly false an attacker who gets code execution can drop tools, modify binaries and persist in the container's filesystem.",
        Remediation = "Set root.readonly to true (`--read-only`, `readOnlyRootFilesystem: true`) and mount tmpfs or volumes only where the application writes.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#root"],
        Examples =
        [
            new RuleExample("""{"root": {"path": "rootfs", "readonly": false}}""", true),
            new RuleExample("""{"root": {"path": "rootfs"}}""", true, "readonly defaults to false"),
            new RuleExample("""{"root": {"path": "rootfs", "readonly": true}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Get("root.readonly") is not { ValueKind: JsonValueKind.True })
        {
            yield return Finding.For(Rule, context.Target, subject.At("root.readonly"), "root.readonly is not true.");
        }
    }
}
