namespace Strata.Cli.Tests;

using System.Text.Json;

/// <summary><c>strata caps</c> end to end, in process.</summary>
public sealed class CapsCommandTests
{
    [Fact]
    public async Task Decode_assesses_a_mask_against_the_chosen_runtime_in_json()
    {
        var result = await CliRunner.RunAsync("caps", "decode", "00000000a82425fb", "--against", "docker", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var root = json.RootElement;
        Assert.Equal("CRITICAL", root.GetProperty("risk").GetString());
        Assert.Equal(["CAP_SYS_ADMIN"], root.GetProperty("added").GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["CAP_SYS_ADMIN"], root.GetProperty("escapeCapable").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.GetProperty("privilegedEquivalent").GetBoolean());
    }

    [Fact]
    public async Task Diff_compares_runtime_defaults()
    {
        var result = await CliRunner.RunAsync("caps", "diff", "docker", "podman");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("only in A:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_RAW", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("CAP_MKNOD", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("only in B:", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pid_self_reads_the_five_sets()
    {
        var result = await CliRunner.RunAsync("caps", "pid", "self", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var sets = json.RootElement.GetProperty("sets");
        Assert.Equal(["inheritable", "permitted", "effective", "bounding", "ambient"], sets.EnumerateObject().Select(p => p.Name));
        var status = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal)).Split('\t')[1];
        Assert.Equal(status, sets.GetProperty("bounding").GetProperty("mask").GetString());
    }

    [Theory]
    [InlineData("decode", "CHOWN,CAP_FLY")]
    [InlineData("show", "CAP_FLY")]
    [InlineData("decode", "00000000000000000")]
    public async Task A_bad_capability_argument_is_a_usage_error(string verb, string argument)
    {
        var result = await CliRunner.RunAsync("caps", verb, argument);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.StartsWith("strata: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_runtime_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("caps", "decode", "CHOWN", "--against", "lxd");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--against: 'lxd'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_names_all_41_capabilities()
    {
        var result = await CliRunner.RunAsync("caps", "list", "--format", "json");
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal(41, json.RootElement.GetProperty("capabilities").GetArrayLength());
        Assert.Equal(5, json.RootElement.GetProperty("runtimeDefaults").GetArrayLength());
    }
}
