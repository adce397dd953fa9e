namespace Strata.Runtime.Seccomp;

using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;

/// <summary>
/// A seccomp profile in the JSON format of Docker, Podman, containerd and the Kubernetes
/// security-profiles-operator (defaultAction + syscalls rules).
/// </summary>
/// <param name="BasePath">JSON path of the profile inside its file: "$" for a profile file, "$.linux.seccomp" inside a runtime config.</param>
public sealed record SeccompProfile(string DefaultAction, int? DefaultActionLine, IReadOnlyList<SeccompRule> Rules, string BasePath)
{
    /// <summary>Actions that let a syscall run.</summary>
    public static bool IsPermissive(string action) => action is "SCMP_ACT_ALLOW" or "SCMP_ACT_LOG";

    public static SeccompProfile Parse(JsonSource source) => Parse(source, source?.Root ?? default, "$");

    /// <summary>Parses the profile at <paramref name="basePath"/> of <paramref name="source"/>.</summary>
    public static SeccompProfile Parse(JsonSource source, JsonElement root, string basePath)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(source, basePath, "must be a JSON object (a seccomp profile)");
        }

        var defaultAction = RequireString(source, root, "defaultAction", basePath);
        var rules = new List<SeccompRule>();
        if (root.TryGetProperty("syscalls", out var syscalls) && syscalls.ValueKind != JsonValueKind.Null)
        {
            if (syscalls.ValueKind != JsonValueKind.Array)
            {
                throw Bad(source, basePath + ".syscalls", "must be an array");
            }

            var index = 0;
            foreach (var entry in syscalls.EnumerateArray())
            {
                var path = $"{basePath}.syscalls[{index}]";
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(source, path, "must be an object");
                }

                var names = new List<string>();
                if (entry.TryGetProperty("names", out var namesElement))
                {
                    if (namesElement.ValueKind != JsonValueKind.Array || namesElement.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
                    {
                        throw Bad(source, path + ".names", "must be an array of syscall names");
                    }

                    names.AddRange(namesElement.EnumerateArray().Select(n => n.GetString()!));
                }

                // The older single-name form.
                if (entry.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
                {
                    names.Add(nameElement.GetString()!);
                }

                var action = RequireString(source, entry, "action", path);
                var hasArgs = entry.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array && args.GetArrayLength() > 0;
                var includeCaps = Strings(entry, "includes", "caps");
                var excludeCaps = Strings(entry, "excludes", "caps");
                var arches = Strings(entry, "includes", "arches");
                rules.Add(new SeccompRule(names, action, hasArgs, includeCaps, excludeCaps, arches, path, source.LineOf(path)));
                index++;
            }
        }

        return new SeccompProfile(defaultAction, source.LineOf(basePath + ".defaultAction"), rules, basePath);
    }

    private static IReadOnlyList<string> Strings(JsonElement entry, string group, string key) =>
        entry.TryGetProperty(group, out var g) && g.ValueKind == JsonValueKind.Object && g.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static string RequireString(JsonSource source, JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Bad(source, $"{path}.{name}", "is missing or not a string");

    private static StrataException Bad(JsonSource source, string path, string what)
    {
        var line = source.LineOf(path);
        return StrataException.BadInput($"{source.File}{(line is int l ? ":" + l : string.Empty)}: {path} {what}.");
    }
}

/// <summary>One entry of a profile's syscalls list.</summary>
/// <param name="HasArgumentFilter">The rule only matches some argument values.</param>
/// <param name="IncludeCaps">The rule applies only when the container has these capabilities.</param>
public sealed record SeccompRule(
    IReadOnlyList<string> Names,
    string Action,
    bool HasArgumentFilter,
    IReadOnlyList<string> IncludeCaps,
    IReadOnlyList<string> ExcludeCaps,
    IReadOnlyList<string> Arches,
    string JsonPath,
    int? Line)
{
    /// <summary>Allows the syscall whatever its arguments and whatever capabilities the container has.</summary>
    public bool AllowsUnconditionally => SeccompProfile.IsPermissive(Action) && !HasArgumentFilter && IncludeCaps.Count == 0;
}
