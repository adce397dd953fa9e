namespace Strata.Cli.Tests;

using System.Text;

/// <summary>Runs the CLI in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string[] args, string? workingDirectory = null, DateOnly? today = null, int width = 80)
    {
        using var stdout = new MemoryStream();
        await using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr) { WorkingDirectory = workingDirectory ?? Path.GetTempPath(), Today = today, Width = width };
        var exit = await StrataCli.RunAsync(args, io, CancellationToken.None);
        return new Result(exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, null, null);
}
