namespace Strata.Reporting;

/// <summary>What the writers need to know about where they write.</summary>
public sealed record ReportSettings
{
    /// <summary>Columns a table may use (see <see cref="TerminalWidth"/>).</summary>
    public int Width { get; init; } = TerminalWidth.Default;

    /// <summary>The root that SARIF artifact URIs are relative to (<c>%SRCROOT%</c>) and relative file names are resolved against.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>ANSI colours in tables.</summary>
    public bool Colour { get; init; }

    /// <summary>The version written into every JSON document as <c>toolVersion</c>.</summary>
    public string ToolVersion { get; init; } = "0.0.0";
}
