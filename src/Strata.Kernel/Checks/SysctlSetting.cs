namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// One kernel setting that widens what a process in a container can reach, as one entry of the embedded
/// <c>Data/sysctl-hardening.json</c>: the sysctl, its safe values, the exploit class and the fix.
/// </summary>
[DataDrivenCheck("Data/sysctl-hardening.json")]
public sealed class SysctlSetting : Check<HostSnapshot>
{
    private const string ResourceName = "Strata.Kernel.Data.sysctl-hardening.json";

    private static readonly Lazy<List<SysctlSetting>> Table = new(Load);

    private SysctlSetting(string sysctl, long? safeAtLeast, long? safeAtMost, Rule rule)
    {
        Sysctl = sysctl;
        SafeAtLeast = safeAtLeast;
        SafeAtMost = safeAtMost;
        Rule = rule;
    }

    /// <summary>Every entry of the table, in rule order.</summary>
    public static IReadOnlyList<SysctlSetting> All => Table.Value;

    public string Sysctl { get; }

    public long? SafeAtLeast { get; }

    public long? SafeAtMost { get; }

    public override Rule Rule { get; }

    /// <summary>"at least 1", "at most 0".</summary>
    public string SafeRange => SafeAtLeast is { } low ? $"at least {low}" : $"at most {SafeAtMost}";

    public bool IsSafe(long value) => (SafeAtLeast is not { } low || value >= low) && (SafeAtMost is not { } high || value <= high);

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var text = subject.Sysctl(Sysctl);
        reason = text is null ? $"{HostSnapshot.SysctlPath(Sysctl)} cannot be read (an older kernel, a kernel built without it, or no /proc)"
            : !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? $"{HostSnapshot.SysctlPath(Sysctl)} holds '{Redaction.Quote(text, 40)}', not a number"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (long.TryParse(subject.Sysctl(Sysctl), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && !IsSafe(value))
        {
            yield return Finding.For(
                Rule,
                context.Target,
                new Location { File = HostSnapshot.SysctlPath(Sysctl), Subject = Sysctl },
                string.Create(CultureInfo.InvariantCulture, $"{Sysctl} = {value}; safe is {SafeRange}."),
                Evidence.Plain(string.Create(CultureInfo.InvariantCulture, $"{Sysctl}={value}")));
        }
    }

    private static List<SysctlSetting> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing.");
        using var json = JsonDocument.Parse(stream);
        var settings = new List<SysctlSetting>();
        foreach (var item in json.RootElement.GetProperty("settings").EnumerateArray())
        {
            var sysctl = item.GetProperty("sysctl").GetString()!;
            long? atLeast = item.TryGetProperty("safeAtLeast", out var low) ? low.GetInt64() : null;
            long? atMost = item.TryGetProperty("safeAtMost", out var high) ? high.GetInt64() : null;
            if (atLeast is null == atMost is null)
            {
                throw new InvalidOperationException($"sysctl-hardening.json: {sysctl} needs exactly one of safeAtLeast and safeAtMost.");
            }

            var safe = atLeast ?? atMost!.Value;
            var unsafeValue = atLeast is { } least ? least - 1 : atMost!.Value + 1;
            var path = HostSnapshot.SysctlPath(sysctl);
            var rule = new Rule
            {
                Id = item.GetProperty("id").GetString()!,
                Title = item.GetProperty("title").GetString()!,
                Severity = Enum.Parse<Severity>(item.GetProperty("severity").GetString()!, ignoreCase: true),
                Layer = StackLayer.Kernel,
                Explanation = item.GetProperty("explanation").GetString()!,
                Remediation = item.GetProperty("remediation").GetString()!,
                References = [.. item.GetProperty("references").EnumerateArray().Select(r => r.GetString()!)],
                Equivalents = ["lynis " + item.GetProperty("lynis").GetString()],
                Examples =
                [
                    new RuleExample(string.Create(CultureInfo.InvariantCulture, $"{path} = {unsafeValue}"), true),
                    new RuleExample(string.Create(CultureInfo.InvariantCulture, $"{path} = {safe}"), false),
                ],
            };
            settings.Add(new SysctlSetting(sysctl, atLeast, atMost, rule));
        }

        return settings;
    }
}
