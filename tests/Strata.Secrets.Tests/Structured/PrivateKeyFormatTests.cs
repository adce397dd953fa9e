namespace Strata.Secrets.Tests.Structured;

using System.Text;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Testing;

/// <summary>Keys made by the real tools, found in every way they are written: files, JSON, YAML, base64, build files.</summary>
public sealed class PrivateKeyFormatTests(GeneratedKeys keys) : IClassFixture<GeneratedKeys>
{
    private static readonly HashSet<string> Protected = new(StringComparer.Ordinal)
    {
        "SEC-PRIVATE-KEY-OPENSSH-ENCRYPTED", "SEC-PRIVATE-KEY-PEM-ENCRYPTED", "SEC-PRIVATE-KEY-PKCS8-ENCRYPTED",
        "SEC-PRIVATE-KEY-PGP-ENCRYPTED", "SEC-PRIVATE-KEY-PUTTY-ENCRYPTED", "SEC-PRIVATE-KEY-SSH2-ENCRYPTED",
    };

    /// <summary>How a key is written into configuration; each keeps the key whole.</summary>
    public static TheoryData<string> Writings => new()
    {
        "file", "json", "json-crlf", "json-escaped-slashes", "json-dotnet", "yaml-literal", "yaml-literal-strip", "yaml-folded",
        "yaml-double-quoted", "base64-env", "kubernetes-secret-data", "dockerfile-env",
    };

    [Theory]
    [MemberData(nameof(GeneratedKeys.Kinds), MemberType = typeof(GeneratedKeys))]
    public void Each_key_format_is_found_by_its_rule_clear_keys_high_protected_low(string kind, string ruleId)
    {
        var match = Assert.Single(Scan(keys[kind]));
        Assert.Equal(ruleId, match.Rule.Id);
        Assert.Equal(Protected.Contains(ruleId) ? Severity.Low : Severity.High, match.Severity);
    }

    [Theory]
    [MemberData(nameof(Writings))]
    public void Keys_are_found_however_they_are_written(string writing)
    {
        foreach (var (kind, ruleId) in new[]
        {
            ("openssl-rsa-traditional", "SEC-PRIVATE-KEY-RSA"),
            ("openssl-ec-pkcs8", "SEC-PRIVATE-KEY-PKCS8"),
            ("openssl-ec-pkcs8-aes256", "SEC-PRIVATE-KEY-PKCS8-ENCRYPTED"),
            ("openssl-ec-traditional-aes128", "SEC-PRIVATE-KEY-PEM-ENCRYPTED"),
            ("openssh-ed25519", "SEC-PRIVATE-KEY-OPENSSH"),
            ("openssh-ed25519-passphrase", "SEC-PRIVATE-KEY-OPENSSH-ENCRYPTED"),
            ("gpg-ed25519", "SEC-PRIVATE-KEY-PGP"),
            ("gpg-ed25519-passphrase", "SEC-PRIVATE-KEY-PGP-ENCRYPTED"),
        })
        {
            var text = Write(writing, keys[kind]);
            var found = Scan(text).Where(m => m.Rule.Id.StartsWith("SEC-PRIVATE-KEY-", StringComparison.Ordinal)).ToList();
            Assert.True(found.Count == 1 && found[0].Rule.Id == ruleId, $"{kind} written as {writing}: {string.Join(", ", found)}");
            Assert.DoesNotContain(keys[kind].Split('\n')[2].Trim(), found[0].Evidence.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("openssl-rsa-traditional")]
    [InlineData("openssl-ec-pkcs8")]
    [InlineData("openssl-ec-pkcs8-aes256")]
    [InlineData("openssh-rsa-pem")]
    public void Truncated_and_elided_keys_are_not_findings(string kind)
    {
        var lines = keys[kind].TrimEnd().Split('\n');
        var truncated = string.Join('\n', lines.Take(3).Append(lines[^1]));
        Assert.Empty(Scan(truncated));
        Assert.Empty(Scan(Write("json", truncated)));

        var elided = string.Join('\n', lines[0], lines[1][..24] + "...", "..." + lines[^2][^12..], lines[^1]);
        Assert.Empty(Scan(elided));
        Assert.Empty(Scan(Write("json", elided)));
    }

    [Fact]
    public void A_public_key_or_certificate_written_the_same_way_is_not_a_finding()
    {
        var publicKey = File.ReadAllText("/etc/ssl/certs/ca-certificates.crt").Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n";
        foreach (var writing in new[] { "file", "json", "base64-env", "kubernetes-secret-data" })
        {
            var found = Scan(Write(writing, publicKey)).Where(m => m.Rule.Id.StartsWith("SEC-PRIVATE-KEY-", StringComparison.Ordinal)).ToList();
            Assert.True(found.Count == 0, writing + ": " + string.Join(", ", found));
        }
    }

    internal static IReadOnlyList<SecretMatch> Scan(string text) => BuiltInSecrets.Scanner.ScanText(text, "/app/config/settings");

    /// <summary>The key as a configuration writes it.</summary>
    internal static string Write(string writing, string key)
    {
        key = key.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";
        var indented = string.Join('\n', key.TrimEnd('\n').Split('\n').Select(l => "  " + l));
        var escaped = key.Replace("\n", "\\n", StringComparison.Ordinal);
        var base64 = Convert.ToBase64String(Encoding.ASCII.GetBytes(key));
        return writing switch
        {
            "file" => key,
            "json" => "{\"name\": \"deploy\", \"private_key\": \"" + escaped + "\"}\n",
            "json-crlf" => "{\"private_key\": \"" + key.Replace("\n", "\\r\\n", StringComparison.Ordinal) + "\"}\n",
            "json-escaped-slashes" => "{\"private_key\": \"" + escaped.Replace("/", "\\/", StringComparison.Ordinal) + "\"}\n",
            "json-dotnet" => JsonSerializer.Serialize(new { privateKey = key }) + "\n",
            "yaml-literal" => "tls:\n  key: |\n" + Indent(indented) + "\n",
            "yaml-literal-strip" => "tls:\n  key: |-\n" + Indent(indented) + "\nother: value\n",
            "yaml-folded" => "key: >\n" + indented + "\n",
            "yaml-double-quoted" => "key: \"" + escaped + "\"\n",
            "base64-env" => "SSH_PRIVATE_KEY=" + base64 + "\n",
            "kubernetes-secret-data" => "apiVersion: v1\nkind: Secret\nmetadata:\n  name: key\ntype: Opaque\ndata:\n  key: " + base64 + "\n",
            "dockerfile-env" => "FROM debian:bookworm\nENV DEPLOY_KEY=\"" + escaped + "\"\nRUN ./deploy\n",
            _ => throw new ArgumentOutOfRangeException(nameof(writing)),
        };

        static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));
    }
}
