namespace Strata.Core.Scanning;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

}

/// <summary>A progress report: <paramref name="Done"/> of <paramref name="Total"/> units of one step.</summary>
public sealed record ScanProgress(string Step, long Done, long Total);
