namespace Strata.Cli.Tests;

using System.CommandLine;
using Strata.Cli.Commands;
using Strata.Oci;

/// <summary>The registry options shared by <c>strata image</c> and <c>strata scan</c>, down to the image reader's options.</summary>
public sealed class ImageAccessTests
{
    private const string Password = "pw-3c2b1a-never-print";

    [Fact]
    public void Options_parse_into_open_options_that_never_print_the_password()
    {
        var arguments = new ImageAccessArguments();
        var command = new Command("probe");
        arguments.AddTo(command);
        var open = arguments.Read(command.Parse(["--platform", "linux/arm64/v8", "--creds", $"alice:{Password}", "--authfile", "/tmp/auth.json", "--tls-verify=false"]));
        Assert.Equal("linux/arm64/v8", open.Platform?.ToString());
        Assert.Equal("alice", open.Registry.Credentials?.Username);
        Assert.Equal(Password, open.Registry.Credentials?.Password);
        Assert.Equal("/tmp/auth.json", open.Registry.AuthFilePath);
        Assert.False(open.Registry.TlsVerify);
        Assert.DoesNotContain(Password, open.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, open.Registry.ToString(), StringComparison.Ordinal);
        Assert.Contains("user 'alice'", open.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_verify_tls_and_choose_nothing()
    {
        var arguments = new ImageAccessArguments();
        var command = new Command("probe");
        arguments.AddTo(command);
        var open = arguments.Read(command.Parse([]));
        Assert.Equal(ImageOpenOptions.Default with { Registry = ImageOpenOptions.Default.Registry with { TlsVerify = true } }, open);
        Assert.True(arguments.Read(command.Parse(["--tls-verify"])).Registry.TlsVerify);
        Assert.False(arguments.Read(command.Parse(["--tls-verify", "false"])).Registry.TlsVerify);
        Assert.Null(open.Platform);
        Assert.Null(open.Registry.Credentials);
        Assert.True(open.Registry.TlsVerify);
    }

    [Theory]
    [InlineData("--platform", "linux/arm64/v8/extra", "--platform 'linux/arm64/v8/extra'")]
    [InlineData("--creds", Password, "--creds: expected USERNAME:PASSWORD")]
    public async Task Scan_takes_the_image_options_and_rejects_malformed_ones_before_scanning(string option, string value, string expected)
    {
        var result = await CliRunner.RunAsync("scan", "docker://127.0.0.1:1/never/contacted:v1", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }
}
