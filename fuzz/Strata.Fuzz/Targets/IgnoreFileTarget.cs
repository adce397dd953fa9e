namespace Strata.Fuzz.Targets;

using Strata.Core.Findings;
using Strata.Core.Ignoring;

/// <summary>A <c>.strataignore</c>: parsed, then applied to a few findings so its globs and dates are used.</summary>
public sealed class IgnoreFileTarget : IFuzzTarget
{
    private static readonly Finding[] Findings =
    [
        Finding("DKF-001", new Location { File = "Containerfile", Line = 3 }),
        Finding("SEC-AWS-ACCESS-KEY", new Location { Path = "/app/config/.env", LayerIndex = 2 }),
        Finding("PSS-001", new Location { File = "deploy/agent/daemonset.yaml", JsonPath = "$.spec.template.spec.containers[0]" }),
    ];

    public string Name => "ignore-file";

    public string Covers => "Core/Ignoring/IgnoreFile.Parse (YAML), IgnoreMatcher.Apply, PathGlob";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var text = new System.Text.UTF8Encoding(false).GetString(input);
        var entries = IgnoreFile.Parse(text, ".strataignore");
        IgnoreMatcher.Apply(Findings, entries, new DateOnly(2026, 6, 1), ".strataignore");
        return ValueTask.CompletedTask;
    }

    private static Finding Finding(string ruleId, Location location) => new()
    {
        RuleId = ruleId,
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Title = ruleId,
        Message = "fuzz",
        Target = "example",
        Location = location,
    };
}
