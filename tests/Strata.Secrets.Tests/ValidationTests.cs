namespace Strata.Secrets.Tests;

using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Testing;

/// <summary>
/// Validation beyond the regex: embedded checksums and watermarks, decodable structure, and documented or public values
/// reported at INFO; each match says which kind of evidence identified it.
/// </summary>
public sealed class ValidationTests
{
    private static readonly Random Seeded = new(20261130);

    [Fact]
    public void The_crc32_is_the_ieee_one_of_an_independent_implementation()
    {
        for (var i = 0; i < 500; i++)
        {
            var data = new byte[Seeded.Next(0, 64)];
            Seeded.NextBytes(data);
            Assert.Equal(Crc32.HashToUInt32(data), SecretChecks.Crc32(data));
        }
    }

    [Theory]
    [InlineData("ghp_", "SEC-GITHUB-CLASSIC-PAT")]
    [InlineData("gho_", "SEC-GITHUB-OAUTH-TOKEN")]
    [InlineData("ghu_", "SEC-GITHUB-USER-TO-SERVER-TOKEN")]
    [InlineData("ghs_", "SEC-GITHUB-SERVER-TO-SERVER-TOKEN")]
    [InlineData("npm_", "SEC-NPM-ACCESS-TOKEN")]
    public void Tokens_with_a_correct_checksum_are_reported_as_checksum_validated_and_corrupted_ones_are_not(string prefix, string ruleId)
    {
        for (var i = 0; i < 50; i++)
        {
            var token = SecretTokens.WithChecksum(prefix, RandomBase62(30));
            var found = BuiltInSecrets.Scanner.ScanText($"url = \"https://registry.fake.test/?t={token}\"", "/app/settings.py");
            var match = Assert.Single(found);
            Assert.Equal(ruleId, match.Rule.Id);
            Assert.Equal(EvidenceKind.ChecksumValidated, match.Evidence.Kind);

            // One character of the random part changed: the checksum no longer matches, so it is not this token format.
            var position = 4 + Seeded.Next(30);
            var changed = token[position] == 'a' ? 'b' : 'a';
            var corrupted = string.Concat(token.AsSpan(0, position), changed.ToString(), token.AsSpan(position + 1));
            Assert.DoesNotContain(BuiltInSecrets.Scanner.ScanText($"url = \"https://registry.fake.test/?t={corrupted}\"", "/app/settings.py"), m => m.Rule.Id == ruleId);
        }
    }

