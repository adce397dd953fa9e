namespace Strata.Runtime.Recording;

/// <summary>How a recorded process used a path: the AppArmor permissions the run needed.</summary>
[Flags]
public enum PathAccess
{
    None = 0,

    /// <summary>Opened for reading, or listed (a directory).</summary>
    Read = 1,

    /// <summary>Opened for writing, created, removed, renamed, linked, or had its mode or owner changed.</summary>
    Write = 2,

    /// <summary>Executed (execve).</summary>
    Execute = 4,

    /// <summary>Mapped executable (shared libraries).</summary>
    MapExecutable = 8,

    /// <summary>Locked (flock, fcntl locks).</summary>
    Lock = 16,
}

/// <summary>
/// What a traced run did, gathered from a strace log or an audit log: the syscalls it made (by name), and for an AppArmor
/// profile the paths it used, the socket families and types it opened, and the capabilities its syscalls imply.
/// </summary>
public sealed class TraceRecording
{
    /// <summary>Distinct paths kept; a run that touches more is summarised with a warning.</summary>
    public const int MaxPaths = 100_000;

    private readonly SortedDictionary<string, long> syscalls = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PathAccess> paths = new(StringComparer.Ordinal);
    private readonly SortedSet<string> networks = new(StringComparer.Ordinal);
    private readonly SortedSet<string> capabilities = new(StringComparer.Ordinal);
    private readonly List<string> warnings = [];

    /// <summary>Each syscall name with how often it was entered.</summary>
    public IReadOnlyDictionary<string, long> Syscalls => syscalls;

    /// <summary>Absolute paths (as the kernel resolved them, /proc/PID folded to /proc/@{pid}) with the access the run needed.</summary>
    public IReadOnlyDictionary<string, PathAccess> Paths => paths;

    /// <summary>AppArmor network rules: "inet stream", "unix dgram", "netlink raw", …</summary>
    public IReadOnlySet<string> Networks => networks;

    /// <summary>Capabilities (lower-case, without CAP_) that the recorded syscalls imply.</summary>
    public IReadOnlySet<string> Capabilities => capabilities;

    /// <summary>Executables the run started (the first is the recorded command).</summary>
    public IList<string> Executables { get; } = [];

    /// <summary>Things the reader could not use (truncated paths, unknown syscall numbers, overlong lines).</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>Lines that held a syscall.</summary>
    public long SyscallLines { get; private set; }

    public void AddSyscall(string name, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        syscalls[name] = syscalls.GetValueOrDefault(name) + count;
        SyscallLines += count;
    }

    public void AddPath(string path, PathAccess access)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (paths.TryGetValue(path, out var existing))
        {
            paths[path] = existing | access;
        }
        else if (paths.Count < MaxPaths)
        {
            paths[path] = access;
        }
        else if (paths.Count == MaxPaths)
        {
            Warn($"more than {MaxPaths} distinct paths; the rest are left out of the AppArmor rules");
            paths["\0overflow"] = PathAccess.None;
        }
    }

    public void AddNetwork(string rule) => networks.Add(rule);

    public void AddCapability(string capability) => capabilities.Add(capability);

    public void Warn(string message)
    {
        if (warnings.Count < 50)
        {
            warnings.Add(message);
        }
        else if (warnings.Count == 50)
        {
            warnings.Add("further warnings left out");
        }
    }

    /// <summary>Adds everything <paramref name="other"/> recorded.</summary>
    public void Merge(TraceRecording other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (name, count) in other.syscalls)
        {
            AddSyscall(name, count);
        }

        foreach (var (path, access) in other.paths.Where(p => p.Key[0] != '\0'))
        {
            AddPath(path, access);
        }

        networks.UnionWith(other.networks);
        capabilities.UnionWith(other.capabilities);
        foreach (var executable in other.Executables.Where(e => !Executables.Contains(e)))
        {
            Executables.Add(executable);
        }

        other.warnings.ForEach(Warn);
    }

    /// <summary>The paths without the internal overflow marker.</summary>
    public IEnumerable<KeyValuePair<string, PathAccess>> RealPaths => paths.Where(p => p.Key[0] != '\0');
}
