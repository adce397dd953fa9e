using Strata.Cli;
using Strata.Reporting;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

await using var stdout = Console.OpenStandardOutput();
return await StrataCli.RunAsync(args, new CliIo(stdout, Console.Error, Console.IsErrorRedirected) { Width = TerminalWidth.Detect() }, cancellation.Token);
