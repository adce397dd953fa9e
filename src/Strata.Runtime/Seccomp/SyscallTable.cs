namespace Strata.Runtime.Seccomp;

using System.Globalization;

/// <summary>
/// The syscall names and numbers of one architecture, as libseccomp knows them (embedded data generated with
/// scmp_sys_resolver; a test compares every entry with it).
/// </summary>
/// <param name="Name">libseccomp's architecture name (x86_64, aarch64, …).</param>
/// <param name="ScmpArch">The profile spelling (SCMP_ARCH_X86_64).</param>
/// <param name="GoArch">The spelling of moby's includes/excludes arches (Go's GOARCH: amd64, arm64, …).</param>
/// <param name="SubArchitectures">What moby's default archMap lists with it.</param>
public sealed record SyscallTable(string Name, string ScmpArch, string GoArch, IReadOnlyList<string> SubArchitectures, IReadOnlyDictionary<string, int> ByName)
{
    private static readonly Lazy<IReadOnlyList<SyscallTable>> Tables = new(Load);

    /// <summary>The architectures Strata has tables for.</summary>
    public static IReadOnlyList<SyscallTable> All => Tables.Value;

    public IReadOnlyDictionary<int, string> ByNumber { get; } = ByName.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.Select(e => e.Key).Order(StringComparer.Ordinal).First());

    /// <summary>Finds a table by any spelling: x86_64, amd64, SCMP_ARCH_X86_64.</summary>
    public static SyscallTable? Find(string arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        return All.FirstOrDefault(t => string.Equals(t.Name, arch, StringComparison.OrdinalIgnoreCase) || string.Equals(t.ScmpArch, arch, StringComparison.OrdinalIgnoreCase) || string.Equals(t.GoArch, arch, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether any table knows the name.</summary>
    public static bool IsKnownAnywhere(string name) => All.Any(t => t.ByName.ContainsKey(name));

    /// <summary>The table of the machine Strata runs on.</summary>
    public static SyscallTable? Host => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => Find("x86_64"),
        System.Runtime.InteropServices.Architecture.X86 => Find("x86"),
        System.Runtime.InteropServices.Architecture.Arm64 => Find("aarch64"),
        System.Runtime.InteropServices.Architecture.Arm => Find("arm"),
        System.Runtime.InteropServices.Architecture.RiscV64 => Find("riscv64"),
        System.Runtime.InteropServices.Architecture.S390x => Find("s390x"),
        System.Runtime.InteropServices.Architecture.Ppc64le => Find("ppc64le"),
        _ => null,
    };

    private static IReadOnlyList<SyscallTable> Load() =>
    [
        Read("x86_64", "SCMP_ARCH_X86_64", "amd64", ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
        Read("x86", "SCMP_ARCH_X86", "386", []),
        Read("aarch64", "SCMP_ARCH_AARCH64", "arm64", ["SCMP_ARCH_ARM"]),
        Read("arm", "SCMP_ARCH_ARM", "arm", []),
        Read("riscv64", "SCMP_ARCH_RISCV64", "riscv64", []),
        Read("s390x", "SCMP_ARCH_S390X", "s390x", ["SCMP_ARCH_S390"]),
        Read("ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le", []),
    ];

    private static SyscallTable Read(string name, string scmp, string go, IReadOnlyList<string> subs)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fields in Lines($"{name}.tsv"))
        {
            byName[fields[0]] = int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        foreach (var fields in Newer)
        {
            if (fields[2] == "*" || fields[2].Split(',').Contains(name, StringComparer.Ordinal))
            {
                byName.TryAdd(fields[0], int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        return new SyscallTable(name, scmp, go, subs, byName);
    }

    /// <summary>Syscalls newer than the libseccomp the tables come from: name, number, architectures (* for all).</summary>
    internal static IReadOnlyList<string[]> Newer => Lines("newer.txt");

    /// <summary>The tab-separated fields of each line of an embedded table, comments and blank lines left out.</summary>
    internal static IReadOnlyList<string[]> Lines(string resource)
    {
        using var stream = typeof(SyscallTable).Assembly.GetManifestResourceStream("Strata.Runtime.Seccomp.Syscalls." + resource)
            ?? throw new InvalidOperationException($"The syscall table {resource} is not embedded.");
        using var reader = new StreamReader(stream);
        var lines = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                lines.Add(line.Split('\t'));
            }
        }

        return lines;
    }
}