    [Fact]
    public void A_corrupted_token_in_a_secret_named_assignment_is_still_reported_but_by_the_keyword_rule()
    {
        var token = SecretTokens.WithChecksum("ghp_", RandomBase62(30));
        var corrupted = token[..^1] + (token[^1] == '0' ? '1' : '0');
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText($"GITHUB_TOKEN={corrupted}", "/app/.env"));
        Assert.StartsWith("SEC-GENERIC-", match.Rule.Id, StringComparison.Ordinal);
        Assert.Equal(EvidenceKind.KeywordEntropy, match.Evidence.Kind);
    }

    [Fact]
    public void An_openai_key_needs_its_watermark_exactly_once_with_key_material_on_both_sides()
    {
        var left = RandomBase62(40);
        var right = RandomBase62(40);
        var good = Assert.Single(BuiltInSecrets.Scanner.ScanText($"OPENAI_API_KEY=sk-proj-{left}T3BlbkFJ{right}", "/app/.env"));
        Assert.Equal("SEC-OPENAI-API-KEY", good.Rule.Id);
        Assert.Equal(EvidenceKind.ChecksumValidated, good.Evidence.Kind);
        Assert.DoesNotContain(BuiltInSecrets.Scanner.ScanText($"key: sk-{left[..20]}T3BlbkFJ{right[..20]}T3BlbkFJ{left[..20]}", "/app/a.yaml"), m => m.Rule.Id == "SEC-OPENAI-API-KEY");
    }

    [Fact]
    public void A_sentry_organization_token_must_carry_its_json_claims()
    {
        var claims = JsonSerializer.Serialize(new { iat = 1764460800.5, url = "https://sentry.fake.test", org = "fake" });
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(claims)).TrimEnd('=');
        var token = $"sntrys_{payload}_{RandomBase62(43)}";
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText($"SENTRY_AUTH_TOKEN={token}", "/app/.env"), m => m.Rule.Id == "SEC-SENTRY-ORG-TOKEN");
        Assert.Equal(EvidenceKind.ChecksumValidated, match.Evidence.Kind);

        var noClaims = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"name\":\"not a sentry token at all, only json\"}")).TrimEnd('=');
        Assert.DoesNotContain(BuiltInSecrets.Scanner.ScanText($"x = sntrys_{noClaims}_{RandomBase62(43)}", "/app/a.txt"), m => m.Rule.Id == "SEC-SENTRY-ORG-TOKEN");
    }

    [Fact]
    public void A_jwt_is_reported_only_when_header_and_payload_decode_to_json_objects()
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        var signature = RandomBase62(43);
        var good = $"{header}.{Part("{\"sub\":\"system:serviceaccount:fake:default\",\"iat\":1764460800}")}.{signature}";
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText($"token: {good}", "/app/a.yaml"), m => m.Rule.Id == "SEC-JWT");
        Assert.Equal(EvidenceKind.Structured, match.Evidence.Kind);

        var notJson = $"{header}.{Part("plain text payload that is no JSON object")}.{signature}";
        Assert.DoesNotContain(BuiltInSecrets.Scanner.ScanText($"x = {notJson}", "/app/a.txt"), m => m.Rule.Id == "SEC-JWT");
        var array = $"{header}.{Part("[1,2,3,4,5,6,7,8,9]")}.{signature}";
        Assert.DoesNotContain(BuiltInSecrets.Scanner.ScanText($"x = {array}", "/app/a.txt"), m => m.Rule.Id == "SEC-JWT");
    }

    [Theory]
    [InlineData("/srv/www/static/js/maps.js", true)]
    [InlineData("/app/public/index.html", true)]
    [InlineData("/app/android/app/google-services.json", true)]
    [InlineData("/app/.env", false)]
    [InlineData("/app/server/settings.py", false)]
    public void A_google_key_in_a_web_asset_is_informational_with_the_reason(string path, bool informational)
    {
        var key = "AIza" + RandomBase62(35);
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText($"const apiKey = \"{key}\";", path), m => m.Rule.Id == "SEC-GCP-API-KEY");
        Assert.Equal(informational ? Severity.Info : Severity.High, match.Severity);
        Assert.Equal(informational, match.Note?.Contains("referrer", StringComparison.Ordinal) == true);
        Assert.Equal(informational, match.ToFinding("t").Message.Contains("public by design", StringComparison.Ordinal));
    }

    [Fact]
    public void The_jwt_io_sample_token_is_informational_and_a_jwt_of_the_same_shape_is_not()
    {
        var sample = SecretScanner.BuiltInRules.Single(r => r.Id == "SEC-JWT").InformationalExamples.Single();
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText(sample, "/app/README.txt"));
        Assert.Equal(Severity.Info, match.Severity);
        Assert.Contains("jwt.io", match.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_firebase_sdk_example_key_is_informational_wherever_it_is()
    {
        var match = Assert.Single(BuiltInSecrets.Scanner.ScanText("google_api_key: AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "/app/config.yaml"));
        Assert.Equal(Severity.Info, match.Severity);
        Assert.Contains("Firebase", match.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("API_TOKEN=glpat-Hq7TzWm4Lp9Xc2V...")]
    [InlineData("API_TOKEN=Hq7TzWm4Lp9Xc2Vb8Nd5Rk6J..")]
    [InlineData("client_secret: 'Hq7TzWm4Lp9X…Rk6J'")]
    [InlineData("password = \"Hq7TzWm4[REDACTED]\"")]
    public void An_elided_or_redacted_value_is_not_a_secret(string text) =>
        Assert.Empty(BuiltInSecrets.Scanner.ScanText(text, "/app/notes.txt"));

    [Fact]
    public void Every_rule_names_its_evidence_kind_and_the_generic_rules_are_keyword_entropy()
    {
        var rules = SecretScanner.BuiltInRules;
        Assert.All(rules.Where(r => r.Id.StartsWith("SEC-GENERIC-", StringComparison.Ordinal)), r => Assert.Equal(EvidenceKind.KeywordEntropy, r.Evidence));
        Assert.All(rules.Where(r => r.Validation == SecretValidation.Crc32Base62), r => Assert.Equal(EvidenceKind.ChecksumValidated, r.Evidence));
        Assert.Contains(rules, r => r.Evidence == EvidenceKind.Structured);
        Assert.Contains(rules, r => r.Evidence == EvidenceKind.ProviderPattern);
    }

    private static string RandomBase62(int length)
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return string.Create(length, Seeded, (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[random.Next(Alphabet.Length)];
            }
        });
    }
}
