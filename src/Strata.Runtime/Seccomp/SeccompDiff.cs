namespace Strata.Runtime.Seccomp;

using System.Globalization;

/// <summary>One difference between two profiles: a setting or a syscall, and how each profile treats it.</summary>
/// <param name="Subject">"defaultAction", "architectures", "flags" or a syscall name.</param>
public sealed record SeccompDifference(string Subject, string InA, string InB);

/// <summary>Compares two profiles by what they do with each syscall, whatever the order and grouping of their rules.</summary>
public static class SeccompDiff
{
    public static IReadOnlyList<SeccompDifference> Compare(SeccompProfile a, SeccompProfile b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var differences = new List<SeccompDifference>();
        var defaultA = Default(a);
        var defaultB = Default(b);
        if (defaultA != defaultB)
        {
            differences.Add(new SeccompDifference("defaultAction", defaultA, defaultB));
        }

        Setting(differences, "architectures", ArchitectureText(a), ArchitectureText(b));
        Setting(differences, "flags", string.Join(", ", a.Flags), string.Join(", ", b.Flags));
        var treatmentsA = Treatments(a);
        var treatmentsB = Treatments(b);
        foreach (var name in treatmentsA.Keys.Union(treatmentsB.Keys).Order(StringComparer.Ordinal))
        {
            var inA = treatmentsA.TryGetValue(name, out var ta) ? ta : $"(default: {defaultA})";
            var inB = treatmentsB.TryGetValue(name, out var tb) ? tb : $"(default: {defaultB})";
            if (inA != inB)
            {
                differences.Add(new SeccompDifference(name, inA, inB));
            }
        }

        return differences;
    }

    /// <summary>How a profile treats each syscall it names: its rules, described and joined in a stable order.</summary>
    public static IReadOnlyDictionary<string, string> Treatments(SeccompProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Rules
            .SelectMany(r => r.Names.Select(n => (Name: n, Text: Describe(r))))
            .GroupBy(e => e.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
    }

    public static string Describe(SeccompRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = Action(rule.Action, rule.ErrnoRet);
        if (rule.Args.Count > 0)
        {
            text += " if " + string.Join(" and ", rule.Args.Select(Describe));
        }

        if (rule.Includes is { } includes)
        {
            text += " when " + Condition(includes, " and ");
        }

        if (rule.Excludes is { } excludes)
        {
            text += " unless " + Condition(excludes, " or ");
        }

        return text;
    }

    private static string Describe(SeccompArgument arg) => arg.Op switch
    {
        "SCMP_CMP_MASKED_EQ" => string.Create(CultureInfo.InvariantCulture, $"arg{arg.Index} & 0x{arg.Value:x} == {arg.ValueTwo}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"arg{arg.Index} {arg.Op["SCMP_CMP_".Length..].ToLowerInvariant()} {arg.Value}"),
    };

    private static string Condition(SeccompCondition condition, string joiner)
    {
        var parts = new List<string>();
        if (condition.Caps.Count > 0)
        {
            parts.Add("caps " + string.Join("+", condition.Caps));
        }

        if (condition.Arches.Count > 0)
        {
            parts.Add("arch " + string.Join("|", condition.Arches));
        }

        if (condition.MinKernel is not null)
        {
            parts.Add("kernel >= " + condition.MinKernel);
        }

        return string.Join(joiner, parts);
    }

    private static string Action(string action, uint? errno) =>
        errno is uint e ? string.Create(CultureInfo.InvariantCulture, $"{action}({e})") : action;

    private static string Default(SeccompProfile profile) => Action(profile.DefaultAction, profile.DefaultAction == "SCMP_ACT_ERRNO" ? profile.DefaultErrnoRet ?? 1 : profile.DefaultErrnoRet);

    private static string ArchitectureText(SeccompProfile profile) => string.Join(", ", profile.AllArchitectures.Order(StringComparer.Ordinal));

    private static void Setting(List<SeccompDifference> differences, string name, string a, string b)
    {
        if (a != b)
        {
            differences.Add(new SeccompDifference(name, a.Length == 0 ? "(none)" : a, b.Length == 0 ? "(none)" : b));
        }
    }
}
