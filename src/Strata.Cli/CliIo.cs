namespace Strata.Cli;

using Strata.Engine;
using Strata.Reporting;

/// <summary>Where the CLI writes: results to <see cref="Out"/>, logs and progress to <see cref="Error"/>.</summary>
/// <param name="ErrorIsRedirected">When false, stderr is a terminal and progress may be drawn on it.</param>
public sealed record CliIo(Stream Out, TextWriter Error, bool ErrorIsRedirected = true)
{
    /// <summary>Root for host facts; "/" except in tests.</summary>
    public string HostRoot { get; init; } = "/";

    /// <summary>Where relative defaults such as .strataignore are looked up, and the root of SARIF artifact URIs.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Today, for ignore-entry expiry; tests fix it.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>Columns a table may use (<see cref="TerminalWidth.Detect"/> for the real process).</summary>
    public int Width { get; init; } = TerminalWidth.Default;

    /// <summary>What the report writers need to know about this run.</summary>
    internal ReportSettings ReportSettings => new() { Width = Width, WorkingDirectory = WorkingDirectory, ToolVersion = ScanEngine.ToolVersion };
}
