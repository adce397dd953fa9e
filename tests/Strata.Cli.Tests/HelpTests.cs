namespace Strata.Cli.Tests;

using Strata.Reporting;

/// <summary>Each command's help shows the options it honours and the formats its writers have, nothing else.</summary>
public sealed class HelpTests
{
    public static TheoryData<string, string[], string[]> Commands => new()
    {
        { "scan", ReportWriterFactory.ForScan(new ReportSettings()).Formats.ToArray(), ["--output", "--severity", "--fail-on", "--ignore-file", "--quiet", "--no-progress", "--debug", "--platform", "--limits"] },
        { "image inspect", ReportWriterFactory.ForImageInspect(new ReportSettings()).Formats.ToArray(), ["--output", "--debug", "--platform", "--limits"] },
        { "image files", ReportWriterFactory.ForImageFiles(new ReportSettings()).Formats.ToArray(), ["--output", "--debug", "--platform", "--image-layer", "--deleted", "--limits"] },
        { "image extract", ReportWriterFactory.ForImageExtract(new ReportSettings()).Formats.ToArray(), ["--output", "--quiet", "--debug", "--platform", "--limits"] },
        { "rules list", ReportWriterFactory.ForRuleList(new ReportSettings()).Formats.ToArray(), ["--output", "--debug", "--layer"] },
        { "rules explain", ReportWriterFactory.ForRule(new ReportSettings()).Formats.ToArray(), ["--output", "--debug"] },
        { "rules docs", [], ["--check", "--quiet", "--debug"] },
        { "limits", [], ["--debug"] },
        { "fix", [], ["--write", "--rule", "--pin-digests", "--quiet", "--debug", "--authfile", "--tls-verify"] },
    };

    private static readonly string[] Shared = ["--format", "--output", "--severity", "--fail-on", "--ignore-file", "--limits", "--quiet", "--no-progress", "--debug"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_lists_the_options_the_command_honours_and_its_formats(string command, string[] formats, string[] options)
    {
        var result = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);
        Assert.Equal(0, result.ExitCode);
        var shown = options.Concat(formats.Length > 0 ? ["--format"] : []).ToHashSet(StringComparer.Ordinal);
        foreach (var option in Shared)
        {
            if (shown.Contains(option))
            {
                Assert.Contains(option, result.StdOut, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain(option + " ", result.StdOut, StringComparison.Ordinal);
            }
        }

        foreach (var option in options)
        {
            Assert.Contains(option, result.StdOut, StringComparison.Ordinal);
        }

        if (formats.Length > 0)
        {
            Assert.Contains($"--format <{string.Join('|', formats)}>", result.StdOut, StringComparison.Ordinal);
            Assert.Contains($"[default: {formats[0]}]", result.StdOut, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("sarif", formats.Contains("sarif") ? string.Empty : result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("--layer ", command.StartsWith("image", StringComparison.Ordinal) ? result.StdOut : string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_format_the_command_does_not_write_is_a_usage_error_before_anything_is_opened()
    {
        var result = await CliRunner.RunAsync("image", "inspect", "oci:/nonexistent", "--format", "sarif");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("strata: --format sarif: image inspect writes table or json.\n", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("nonexistent", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }
}
