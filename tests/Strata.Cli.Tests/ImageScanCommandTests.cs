namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

public sealed class ImageScanCommandTests
{
    [Fact]
    public async Task Scanning_a_built_image_writes_valid_sarif_with_layer_locations()
    {
        var image = await ContainerImages.BuildAsync(HardeningImages.Planted);
        var result = await CliRunner.RunAsync("scan", image.OciReference, "--format", "sarif", "--no-progress");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(SchemaValidator.ValidateSarif(result.StdOut));

        using var sarif = JsonDocument.Parse(result.StdOut);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var setuid = Assert.Single(results, r => r.GetProperty("ruleId").GetString() == "IMG-009");
        Assert.Equal("warning", setuid.GetProperty("level").GetString());
        Assert.Equal("/usr/bin/sudo", setuid.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        var properties = setuid.GetProperty("properties");
        Assert.Equal(2, properties.GetProperty("imageLayerIndex").GetInt32());
        Assert.StartsWith("sha256:", properties.GetProperty("imageLayerDigest").GetString(), StringComparison.Ordinal);
        Assert.Contains("chmod 4755", properties.GetProperty("createdBy").GetString(), StringComparison.Ordinal);
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "IMG-015" && r.GetProperty("level").GetString() == "error");
    }
}
