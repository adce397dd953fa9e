namespace Strata.Runtime.AppArmor;

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Runtime.Recording;

/// <summary>What the generated profile is for and how recorded paths map into the container.</summary>
/// <param name="Name">The profile name (what runtimes are given: --security-opt apparmor=NAME, process.apparmorProfile).</param>
/// <param name="RootFilesystem">When the run was recorded in an unpacked root filesystem on the host, its path: paths under it are rewritten to the container's, the rest dropped.</param>
public sealed record AppArmorOptions(string Name, string? RootFilesystem = null)
{
    /// <summary>Keep docker-default's denials (mounts, writes to /proc and /sys kernel interfaces).</summary>
    public bool KernelInterfaceDenials { get; init; } = true;
}

/// <summary>
/// Drafts an AppArmor profile for a container from a recorded run, in the shape of Docker's docker-default template:
/// the abstractions/base include, the capabilities and network families the run used, one rule per path it read, wrote,
/// executed, mapped or locked, signals and ptrace only within the profile, and docker-default's denials.
/// </summary>
public static partial class AppArmorProfileGenerator
{
    public static string Generate(TraceRecording recording, AppArmorOptions options)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(options);
        if (!ValidName().IsMatch(options.Name))
        {
            throw StrataException.Usage($"Profile name '{Redaction.Quote(options.Name, 80)}': use letters, digits, '.', '_' and '-' (at most 200).");
        }

        var text = new StringBuilder();
        text.Append("# AppArmor profile drafted by Strata (strata apparmor generate) from a recorded run");
        text.Append(recording.Executables.Count > 0 ? " of " + Comment(string.Join(", ", recording.Executables.Take(5))) : string.Empty).Append(".\n");
        text.Append("# A run shows only the paths it used: exercise every feature while recording, and review before enforcing.\n");
        text.Append(CultureInfo.InvariantCulture, $"# Check: apparmor_parser -Q -K FILE. Load: apparmor_parser -r FILE. Use: docker run --security-opt apparmor={options.Name} …\n");
        text.Append("abi <abi/3.0>,\n\n#include <tunables/global>\n\n");
        text.Append(CultureInfo.InvariantCulture, $"profile {options.Name} flags=(attach_disconnected,mediate_deleted) {{\n");
        text.Append("  #include <abstractions/base>\n");

        if (recording.Capabilities.Count > 0)
        {
            text.Append("\n  # Capabilities the recorded syscalls imply (overrides such as dac_override do not show in a trace)\n");
            foreach (var capability in recording.Capabilities)
            {
                text.Append("  capability ").Append(capability).Append(",\n");
            }
        }

        if (recording.Networks.Count > 0)
        {
            text.Append("\n  # Socket families and types the run opened\n");
            foreach (var network in recording.Networks)
            {
                text.Append("  network ").Append(network).Append(",\n");
            }
        }

        var rules = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (recorded, access) in recording.RealPaths)
        {
            if (Map(recorded, options.RootFilesystem) is not { } path || Permissions(access) is not { Length: > 0 } permissions)
            {
                continue;
            }

            rules[path] = rules.TryGetValue(path, out var existing) ? Merge(existing, permissions) : permissions;
        }

        if (rules.Count > 0)
        {
            text.Append("\n  # Paths the run used\n");
            foreach (var (path, permissions) in rules)
            {
                text.Append("  ").Append(PathPattern(path)).Append(' ').Append(permissions).Append(",\n");
            }
        }

        text.Append("\n  # Signals and tracing only within the profile; the runtime (unconfined) may signal it\n");
        text.Append("  signal (receive) peer=unconfined,\n");
        text.Append(CultureInfo.InvariantCulture, $"  signal (send,receive) peer={options.Name},\n");
        text.Append(CultureInfo.InvariantCulture, $"  ptrace (read,readby) peer={options.Name},\n");
        if (options.KernelInterfaceDenials)
        {
            text.Append("""

                  # As docker-default: no mounts, no writes to kernel interfaces under /proc and /sys
                  deny mount,
                  deny umount,
                  deny pivot_root,
                  deny @{PROC}/* w,
                  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,
                  deny @{PROC}/sys/[^k]** w,
                  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,
                  deny @{PROC}/sysrq-trigger rwklx,
                  deny @{PROC}/kcore rwklx,
                  deny /sys/[^f]*/** wklx,
                  deny /sys/f[^s]*/** wklx,
                  deny /sys/fs/[^c]*/** wklx,
                  deny /sys/fs/c[^g]*/** wklx,
                  deny /sys/fs/cg[^r]*/** wklx,
                  deny /sys/firmware/** rwklx,
                  deny /sys/kernel/security/** rwklx,

                """);
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>AppArmor's permission letters for what the run did, in the usual order.</summary>
    internal static string Permissions(PathAccess access)
    {
        var letters = new StringBuilder();
        if (access.HasFlag(PathAccess.MapExecutable))
        {
            letters.Append('m');
        }

        if (access.HasFlag(PathAccess.Read))
        {
            letters.Append('r');
        }

        if (access.HasFlag(PathAccess.Write))
        {
            letters.Append('w');
        }

        if (access.HasFlag(PathAccess.Lock))
        {
            letters.Append('k');
        }

        if (access.HasFlag(PathAccess.Execute))
        {
            letters.Append("ix");
        }

        return letters.ToString();
    }

    private static string Merge(string a, string b)
    {
        var letters = new HashSet<char>(a + b);
        return new string([.. "mrwkix".Where(letters.Contains)]);
    }

    private static string? Map(string path, string? rootFilesystem)
    {
        if (rootFilesystem is null)
        {
            return path;
        }

        var root = rootFilesystem.TrimEnd('/');
        if (path == root || path == root + "/")
        {
            return "/";
        }

        return path.StartsWith(root + "/", StringComparison.Ordinal) ? path[root.Length..] : null;
    }

    /// <summary>
    /// The path as an AppArmor pattern: glob and variable characters escaped, the @{pid}/@{tid} Strata folded /proc into
    /// kept as variables, quoted when it holds blanks or rule punctuation.
    /// </summary>
    internal static string PathPattern(string path)
    {
        var pattern = new StringBuilder();
        var proc = path.StartsWith("/proc/", StringComparison.Ordinal);
        for (var i = 0; i < path.Length; i++)
        {
            if (proc && (Matches(path, i, "@{pid}") || Matches(path, i, "@{tid}")))
            {
                pattern.Append(path, i, 6);
                i += 5;
                continue;
            }

            var c = path[i];
            if (c is '\\' or '"' or '*' or '?' or '[' or ']' or '{' or '}' or '^' or '@')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        var text = pattern.ToString();
        return text.Any(c => c is ' ' or '\t' or ',' or '#' or '=' or '(' or ')' or '!' or '+') || text.Contains('\\', StringComparison.Ordinal) ? "\"" + text + "\"" : text;
    }

    private static bool Matches(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static string Comment(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex ValidName();
}
