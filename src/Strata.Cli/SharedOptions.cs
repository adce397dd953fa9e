namespace Strata.Cli;

using System.CommandLine;
using Strata.Core;
using Strata.Reporting;

/// <summary>
/// Options that several commands accept, each defined once here and added only to the commands that honour it,
/// so a command's help shows only what it does.
/// </summary>
internal sealed class SharedOptions
{
    public Option<string?> Output { get; } = new("--output", "-o")
    {
        HelpName = "file",
        Description = "Write the result to FILE instead of stdout (- is stdout): a regular file is replaced atomically, a device or FIFO written into, a read-only file refused.",
    };

    public Option<string[]> Severity { get; } = new("--severity", "-s")
    {
        HelpName = "list",
        Description = "Report only these severities (comma-separated): CRITICAL,HIGH,MEDIUM,LOW,INFO.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> FailOn { get; } = new("--fail-on")
    {
        HelpName = "severity",
        Description = "Exit with 1 when a finding at or above this severity remains after ignores.",
    };

    public Option<string?> IgnoreFile { get; } = new("--ignore-file")
    {
        HelpName = "file",
        Description = "Ignore file (YAML list of id, reason, optional paths and expires); default .strataignore when present.",
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only errors on stderr.",
    };

    public Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "Never draw progress on stderr.",
    };

    public Option<bool> Debug { get; } = new("--debug")
    {
        Description = "Verbose logs and stack traces on stderr.",
    };

    /// <summary>
    /// <c>--limits KEY=VALUE[,KEY=VALUE…]</c> (repeatable) over the defaults; an unknown key or a bad value is a usage
    /// error naming it, before anything is read.
    /// </summary>
    public Option<Limits?> Limits { get; } = new("--limits")
    {
        HelpName = "key=value,…",
        Description = "Raise or lower what Strata reads before refusing input, e.g. document-bytes=64MiB,findings-per-rule=1000; 'strata limits' lists every key and its default.",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result =>
        {
            try
            {
                return LimitKeys.Parse(result.Tokens.Select(t => t.Value), Core.Limits.Default);
            }
            catch (StrataException e)
            {
                result.AddError(e.Message);
                return Core.Limits.Default;
            }
        },
    };

    /// <summary>
    /// <c>--format</c> of one command: the formats are its writers' (the help lists them, the parser refuses others
    /// before anything is opened), and the first is the default.
    /// </summary>
    public static Option<string> Format<TDocument>(ReportWriters<TDocument> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        var option = new Option<string>("--format", "-f")
        {
            HelpName = string.Join('|', writers.Formats),
            Description = $"Output format: {writers.FormatList}.",
            DefaultValueFactory = _ => writers.DefaultFormat,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } format && !writers.Supports(format))
            {
                result.AddError(writers.UnsupportedMessage(format));
            }
        });
        option.CompletionSources.Add([.. writers.Formats]);
        return option;
    }

    /// <summary>Adds each of these options to the command.</summary>
    public static void Add(Command command, params Option[] options)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }
}
