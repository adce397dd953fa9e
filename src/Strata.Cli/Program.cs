using Strata.Cli;
using Strata.Reporting;

using var cancellation = new CancellationTokenSource();
using var interrupts = new InterruptHandling(cancellation);

await using var stdout = Console.OpenStandardOutput();
return await StrataCli.RunAsync(args, new CliIo(stdout, Console.Error, Console.IsErrorRedirected) { Width = TerminalWidth.Detect() }, cancellation.Token);
