namespace Strata.Cli;

using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Strata.Cli.Commands;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Secrets;

/// <summary>The command line: parses, dispatches to a command, and maps failures to exit codes.</summary>
public static partial class StrataCli
{
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        var shared = new SharedOptions();
        var root = new RootCommand("Strata secures containers layer by layer: kernel, image, runtime, Kubernetes and application.");
        var (scan, host) = ScanCommand.Create(shared, io);
        root.Subcommands.Add(scan);
        root.Subcommands.Add(host);
        root.Subcommands.Add(RulesCommand.Create(shared, io));
        root.Subcommands.Add(ImageCommand.Create(shared, io));
        root.Subcommands.Add(LimitsCommand.Create(shared, io));
        root.Subcommands.Add(FixCommand.Create(shared, io));
        root.Subcommands.Add(CapsCommand.Create(shared, io));
        root.Subcommands.Add(InsideCommand.Create(shared, io));
        root.Subcommands.Add(SeccompCommand.Create(shared, io));
        root.Subcommands.Add(AppArmorCommand.Create(shared, io));
        root.Subcommands.Add(K8sCommand.Create(shared, io));
        root.Subcommands.Add(KeyCommand.Create(shared, io));
        root.Subcommands.Add(SignCommand.Create(shared, io));
        root.Subcommands.Add(VerifyCommand.Create(shared, io));
        root.Subcommands.Add(PolicyCommand.Create(shared, io));
        foreach (var crypt in CryptCommand.Create(shared, io))
        {
            root.Subcommands.Add(crypt);
        }

        var parse = root.Parse(args);
        var stdout = new StreamWriter(io.Out, new System.Text.UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        await using (stdout.ConfigureAwait(false))
        {
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    await io.Error.WriteLineAsync($"strata: {Safe(QuotedToken().Replace(error.Message, m => $"'{Redaction.Quote(m.Groups[1].Value, 80)}'"))}");
                }

                await io.Error.WriteLineAsync("Run 'strata --help' for usage.");
                return (int)ExitCode.Usage;
            }

            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = io.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken);
        }
    }

    /// <summary>Runs a command body with the CLI's error handling: one clear line, the right exit code, a stack trace only with --debug.</summary>
    internal static async Task<int> GuardAsync(CliIo io, bool debug, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (StrataException e)
        {
            await io.Error.WriteLineAsync($"strata: {Safe(e.Message)}");
            if (debug)
            {
                await io.Error.WriteLineAsync(Safe(e.ToString()));
            }

            return (int)e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Only the user cancels (SIGINT): timeouts inside are reported as errors of their own.
            await io.Error.WriteLineAsync("strata: interrupted; stopped without writing a report.");
            return (int)ExitCode.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            await io.Error.WriteLineAsync($"strata: {Safe(e.Message)}{(debug ? string.Empty : " (run with --debug for details)")}");
            if (debug)
            {
                await io.Error.WriteLineAsync(Safe(e.ToString()));
            }

            return (int)ExitCode.Error;
        }
    }

    /// <summary>
    /// Every line the CLI writes to stderr passes here: credentials of a known format are masked whatever part of the
    /// message holds them (what a message quotes from input went through <see cref="Redaction.Quote"/> already).
    /// </summary>
    internal static string Safe(string message) => SecretText.MaskMessage(message);

    internal static ILoggerFactory CreateLoggerFactory(CliIo io, bool quiet, bool debug) =>
        LoggerFactory.Create(builder =>
        {
            var level = debug ? LogLevel.Debug : quiet ? LogLevel.Error : LogLevel.Information;
            builder.SetMinimumLevel(level);
            builder.AddProvider(new StderrLoggerProvider(io.Error, level));
        });

    /// <summary>A token System.CommandLine quotes in its errors (<c>Unrecognized command or argument 'x'</c>).</summary>
    [GeneratedRegex("'([^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedToken();
}
