namespace Strata.Kernel.Capabilities;

using System.Reflection;
using System.Text.Json;
using Strata.Core.Findings;

/// <summary>One Linux capability: what it grants, the kernel that introduced it, and what it is worth to an attacker in a container.</summary>
/// <param name="Since">The first kernel version with this capability.</param>
/// <param name="Risk">Its risk when a container holds it: CRITICAL means a known escape to the host with it alone.</param>
/// <param name="Escapes">Known escape or abuse techniques, each with the conditions it needs.</param>
public sealed record CapabilityInfo(int Number, string Name, string Since, Severity Risk, string Grants, IReadOnlyList<string> Escapes);

/// <summary>The set a root process gets in a container of a runtime that adds and drops nothing.</summary>
public sealed record RuntimeDefault(string Runtime, string Source, CapabilitySet Capabilities);

/// <summary>
/// Every Linux capability from 0 (CAP_CHOWN) to 40 (CAP_CHECKPOINT_RESTORE) and the default sets of the container
/// runtimes, from the embedded <c>Data/capabilities.json</c>.
/// </summary>
public static class CapabilityCatalog
{
    private const string ResourceName = "Strata.Kernel.Data.capabilities.json";

    private static readonly Lazy<(IReadOnlyList<CapabilityInfo> All, IReadOnlyList<RuntimeDefault> Defaults)> Data = new(Load);

    /// <summary>The highest capability number the catalog knows (CAP_CHECKPOINT_RESTORE, Linux 5.9).</summary>
    public const int LastKnown = 40;

    public static IReadOnlyList<CapabilityInfo> All => Data.Value.All;

    /// <summary>
    /// Capabilities that amount to root on the host or let a process leave its container (mount, module loading, raw
    /// devices, ptrace of other processes, BPF, …): what CAP-001 and CAP-002 report when a container holds them.
    /// </summary>
    public static IReadOnlySet<string> Dangerous { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_PTRACE", "CAP_SYS_BOOT", "CAP_MAC_ADMIN",
        "CAP_MAC_OVERRIDE", "CAP_BPF", "CAP_PERFMON", "CAP_DAC_READ_SEARCH", "CAP_NET_ADMIN", "CAP_SYSLOG",
        "CAP_SYS_TIME", "CAP_LINUX_IMMUTABLE", "CAP_AUDIT_CONTROL",
    };

    /// <summary>Normalises "sys_admin", "SYS_ADMIN" or "CAP_SYS_ADMIN" to "CAP_SYS_ADMIN", known or not.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
    }

    /// <summary>Docker, containerd, CRI-O, Podman and `runc spec` defaults.</summary>
    public static IReadOnlyList<RuntimeDefault> RuntimeDefaults => Data.Value.Defaults;

    public static CapabilityInfo? ByNumber(int number) => number is >= 0 and <= LastKnown ? All[number] : null;

    public static CapabilityInfo? ByName(string name) => TryGetNumber(name, out var number) ? ByNumber(number) : null;

    public static string NameOf(int number) => ByNumber(number)?.Name ?? $"CAP_{number}";

    /// <summary>The default of a runtime by name (docker, containerd, cri-o or crio, podman, runc), or null.</summary>
    public static RuntimeDefault? DefaultOf(string runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var key = runtime.Trim().ToLowerInvariant() switch
        {
            "crio" => "cri-o",
            "moby" => "docker",
            var other => other,
        };
        return RuntimeDefaults.FirstOrDefault(d => d.Runtime == key);
    }

    /// <summary>Reads <c>CAP_SYS_ADMIN</c>, <c>SYS_ADMIN</c>, <c>sys_admin</c> or a number (<c>21</c>).</summary>
    public static bool TryGetNumber(string name, out int number)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number))
        {
            return number <= LastKnown;
        }

        var full = Normalize(text);
        foreach (var info in All)
        {
            if (info.Name == full)
            {
                number = info.Number;
                return true;
            }
        }

        number = -1;
        return false;
    }

    private static (IReadOnlyList<CapabilityInfo>, IReadOnlyList<RuntimeDefault>) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing.");
        using var json = JsonDocument.Parse(stream);
        var all = new List<CapabilityInfo>();
        foreach (var item in json.RootElement.GetProperty("capabilities").EnumerateArray())
        {
            var info = new CapabilityInfo(
                item.GetProperty("number").GetInt32(),
                item.GetProperty("name").GetString()!,
                item.GetProperty("since").GetString()!,
                Enum.Parse<Severity>(item.GetProperty("risk").GetString()!, ignoreCase: true),
                item.GetProperty("grants").GetString()!,
                [.. item.GetProperty("escapes").EnumerateArray().Select(e => e.GetString()!)]);
            if (info.Number != all.Count)
            {
                throw new InvalidOperationException($"capabilities.json: {info.Name} is number {info.Number}, expected {all.Count}.");
            }

            all.Add(info);
        }

        var names = all.ToDictionary(c => c.Name, c => c.Number, StringComparer.Ordinal);
        var defaults = new List<RuntimeDefault>();
        foreach (var item in json.RootElement.GetProperty("runtimeDefaults").EnumerateArray())
        {
            var set = CapabilitySet.Of(item.GetProperty("capabilities").EnumerateArray().Select(c => names[c.GetString()!]));
            defaults.Add(new RuntimeDefault(item.GetProperty("runtime").GetString()!, item.GetProperty("source").GetString()!, set));
        }

        return (all, defaults);
    }
}
