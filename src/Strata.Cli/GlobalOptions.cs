namespace Strata.Cli;

using System.CommandLine;

/// <summary>Options every command accepts, defined once and shared (Recursive) from the root.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: table, json or sarif.",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Write the report to FILE instead of stdout (- is stdout): a regular file is replaced atomically, a device or FIFO written into, a read-only file refused.",
        Recursive = true,
    };

    public Option<string[]> Severity { get; } = new("--severity", "-s")
    {
        Description = "Report only these severities (comma-separated): CRITICAL,HIGH,MEDIUM,LOW,INFO.",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    public Option<string?> FailOn { get; } = new("--fail-on")
    {
        Description = "Exit with 1 when a finding at or above this severity remains after ignores.",
        Recursive = true,
    };

    public Option<string?> IgnoreFile { get; } = new("--ignore-file")
    {
        Description = "Ignore file (YAML list of id, reason, optional paths and expires); default .strataignore when present.",
        Recursive = true,
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only errors on stderr.",
        Recursive = true,
    };

    public Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "Never draw progress on stderr.",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug")
    {
        Description = "Verbose logs and stack traces on stderr.",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Output);
        command.Options.Add(Severity);
        command.Options.Add(FailOn);
        command.Options.Add(IgnoreFile);
        command.Options.Add(Quiet);
        command.Options.Add(NoProgress);
        command.Options.Add(Debug);
    }
}
