namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary>The real executable: exit codes and the stdout/stderr split as a shell sees them.</summary>
public sealed class ProcessTests
{
    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");

    [Fact]
    public async Task Exit_codes_and_streams_of_the_real_process()
    {
        var clean = await ExternalTool.RunAsync("dotnet", [Strata, "scan", Path.Combine(RepoPaths.Shared, "fixtures", "seccomp", "moby-default.json"), "--format", "json"]);
        Assert.Equal(0, clean.ExitCode);
        Assert.StartsWith("{", clean.StdOut, StringComparison.Ordinal);

        var findings = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "--fail-on", "HIGH", "--format", "sarif"]);
        Assert.Equal(1, findings.ExitCode);
        Assert.Empty(SchemaValidator.ValidateSarif(findings.StdOut));

        var usage = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "--no-such-option"]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(string.Empty, usage.StdOut);

        var help = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--fail-on", help.StdOut, StringComparison.Ordinal);
    }
}
