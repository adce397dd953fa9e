namespace Strata.Reporting.Tests;

using System.Text.Json.Nodes;
using Strata.Core.Findings;
using Strata.Core.Targets;
using Strata.Reporting.Scan;
using Strata.Testing;

public sealed class SarifReportWriterTests
{
    private const string ImageName = "oci:/images/shop:1.0";

    private static readonly string LayerDigest = "sha256:" + new string('b', 64);

    [Fact]
    public async Task Files_are_relative_to_the_one_root_and_outside_it_absolute()
    {
        using var work = new TempDirectory("strata-sarif");
        var secdir = new ScanTarget(TargetKind.RootFs, "secdir", "secdir");
        var manifest = new ScanTarget(TargetKind.KubernetesManifest, work.Combine("k8s", "my deploy.yaml"), work.Combine("k8s", "my deploy.yaml"));
        var host = new ScanTarget(TargetKind.Host, "host", "/");
        var document = Reports.Document(
            [secdir, manifest, host],
            [
                Reports.Finding("SEC-X", "secdir", new Location { Path = "/app/Dockerfile", Line = 3, Column = 7 }),
                Reports.Finding("PSS-001", manifest.Name, new Location { File = manifest.Name, JsonPath = "$.spec", Line = 9, Subject = "Pod/default/web" }),
                Reports.Finding("KRN-001", "host", new Location { File = "/proc/sys/user/max_user_namespaces", Subject = "user.max_user_namespaces" }),
                Reports.Finding("CAP-001", "host", new Location { Subject = "CAP_SYS_ADMIN" }),
            ]);

        var sarif = await WriteAsync(document, work.Path);
        var run = sarif["runs"]![0]!;
        Assert.Equal(new Uri(work.Path + "/").AbsoluteUri, (string?)run["originalUriBaseIds"]![SarifReportWriter.SourceRoot]!["uri"]);
        Assert.EndsWith("/", (string?)run["originalUriBaseIds"]![SarifReportWriter.SourceRoot]!["uri"], StringComparison.Ordinal);

        var results = run["results"]!.AsArray();
        var secret = Physical(results.Single(r => (string?)r!["ruleId"] == "SEC-X")!);
        Assert.Equal("secdir/app/Dockerfile", (string?)secret["artifactLocation"]!["uri"]);
        Assert.Equal(SarifReportWriter.SourceRoot, (string?)secret["artifactLocation"]!["uriBaseId"]);
        Assert.Equal(3, (int)secret["region"]!["startLine"]!);
        Assert.Equal(7, (int)secret["region"]!["startColumn"]!);

        var pod = results.Single(r => (string?)r!["ruleId"] == "PSS-001")!;
        Assert.Equal("k8s/my%20deploy.yaml", (string?)Physical(pod)["artifactLocation"]!["uri"]);
        Assert.Equal($"{manifest.Name}#$.spec", (string?)pod["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);

        var kernel = results.Single(r => (string?)r!["ruleId"] == "KRN-001")!;
        Assert.Equal("file:///proc/sys/user/max_user_namespaces", (string?)Physical(kernel)["artifactLocation"]!["uri"]);
        Assert.Null(Physical(kernel)["artifactLocation"]!["uriBaseId"]);

        var capability = results.Single(r => (string?)r!["ruleId"] == "CAP-001")!;
        Assert.Null(capability["locations"]![0]!["physicalLocation"]);
        Assert.Equal("host#CAP_SYS_ADMIN", (string?)capability["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);
    }

    [Fact]
    public async Task Image_findings_are_logical_locations_and_nested_artifacts()
    {
        var image = new ScanTarget(TargetKind.Image, ImageName, ImageName);
        var document = Reports.Document(
            [image],
            [
                Reports.Finding("IMG-009", ImageName, new Location { Path = "usr/bin/sudo", LayerIndex = 2, LayerDigest = LayerDigest, CreatedBy = "RUN chmod 4755 /usr/bin/sudo" }),
                Reports.Finding("SEC-Y", ImageName, new Location { Path = "etc/app.conf", LayerIndex = 2, LayerDigest = LayerDigest, Line = 4, Column = 9 }),
                Reports.Finding("SEC-Z", ImageName, new Location { File = "image config", JsonPath = "$.config.Env[1]", Column = 5 }),
                Reports.Finding("IMG-012", ImageName, new Location { JsonPath = "$.config.Healthcheck" }),
                Reports.Finding("IMG-001", ImageName, new Location { Path = "etc/os-release" }),
            ]);

        var text = await Reports.WriteAsync(new SarifReportWriter("/work"), document);
        Assert.Empty(SchemaValidator.ValidateSarif(text));
        Assert.DoesNotContain("image%20config", text, StringComparison.Ordinal);
        var run = JsonNode.Parse(text)!["runs"]![0]!;
        var logical = run["logicalLocations"]!.AsArray();
        var artifacts = run["artifacts"]!.AsArray();
        var results = run["results"]!.AsArray().ToDictionary(r => (string)r!["ruleId"]!);

        // image → image layer 2 → /usr/bin/sudo, as logical locations and as artifacts.
        var setuid = results["IMG-009"]!["locations"]![0]!;
        var leaf = setuid["logicalLocations"]![0]!;
        Assert.Equal($"{ImageName}#image-layer-2:/usr/bin/sudo", (string?)leaf["fullyQualifiedName"]);
        Assert.Equal("resource", (string?)leaf["kind"]);
        var layer = logical[(int)logical[(int)leaf["index"]!]!["parentIndex"]!]!;
        Assert.Equal(("image layer 2", "namespace"), ((string?)layer["name"], (string?)layer["kind"]));
        Assert.Equal((ImageName, "module"), ((string?)logical[(int)layer["parentIndex"]!]!["name"], (string?)logical[(int)layer["parentIndex"]!]!["kind"]));

        var artifact = setuid["physicalLocation"]!["artifactLocation"]!;
        Assert.Equal("/usr/bin/sudo", (string?)artifact["uri"]);
        Assert.Null(artifact["uriBaseId"]);
        var layerArtifact = artifacts[(int)artifacts[(int)artifact["index"]!]!["parentIndex"]!]!;
        Assert.Equal(new string('b', 64), (string?)layerArtifact["hashes"]!["sha-256"]);
        Assert.Equal($"image {ImageName}", (string?)artifacts[(int)layerArtifact["parentIndex"]!]!["description"]!["text"]);
        Assert.Equal(2, (int)results["IMG-009"]!["properties"]!["imageLayerIndex"]!);
        Assert.Equal(LayerDigest, (string?)results["IMG-009"]!["properties"]!["imageLayerDigest"]);

        // A line inside an image file is a region.
        Assert.Equal(4, (int)results["SEC-Y"]!["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);

        // The config is a logical location, never a file named "image config".
        foreach (var id in new[] { "SEC-Z", "IMG-012" })
        {
            var location = results[id]!["locations"]![0]!;
            Assert.Null(location["physicalLocation"]);
            var config = location["logicalLocations"]![0]!;
            Assert.Equal("property", (string?)config["kind"]);
            Assert.StartsWith($"{ImageName}#config:$.config.", (string?)config["fullyQualifiedName"], StringComparison.Ordinal);
            Assert.Equal("config", (string?)logical[(int)logical[(int)config["index"]!]!["parentIndex"]!]!["name"]);
        }

        Assert.Equal($"{ImageName}#/etc/os-release", (string?)results["IMG-001"]!["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);
    }

    private static async Task<JsonNode> WriteAsync(ScanDocument document, string workingDirectory)
    {
        var text = await Reports.WriteAsync(new SarifReportWriter(workingDirectory), document);
        Assert.Empty(SchemaValidator.ValidateSarif(text));
        var sarif = JsonNode.Parse(text)!;
        foreach (var result in sarif["runs"]![0]!["results"]!.AsArray())
        {
            Assert.NotEmpty(result!["locations"]!.AsArray());
        }

        return sarif;
    }

    private static JsonNode Physical(JsonNode result) => result["locations"]![0]!["physicalLocation"]!;
}
