namespace Strata.Runtime.Recording;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Runtime.Seccomp;

/// <summary>
/// Reads seccomp audit records, as security-profiles-operator's log recorder does: a container run with a profile whose
/// action is SCMP_ACT_LOG leaves one <c>type=SECCOMP</c> record per logged syscall in /var/log/audit/audit.log (or
/// <c>audit: type=1326</c> in the kernel log, syslog and journal). Raw (<c>arch=c000003e syscall=59</c>) and
/// <c>ausearch -i</c> (<c>arch=x86_64 syscall=execve</c>) forms are both read.
/// </summary>
public static partial class AuditLog
{
    /// <summary>The AUDIT_ARCH_* values of the architectures Strata has tables for.</summary>
    private static readonly Dictionary<uint, string> AuditArches = new()
    {
        [0xc000003e] = "x86_64",
        [0x40000003] = "x86",
        [0xc00000b7] = "aarch64",
        [0x40000028] = "arm",
        [0xc00000f3] = "riscv64",
        [0x80000016] = "s390x",
        [0xc0000015] = "ppc64le",
    };

    /// <summary>Which records to take: all when both are empty.</summary>
    public sealed record Filter(IReadOnlySet<int> Pids, IReadOnlySet<string> Executables)
    {
        public static Filter All { get; } = new(new HashSet<int>(), new HashSet<string>(StringComparer.Ordinal));

        public bool Takes(int? pid, string? exe) =>
            (Pids.Count == 0 || (pid is int p && Pids.Contains(p))) && (Executables.Count == 0 || (exe is not null && Executables.Contains(exe)));
    }

    /// <summary>Adds every matching seccomp record of the log to <paramref name="recording"/>; returns how many were taken.</summary>
    public static async Task<long> ReadAsync(TextReader reader, Filter filter, TraceRecording recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(recording);
        var taken = 0L;
        var lineNumber = 0L;
        await foreach (var line in StraceLog.BoundedLines(reader, recording, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (!line.Contains("type=SECCOMP", StringComparison.Ordinal) && !line.Contains("type=1326", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = Fields(line);
            if (!fields.TryGetValue("syscall", out var syscall) || !fields.TryGetValue("arch", out var arch))
            {
                recording.Warn(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: a seccomp record without arch= and syscall="));
                continue;
            }

            int? pid = fields.TryGetValue("pid", out var pidText) && int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
            var exe = fields.GetValueOrDefault("exe");
            if (!filter.Takes(pid, exe))
            {
                continue;
            }

            if (Name(arch, syscall) is { } name)
            {
                recording.AddSyscall(name);
                taken++;
                if (exe is not null && exe.StartsWith('/') && !recording.Executables.Contains(exe))
                {
                    recording.Executables.Add(exe);
                }
            }
            else
            {
                recording.Warn(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: syscall {syscall} on arch {arch} is not in Strata's tables"));
            }
        }

        return taken;
    }

    /// <summary>The syscall's name from a raw (hex arch, number) or interpreted (names) record.</summary>
    public static string? Name(string arch, string syscall)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(syscall);
        var table = uint.TryParse(arch, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) && AuditArches.TryGetValue(code, out var archName)
            ? SyscallTable.Find(archName)
            : SyscallTable.Find(arch);
        if (table is null)
        {
            return null;
        }

        if (!int.TryParse(syscall, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return table.ByName.ContainsKey(syscall) ? syscall : null;
        }

        // x32 calls arrive as x86_64 with bit 30 set; below 512 they share x86_64's names.
        if (table.Name == "x86_64" && (number & 0x40000000) != 0)
        {
            number &= ~0x40000000;
            return number < 512 && table.ByNumber.TryGetValue(number, out var x32) ? x32 : null;
        }

        return table.ByNumber.TryGetValue(number, out var known) ? known : null;
    }

    private static Dictionary<string, string> Fields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Field().Matches(line))
        {
            fields.TryAdd(match.Groups[1].Value, match.Groups[2].Success ? match.Groups[2].Value : Unhex(match.Groups[3].Value));
        }

        return fields;
    }

    /// <summary>Audit writes untrusted strings quoted, or as hex when they hold spaces or quotes.</summary>
    private static string Unhex(string value)
    {
        if (value.Length % 2 != 0 || value.Length < 2 || !value.All(char.IsAsciiHexDigitUpper) || !value.Any(char.IsAsciiLetter))
        {
            return value;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromHexString(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    [GeneratedRegex(@"(?<=^|\s)([a-z_]+)=(?:""([^""]*)""|(\S*))")]
    private static partial Regex Field();
}
