namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class WritableRootFilesystem : IRuntimeConfigCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "RUN-004",
        Title = "Root filesystem is writable",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "With root.readonly false an attacker who gets code execution can drop tools, modify binaries and persist in the container's filesystem.",
        Remediation = "Set root.readonly to true (`--read-only`, `readOnlyRootFilesystem: true`) and mount tmpfs or volumes only where the application writes.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#root"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("root.readonly") is not { ValueKind: JsonValueKind.True })
        {
            yield return Finding.For(Rule, target, config.At("root.readonly"), "root.readonly is not true.");
        }
    }
}
