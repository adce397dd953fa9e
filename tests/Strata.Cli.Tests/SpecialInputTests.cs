namespace Strata.Cli.Tests;

using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Testing;

/// <summary>
/// Hostile or odd inputs: special files where a file is expected, standard input, invalid UTF-8, bad ignore files and
/// option values. Each fails alone, in plain words, with the right exit code; the other targets are still reported.
/// </summary>
public sealed class SpecialInputTests : IDisposable
{
    private static readonly string Config = Path.Combine(RepoPaths.Examples, "runtime", "config.json");
    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
    private readonly TempDirectory temp = new("strata-special-input");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_fifo_target_fails_alone_and_quickly_while_the_others_are_reported()
    {
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("pod.yaml"));
        var result = await SpecialFiles.WithinHangLimit(() => CliRunner.RunAsync("scan", "k8s:" + fifo, Config, "--format", "json", "--no-progress"));
        Assert.Equal(3, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal($"{fifo}: is a FIFO (named pipe), not a regular file; refusing to read it.", targets[0].GetProperty("error").GetString());
        Assert.True(targets[1].GetProperty("findings").GetInt32() > 0);
    }

    [Fact]
    public async Task An_ignore_file_that_is_a_fifo_is_a_usage_error_not_a_hang()
    {
        var fifo = await SpecialFiles.MakeFifoAsync(temp.Combine("ignore.yaml"));
        var result = await SpecialFiles.WithinHangLimit(() => CliRunner.RunAsync("scan", Config, "--ignore-file", fifo));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{fifo}: is a FIFO", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_zero_as_a_document_is_refused_instead_of_read_until_memory_runs_out()
    {
        var result = await SpecialFiles.WithinHangLimit(() => CliRunner.RunAsync("scan", "k8s:/dev/zero", "--format", "json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("/dev/zero: is a character device, not a regular file", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standard_input_is_a_document_read_with_the_byte_cap()
    {
        var pod = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Examples, "k8s", "deployment.yaml"));
        var small = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "k8s:/dev/stdin", "--format", "json"], stdin: pod);
        Assert.Equal(0, small.ExitCode);
        using (var json = JsonDocument.Parse(small.StdOut))
        {
            Assert.NotEqual(0, json.RootElement.GetProperty("findings").GetArrayLength());
        }

        // One byte over the cap: a pipe has no length, so only counting what arrives can refuse it. (Exactly that many
        // bytes are sent, so the refusal does not break the pipe under the writer.)
        var huge = new StringBuilder().Append('#', (int)Limits.Default.MaxDocumentBytes).Append('\n').ToString();
        var refused = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "k8s:/dev/stdin", "--format", "json"], stdin: huge);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"/dev/stdin: more than the {Limits.Default.MaxDocumentBytes} bytes allowed for a document (limit document-bytes;", refused.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_profile_fails_that_target_alone_naming_file_line_and_json_path()
    {
        var profile = temp.Combine("profile.json");
        var bytes = Encoding.UTF8.GetBytes("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [ { \"names\": [\"read\", \"wr#ite\"], \"action\": \"SCMP_ACT_ALLOW\" } ]\n}");
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;
        await File.WriteAllBytesAsync(profile, bytes);

        var result = await CliRunner.RunAsync("scan", "seccomp:" + profile, Config, "--format", "json", "--no-progress");
        Assert.Equal(3, result.ExitCode);
        Assert.DoesNotContain("Cannot transcode", result.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.StdOut);
        var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal($"{profile}:3: $.syscalls[0].names[1]: {(global::Strata.Core.Documents.JsonStrings.Undecodable)}.", targets[0].GetProperty("error").GetString());
        Assert.True(targets[1].GetProperty("findings").GetInt32() > 0);
    }

    [Fact]
    public async Task An_ignore_entry_without_a_reason_is_a_usage_error()
    {
        var ignore = temp.WriteFile("ignore.yaml", "- id: RTC-001\n");
        var result = await CliRunner.RunAsync("scan", Config, "--ignore-file", ignore);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{ignore}:1: entry for RTC-001 has no reason", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_rule_id_in_the_ignore_file_is_a_warning()
    {
        const string Pasted = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
        var ignore = temp.WriteFile("ignore.yaml", $"""
            - id: PSS-001
              reason: known rule
            - id: PSS-9999
              reason: a typo suppresses nothing
            - id: 0123456789abcdef
              reason: a fingerprint
            - id: CVE-2024-3094
              reason: an advisory
            - id: {Pasted}
              reason: pasted by mistake
            """);
        var result = await CliRunner.RunAsync("scan", Config, "--ignore-file", ignore, "--no-progress");
        Assert.Equal(0, result.ExitCode);
        var warnings = result.StdErr.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal($"warning: {ignore}:3: ignore entry for PSS-9999: no rule has this ID and it is not a finding fingerprint; it suppresses nothing.", warnings[0]);
        Assert.Contains($"{ignore}:9: ignore entry for ghp_…(", warnings[1], StringComparison.Ordinal);
        Assert.DoesNotContain(Pasted, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_number_too_large_for_an_int_is_a_usage_error_without_clr_type_names()
    {
        var result = await CliRunner.RunAsync("image", "files", "oci:" + temp.Path, "--image-layer", "99999999999");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--image-layer '99999999999': not an image layer number", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.StdErr, StringComparison.Ordinal);
    }
}
