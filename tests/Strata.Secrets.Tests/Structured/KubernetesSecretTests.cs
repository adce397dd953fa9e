namespace Strata.Secrets.Tests.Structured;

using System.Text;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Targets;
using Strata.Testing;

/// <summary>Kubernetes Secret objects: data decoded, stringData as written, each finding at its key.</summary>
public sealed class KubernetesSecretTests
{
    // Synthetic values in the shapes of their providers.
    private const string AwsKeyId = "AKIAQ3EGRJ7SNV4PXW2M";
    private const string AwsSecret = "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";
    private const string StripeKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dcXq2Wm9Ra";
    private const string RegistryPassword = "ZMP057Xsq0L86GGoPXJwfbTt";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void Data_values_are_decoded_and_found_at_their_key_with_the_name_applied()
    {
        var manifest = $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: aws
            type: Opaque
            data:
              aws_access_key_id: {B64(AwsKeyId)}
              aws_secret_access_key: {B64(AwsSecret)}
              region: {B64("eu-west-1")}
            """;
        var found = Scan(manifest);

        // The key ID is found alone; the secret access key only with its name (as `name: value`).
        var keyId = Assert.Single(found, m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Equal((7, "$.data.aws_access_key_id"), (keyId.Line, keyId.JsonPath));
        var secret = Assert.Single(found, m => m.Rule.Id == "SEC-AWS-SECRET-ACCESS-KEY");
        Assert.Equal((8, 3, "$.data.aws_secret_access_key"), (secret.Line, secret.Column, secret.JsonPath));
        Assert.DoesNotContain(found, m => m.Line == 9);
        NothingShown(found, AwsKeyId, AwsSecret);
    }

    [Fact]
    public void StringData_values_are_scanned_as_written()
    {
        var manifest = $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: payments
            stringData:
              config.json: '{"{"}"stripe": "{StripeKey}"{"}"}'
            """;
        var stripe = Assert.Single(Scan(manifest), m => m.Rule.Id == "SEC-STRIPE-SECRET-KEY");
        Assert.Equal(6, stripe.Line);
    }

    [Fact]
    public void A_docker_config_json_secret_is_decoded_for_the_docker_config_rules()
    {
        var auth = B64("ci-bot:" + RegistryPassword);
        var config = B64("{\"auths\":{\"registry.example.test\":{\"auth\":\"" + auth + "\"}}}");
        var manifest = $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: pull
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: {config}
            """;
        var match = Assert.Single(Scan(manifest), m => m.Rule.Id == "SEC-DOCKER-CONFIG-AUTH");
        Assert.Equal((7, "$.data['.dockerconfigjson']"), (match.Line, match.JsonPath));
        NothingShown([match], auth, RegistryPassword);
    }

    [Fact]
    public void Lists_multi_document_files_and_json_are_read()
    {
        var list = $"""
            # café — ünïcode before the objects moves byte offsets, not lines
            apiVersion: v1
            kind: ConfigMap
            data:
              id: {B64(AwsKeyId)}
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              data:
                note: {B64("nothing here")}
            - apiVersion: v1
              kind: Secret
              metadata:
                name: aws
              data:
                id: {B64(AwsKeyId)}
            """;
        var inList = Assert.Single(Scan(list), m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Equal((19, "$.items[1].data.id"), (inList.Line, inList.JsonPath));

        var json = JsonSerializer.Serialize(
            new { apiVersion = "v1", kind = "Secret", metadata = new { name = "aws" }, data = new Dictionary<string, string> { ["id"] = B64(AwsKeyId) } },
            Indented);
        var inJson = Assert.Single(Scan(json), m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Equal("$.data.id", inJson.JsonPath);
        Assert.Equal(json.Split('\n').ToList().FindIndex(l => l.Contains("\"id\"", StringComparison.Ordinal)) + 1, inJson.Line);
    }

    [Fact]
    public void Other_kinds_templates_and_broken_yaml_decode_nothing()
    {
        Assert.DoesNotContain(Scan($"kind: ConfigMap\ndata:\n  id: {B64(AwsKeyId)}\n"), m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID");
        Assert.DoesNotContain(Scan($"kind: SecretProviderClass\ndata:\n  id: {B64(AwsKeyId)}\n"), m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Empty(Scan("kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n  {{- range .Values.extra }}\n"));
        Assert.Empty(Scan("kind: Secret\ndata: [unterminated\n"));
        Assert.Empty(Scan("kind: Secret\ndata:\n  password: not base64 at all!\n"));
    }

    [Fact]
    public void A_manifest_finding_carries_its_key_line_and_json_path()
    {
        var manifest = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  aws_access_key_id: {B64(AwsKeyId)}\n";
        var finding = Assert.Single(
            BuiltInSecrets.Scanner.FindInFile(manifest, new ScanTarget(TargetKind.KubernetesManifest, "deploy/secret.yaml", "deploy/secret.yaml"), StackLayer.Orchestrator),
            f => f.RuleId == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Equal(("deploy/secret.yaml", 6, "$.data.aws_access_key_id"), (finding.Location.File, finding.Location.Line, finding.Location.JsonPath));
        Assert.DoesNotContain(AwsKeyId, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_in_files_of_an_image_are_decoded_too()
    {
        var manifest = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  aws_access_key_id: {B64(AwsKeyId)}\n";
        var result = await BuiltInSecrets.Scanner.ScanAsync(new MemoryStream(Encoding.UTF8.GetBytes(manifest)), "/app/k8s/aws.yaml");
        Assert.Contains(result.Matches, m => m.Rule.Id == "SEC-AWS-ACCESS-KEY-ID" && m.Line == 6);
    }

    private static IReadOnlyList<SecretMatch> Scan(string text) => BuiltInSecrets.Scanner.ScanText(text, "/app/k8s/secret.yaml");

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static void NothingShown(IEnumerable<SecretMatch> matches, params string[] values)
    {
        foreach (var match in matches)
        {
            foreach (var value in values)
            {
                Assert.DoesNotContain(value, match.Evidence.Text, StringComparison.Ordinal);
                Assert.DoesNotContain(value, match.ToFinding("test").Message, StringComparison.Ordinal);
            }
        }
    }
}
