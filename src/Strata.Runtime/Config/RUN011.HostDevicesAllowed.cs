namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostDevicesAllowed : Check<RuntimeConfig>
{
    /// <summary>The nodes every runtime creates in a container (runc's default devices and /dev/fuse, /dev/net/tun as some engines add).</summary>
    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal)
    {
        "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/console", "/dev/ptmx", "/dev/fuse", "/dev/net/tun",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "RUN-011",
        Title = "Container may use host devices",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "A linux.resources.devices entry with allow: true and no type, major or minor lets the container open every device of the host's (the device cgroup stops nothing), and each host node in linux.devices is created inside: a raw disk reads and writes the host's filesystems below their permissions, /dev/mem and /dev/kmsg reach the kernel.",
        Remediation = "Start linux.resources.devices with {\"allow\": false, \"access\": \"rwm\"} and allow only the standard nodes; pass single devices that the workload needs (`--device /dev/xyz`), never all.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#allowed-device-list", "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#devices"],
        Equivalents = ["docker-bench-security 5.18 (host devices)"],
        Examples =
        [
            new RuleExample("""{"linux": {"resources": {"devices": [{"allow": true, "access": "rwm"}]}}}""", true, "allow-all"),
            new RuleExample("""{"linux": {"devices": [{"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}], "resources": {"devices": [{"allow": false, "access": "rwm"}]}}}""", true),
            new RuleExample("""{"linux": {"devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}], "resources": {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"}]}}}""", false),
        ],
    };

    /// <summary>The JSON path of an allow-all device cgroup entry, or null.</summary>
    public static string? AllowsAll(RuntimeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ArrayAt("linux.resources.devices") is not { } rules)
        {
            return null;
        }

        // Later entries override earlier ones, as the device cgroup applies them in order.
        string? allowAll = null;
        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            if (rule.ValueKind == JsonValueKind.Object && !rule.TryGetProperty("major", out _) && !rule.TryGetProperty("minor", out _)
                && (!rule.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() == "a"))
            {
                allowAll = rule.TryGetProperty("allow", out var allow) && allow.ValueKind == JsonValueKind.True ? $"$.linux.resources.devices[{index}]" : null;
            }

            index++;
        }

        return allowAll;
    }

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (AllowsAll(subject) is { } path)
        {
            yield return Finding.For(Rule, context.Target, subject.AtPath(path, "devices"), "The device cgroup allows every device.");
        }

        if (subject.ArrayAt("linux.devices") is { } devices)
        {
            var index = 0;
            foreach (var device in devices.EnumerateArray())
            {
                if (device.ValueKind == JsonValueKind.Object && device.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String && !Standard.Contains(p.GetString()!))
                {
                    var node = p.GetString()!;
                    yield return Finding.For(Rule, context.Target, subject.AtPath($"$.linux.devices[{index}].path", node), $"{node} is created in the container.", Evidence.Plain(node));
                }

                index++;
            }
        }
    }
}
