namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary><c>strata scan</c> of the planted secrets image and tree: SEC findings in every report format, never a secret in full.</summary>
public sealed class ScanSecretsTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("table")]
    public async Task Every_report_format_names_the_secrets_and_holds_none_of_them(string format)
    {
        var image = await ContainerImages.BuildAsync(await SecretImages.PlantedAsync());
        var result = await CliRunner.RunAsync("scan", image.OciReference, "--format", format, "--no-progress", "--fail-on", "CRITICAL");
        Assert.True(result.ExitCode == 1, result.StdErr);
        Assert.Contains("SEC-SLACK-BOT-TOKEN", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("SEC-GITHUB-CLASSIC-PAT", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("SEC-IMAGE-SECRET-VARIABLE", result.StdOut, StringComparison.Ordinal);
        await AssertNoSecretAsync(result);
        if (format == "sarif")
        {
            Assert.Empty(SchemaValidator.ValidateSarif(result.StdOut));
        }
    }

    [Fact]
    public async Task Json_locates_a_deleted_file_in_the_layer_that_added_it()
    {
        var image = await ContainerImages.BuildAsync(await SecretImages.PlantedAsync());
        var result = await CliRunner.RunAsync("scan", image.OciReference, "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var slack = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "SEC-SLACK-BOT-TOKEN");
        Assert.Contains("still extractable", slack.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, slack.GetProperty("location").GetProperty("imageLayerIndex").GetInt32());
        Assert.Equal("/app/.env", slack.GetProperty("location").GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_rootfs_scan_reports_the_planted_files_and_no_secret_in_full()
    {
        var root = await SecretImages.PlantedRootFsAsync();
        var result = await CliRunner.RunAsync("scan", $"rootfs:{root}", "--format", "json", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var secrets = json.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("ruleId").GetString() ?? string.Empty)
            .Where(id => id.StartsWith("SEC-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(["SEC-PRIVATE-KEY-PKCS8", "SEC-SLACK-BOT-TOKEN", "SEC-STRIPE-SECRET-KEY"], secrets);
        await AssertNoSecretAsync(result);
    }

    [Fact]
    public async Task A_strata_secrets_yaml_in_the_working_directory_is_used_and_secret_config_overrides_it()
    {
        var root = await SecretImages.PlantedRootFsAsync();
        using var dir = new TempDirectory();
        dir.WriteFile("strata-secrets.yaml", "disable: [SEC-SLACK-BOT-TOKEN]\n");
        dir.WriteFile("other.yaml", "allow:\n  paths: ['app/key.pem']\n");

        var byDefault = await CliRunner.RunAsync(["scan", $"rootfs:{root}", "--format", "json", "--no-progress"], dir.Path);
        Assert.True(byDefault.ExitCode == 0, byDefault.StdErr);
        Assert.DoesNotContain("SEC-SLACK-BOT-TOKEN", byDefault.StdOut, StringComparison.Ordinal);
        Assert.Contains("SEC-PRIVATE-KEY-PKCS8", byDefault.StdOut, StringComparison.Ordinal);

        var given = await CliRunner.RunAsync(["scan", $"rootfs:{root}", "--secret-config", "other.yaml", "--format", "json", "--no-progress"], dir.Path);
        Assert.True(given.ExitCode == 0, given.StdErr);
        Assert.Contains("SEC-SLACK-BOT-TOKEN", given.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("SEC-PRIVATE-KEY-PKCS8", given.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "missing.yaml", null, "secret scanner configuration not found")]
    [InlineData(3, "bad.yaml", "colour: blue\n", "unknown key 'colour'")]
    [InlineData(3, "bad.yaml", "disable: [SEC-NO-SUCH-RULE]\n", "SEC-NO-SUCH-RULE")]
    public async Task A_bad_secret_config_stops_the_scan_with_one_line_naming_it(int exit, string name, string? content, string message)
    {
        using var dir = new TempDirectory();
        if (content is not null)
        {
            dir.WriteFile(name, content);
        }

        var result = await CliRunner.RunAsync(["scan", "--secret-config", name, "host"], dir.Path);
        Assert.Equal(exit, result.ExitCode);
        Assert.Contains(name, result.StdErr, StringComparison.Ordinal);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task The_catalog_lists_the_secret_rules()
    {
        var result = await CliRunner.RunAsync("rules", "list", "--format", "json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("SEC-AWS-ACCESS-KEY-ID", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("SEC-IMAGE-SECRET-VARIABLE", result.StdOut, StringComparison.Ordinal);
    }

    private static async Task AssertNoSecretAsync(CliRunner.Result result)
    {
        foreach (var value in SecretImages.PlantedValues.Concat(await SecretImages.PrivateKeyBodyLinesAsync()))
        {
            Assert.DoesNotContain(value, result.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain(value, result.StdErr, StringComparison.Ordinal);
        }
    }
}
