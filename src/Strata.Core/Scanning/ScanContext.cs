namespace Strata.Core.Scanning;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Core.Checks;

/// <summary>What every scanner may use while scanning.</summary>
public sealed class ScanContext
{
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The root under which host files (/proc, /sys, /etc/os-release) are read: "/" for the real host,
    /// a fixture tree in tests.
    /// </summary>
    public string HostRoot { get; init; } = "/";

    /// <summary>Reports progress (e.g. bytes of a layer read); shown on stderr when it is a terminal.</summary>
    public IProgress<ScanProgress>? Progress { get; init; }

    /// <summary>The bounds of this run (<c>--limits</c>): document sizes, depths and node counts, findings per rule.</summary>
    public Limits Limits { get; init; } = Limits.Default;

    /// <summary>The Pod Security Standards level and version manifests are evaluated at, unless a Namespace of the input labels its own.</summary>
    public PodSecurityScanOptions PodSecurity { get; init; } = PodSecurityScanOptions.Default;

    /// <summary>The context checks of <paramref name="target"/> run with: its name, and this run's findings cap.</summary>
    public CheckContext ChecksOf(string target) => new(target) { MaxFindingsPerRule = Limits.MaxFindingsPerRule };

    /// <summary>
    /// What a scanner had to skip without the target failing (a directory of a root filesystem it may not list, a file
    /// it may not read): each becomes a warning of the report, counted in its summary, so a gap is never silent.
    /// </summary>
    public ScanWarnings Warnings { get; } = new();
}

/// <summary>Warnings scanners add while they scan (from any thread); the engine takes them into the report.</summary>
public sealed class ScanWarnings
{
    private readonly List<string> messages = [];

    /// <summary>Adds one warning; it names the target and the path, e.g. <c>rootfs:/srv: /etc: cannot list the directory: Permission denied</c>.</summary>
    public void Add(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (messages)
        {
            messages.Add(message);
        }
    }

    /// <summary>The warnings added since the last call, in the order they were added.</summary>
    public IReadOnlyList<string> Take()
    {
        lock (messages)
        {
            var taken = messages.ToList();
            messages.Clear();
            return taken;
        }
    }
}

/// <summary>A progress report: <paramref name="Done"/> of <paramref name="Total"/> units of one step.</summary>
public sealed record ScanProgress(string Step, long Done, long Total);
