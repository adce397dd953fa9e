namespace Strata.Kernel.Runtimes;

using System.Reflection;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Packages;

/// <summary>A container runtime CVE: the first fixed release of each branch, and distribution packages known to carry the fix.</summary>
public sealed record RuntimeCve(string Id, string Runtime, Severity Severity, IReadOnlyList<DebianVersion> Fixed, IReadOnlyDictionary<string, DebianVersion> DistributionFixes, string ExploitClass)
{
    private const string ResourceName = "Strata.Kernel.Data.runtime-escape-cves.json";

    private static readonly Lazy<(IReadOnlyList<RuntimeCve> Cves, IReadOnlyDictionary<string, IReadOnlyList<string>> Packages)> Table = new(Load);

    public static IReadOnlyList<RuntimeCve> All => Table.Value.Cves;

    /// <summary>For each runtime, the package names that ship it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Packages => Table.Value.Packages;

    /// <summary>
    /// Null when <paramref name="upstream"/> has the fix: at or above its branch's fixed release, or newer than every fix.
    /// Otherwise what is missing, in words.
    /// </summary>
    public string? Missing(DebianVersion upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var branch = Branch(upstream);
        var sameBranch = Fixed.FirstOrDefault(f => Branch(f) == branch);
        if (sameBranch is not null)
        {
            return upstream >= sameBranch ? null : $"the {branch} branch has the fix from {sameBranch}";
        }

        return Fixed.All(f => upstream > f) ? null : $"fixed in {string.Join(", ", Fixed)}";
    }

    /// <summary>"1.1" of 1.1.5, "1.0" of 1.0.0~rc95.</summary>
    private static string Branch(DebianVersion version)
    {
        var parts = version.Upstream.Split('~')[0].Split('.');
        return parts.Length >= 2 ? parts[0] + "." + parts[1] : parts[0];
    }

    private static (IReadOnlyList<RuntimeCve>, IReadOnlyDictionary<string, IReadOnlyList<string>>) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing.");
        using var json = JsonDocument.Parse(stream);
        var packages = json.RootElement.GetProperty("packages").EnumerateObject()
            .ToDictionary(p => p.Name, p => (IReadOnlyList<string>)[.. p.Value.EnumerateArray().Select(n => n.GetString()!)], StringComparer.Ordinal);
        var cves = new List<RuntimeCve>();
        foreach (var item in json.RootElement.GetProperty("cves").EnumerateArray())
        {
            var distribution = item.TryGetProperty("distributionFixes", out var fixes)
                ? fixes.EnumerateObject().ToDictionary(p => p.Name, p => DebianVersion.Parse(p.Value.GetString()!), StringComparer.Ordinal)
                : new Dictionary<string, DebianVersion>(StringComparer.Ordinal);
            cves.Add(new RuntimeCve(
                item.GetProperty("id").GetString()!,
                item.GetProperty("runtime").GetString()!,
                Enum.Parse<Severity>(item.GetProperty("severity").GetString()!, ignoreCase: true),
                [.. item.GetProperty("fixed").EnumerateArray().Select(f => DebianVersion.Parse(f.GetString()!))],
                distribution,
                item.GetProperty("class").GetString()!));
        }

        return (cves, packages);
    }
}
