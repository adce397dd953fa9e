namespace Strata.Cli.Tests;

using System.Diagnostics;
using System.Globalization;
using Strata.Testing;

/// <summary>
/// SIGINT to the real process (issue 8, defect 9): the first stops the run wherever it is, even inside a long table,
/// with exit code 130, a message and no --output file; a second ends a run the first could not stop, at once.
/// The bounds are generous: these check that the signal is heeded, not how fast.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InterruptTests : IDisposable
{
    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(10);
    private readonly TempDirectory temp = new("strata-interrupt");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_first_sigint_stops_a_long_table_report_and_leaves_no_output_file()
    {
        // Many targets, each with a few findings of different rules: a long table however findings are capped.
        var pods = Directory.CreateDirectory(temp.Combine("pods")).FullName;
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllText(
                Path.Combine(pods, string.Create(CultureInfo.InvariantCulture, $"pod-{i:D5}.yaml")),
                string.Create(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n    image: nginx:{i}\n    securityContext:\n      privileged: true\n"));
        }

        var outputDirectory = Directory.CreateDirectory(temp.Combine("out")).FullName;
        var output = Path.Combine(outputDirectory, "report.txt");
        using var process = Start("scan", "k8s:" + pods, "--no-progress", "--output", output);
        var stderr = process.StandardError.ReadToEndAsync();

        // The report is being written once its temporary file is there.
        var watch = Stopwatch.StartNew();
        while (Directory.GetFileSystemEntries(outputDirectory).Length == 0)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the scan ended before it wrote its report; make the input larger. stderr: {await stderr}");
            }

            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), "the report was not started in 3 minutes");
            await Task.Delay(10);
        }

        await SendSigintAsync(process);
        Assert.True(await ExitsWithinAsync(process, ExitLimit), "the first SIGINT did not stop the report");
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted", await stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outputDirectory));
    }

    [Fact]
    public async Task A_second_sigint_ends_a_run_the_first_did_not_stop()
    {
        // A read of a pipe that never delivers does not heed cancellation: only the second SIGINT ends it.
        var outputDirectory = Directory.CreateDirectory(temp.Combine("out")).FullName;
        using var process = Start("scan", "k8s:/dev/stdin", "--debug", "--no-progress", "--output", Path.Combine(outputDirectory, "report.txt"));
        var stdin = process.StandardInput;
        await WaitForLineAsync(process, "Running");

        await SendSigintAsync(process);
        await Task.Delay(500);
        await SendSigintAsync(process);
        Assert.True(await ExitsWithinAsync(process, ExitLimit), "the second SIGINT did not end the process");
        Assert.Equal(130, process.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(outputDirectory));
        stdin.Close();
    }

    private static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Strata);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start strata");
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private static async Task WaitForLineAsync(Process process, string text)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardError.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"strata ended (exit {process.ExitCode}) before writing '{text}' on stderr");
    }

    private static async Task SendSigintAsync(Process process)
    {
        var kill = await ExternalTool.RunAsync("kill", ["-s", "INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0 || process.HasExited, kill.StdErr);
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan limit)
    {
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}
