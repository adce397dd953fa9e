namespace Strata.Encryption.Tests;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Encryption.KeyWrap;
using Strata.Encryption.Keys;
using Strata.Testing;

/// <summary>The three key-wrapping schemes: round trips, several recipients, wrong keys and tampering; keys from openssl and gpg.</summary>
public sealed class KeyWrapTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("{\"symkey\":\"c2VjcmV0\",\"digest\":\"sha256:00\",\"cipheroptions\":{}}");

    [Theory]
    [InlineData("rsa")]
    [InlineData("P-256")]
    [InlineData("P-384")]
    [InlineData("P-521")]
    public async Task Jwe_round_trips_with_openssl_keys(string kind)
    {
        using var dir = new TempDirectory();
        var (publicPem, privatePem) = await OpenSslKeyAsync(dir, kind, "a");
        using var publicKey = AsymmetricKeys.LoadPublic(publicPem, "pub.pem");
        var jwe = Jwe.Encrypt(Secret, [publicKey]);

        using var document = JsonDocument.Parse(jwe);
        var header = JsonDocument.Parse(JoseBase64.Decode(document.RootElement.GetProperty("protected").GetString()!, "protected")).RootElement;
        Assert.Equal(kind == "rsa" ? "RSA-OAEP" : "ECDH-ES+A256KW", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        Assert.False(document.RootElement.TryGetProperty("recipients", out _));

        using var privateKey = AsymmetricKeys.LoadPrivate(privatePem, null, "key.pem");
        Assert.Equal(Secret, Jwe.Decrypt(jwe, [privateKey], "layer", []));
    }

    [Fact]
    public async Task Jwe_with_several_recipients_is_general_form_and_each_key_opens_it()
    {
        using var dir = new TempDirectory();
        var (rsaPublic, rsaPrivate) = await OpenSslKeyAsync(dir, "rsa", "a");
        var (ecPublic, ecPrivate) = await OpenSslKeyAsync(dir, "P-256", "b");
        var (_, otherPrivate) = await OpenSslKeyAsync(dir, "P-256", "c");
        using var rsa = AsymmetricKeys.LoadPublic(rsaPublic, "a");
        using var ec = AsymmetricKeys.LoadPublic(ecPublic, "b");
        var jwe = Jwe.Encrypt(Secret, [rsa, ec]);

        using var document = JsonDocument.Parse(jwe);
        Assert.Equal(2, document.RootElement.GetProperty("recipients").GetArrayLength());
        Assert.True(document.RootElement.TryGetProperty("encrypted_key", out _)); // go-jose's stray copy of the first
        Assert.Equal(["RSA-OAEP", "ECDH-ES+A256KW"], Jwe.Recipients(jwe, "layer").Select(r => r.Algorithm));

        using var rsaKey = AsymmetricKeys.LoadPrivate(rsaPrivate, null, "a");
        using var ecKey = AsymmetricKeys.LoadPrivate(ecPrivate, null, "b");
        using var otherKey = AsymmetricKeys.LoadPrivate(otherPrivate, null, "c");
        Assert.Equal(Secret, Jwe.Decrypt(jwe, [rsaKey], "layer", []));
        Assert.Equal(Secret, Jwe.Decrypt(jwe, [ecKey], "layer", []));
        var failures = new List<string>();
        Assert.Null(Jwe.Decrypt(jwe, [otherKey], "layer", failures));
        Assert.NotEmpty(failures);
    }

    [Fact]
    public async Task Jwe_with_a_changed_ciphertext_fails_authentication()
    {
        using var dir = new TempDirectory();
        var (publicPem, privatePem) = await OpenSslKeyAsync(dir, "P-256", "a");
        using var publicKey = AsymmetricKeys.LoadPublic(publicPem, "a");
        var node = System.Text.Json.Nodes.JsonNode.Parse(Jwe.Encrypt(Secret, [publicKey]))!;
        var ciphertext = JoseBase64.Decode(node["ciphertext"]!.GetValue<string>(), "c");
        ciphertext[3] ^= 1;
        node["ciphertext"] = JoseBase64.Encode(ciphertext);
        using var privateKey = AsymmetricKeys.LoadPrivate(privatePem, null, "a");
        var error = Assert.Throws<StrataException>(() => Jwe.Decrypt(Encoding.UTF8.GetBytes(node.ToJsonString()), [privateKey], "layer sha256:1", []));
        Assert.Contains("JWE authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypted_pkcs8_keys_need_their_password()
    {
        using var dir = new TempDirectory();
        await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes-256-cbc", "-pass", "pass:hunter22", "-out", dir.Combine("enc.pem"));
        var pem = File.ReadAllBytes(dir.Combine("enc.pem"));
        Assert.Contains("no password", Assert.Throws<StrataException>(() => AsymmetricKeys.LoadPrivate(pem, null, "enc.pem")).Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<StrataException>(() => AsymmetricKeys.LoadPrivate(pem, "nope", "enc.pem"));
        Assert.Contains("wrong password", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", wrong.Message, StringComparison.Ordinal);
        using var key = AsymmetricKeys.LoadPrivate(pem, "hunter22", "enc.pem");
        Assert.IsAssignableFrom<RSA>(key);
    }

    [Fact]
    public async Task Pkcs7_writes_ocicrypt_gcm_parameters_and_round_trips()
    {
        using var dir = new TempDirectory();
        var (certificate, privatePem) = await OpenSslCertificateAsync(dir, "a");
        var (other, otherPem) = await OpenSslCertificateAsync(dir, "b");
        var envelope = Pkcs7.Encrypt(Secret, [certificate, other]);

        // [universal 16, primitive] 19 bytes: SEQUENCE { [4] 12-byte nonce, INTEGER 16 }.
        var hex = Convert.ToHexString(envelope);
        var at = hex.IndexOf("060960864801650304010610133011840C", StringComparison.Ordinal);
        Assert.True(at > 0, "the GCM AlgorithmIdentifier is not in ocicrypt's form");
        Assert.Equal("020110", hex.Substring(at + 34 + 24, 6));

        var recipients = Pkcs7.Recipients(envelope, "layer");
        Assert.Equal(2, recipients.Count);
        Assert.All(recipients, r => Assert.Equal("rsaEncryption", r.KeyEncryption));

        using var key = (RSA)AsymmetricKeys.LoadPrivate(privatePem, null, "a");
        using var otherKey = (RSA)AsymmetricKeys.LoadPrivate(otherPem, null, "b");
        Assert.Equal(Secret, Pkcs7.Decrypt(envelope, [key], [certificate], "layer", []));
        Assert.Equal(Secret, Pkcs7.Decrypt(envelope, [otherKey], [], "layer", []));
        var failures = new List<string>();
        Assert.Null(Pkcs7.Decrypt(envelope, [key], [other], "layer", failures));
        Assert.Contains(failures, f => f.Contains("no recipient is the certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenPgp_messages_interoperate_with_gpg_both_ways()
    {
        using var dir = new TempDirectory();
        var home = dir.Combine("gnupg");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["GNUPGHOME"] = home };
        async Task<string> Gpg(params string[] args)
        {
            var result = await ExternalTool.RunAsync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", string.Empty, .. args], environment: env);
            Assert.True(result.ExitCode == 0, result.StdErr);
            return result.StdOut;
        }

        await Gpg("--quick-gen-key", "Layer Key <layer@example.test>", "rsa2048", "default", "never");
        await Gpg("--quick-add-key", (await Gpg("--list-keys", "--with-colons")).Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9], "rsa2048", "encr", "never");
        await Gpg("--output", dir.Combine("pub.gpg"), "--export", "layer@example.test");
        await Gpg("--output", dir.Combine("sec.gpg"), "--export-secret-keys", "layer@example.test");

        var keys = OpenPgp.LoadPublicEncryptionKeys(File.ReadAllBytes(dir.Combine("pub.gpg")), "pub.gpg");
        var message = OpenPgp.Encrypt(Secret, keys);
        File.WriteAllBytes(dir.Combine("msg.pgp"), message);
        Assert.Equal(Encoding.UTF8.GetString(Secret), await Gpg("--decrypt", dir.Combine("msg.pgp")));

        // gpg compresses by default: reading must take that too.
        File.WriteAllBytes(dir.Combine("secret.json"), Secret);
        await Gpg("--trust-model", "always", "--output", dir.Combine("gpg.pgp"), "--recipient", "layer@example.test", "--encrypt", dir.Combine("secret.json"));
        var secretKeys = OpenPgp.LoadSecretKeys(File.ReadAllBytes(dir.Combine("sec.gpg")), "sec.gpg");
        Assert.Equal(Secret, OpenPgp.Decrypt(File.ReadAllBytes(dir.Combine("gpg.pgp")), [secretKeys], string.Empty, "layer", []));
        Assert.Equal(Secret, OpenPgp.Decrypt(message, [secretKeys], string.Empty, "layer", []));
        Assert.Single(OpenPgp.RecipientKeyIds(message, "layer"));

        var tampered = message.ToArray();
        tampered[^5] ^= 1;
        Assert.Throws<StrataException>(() => OpenPgp.Decrypt(tampered, [secretKeys], string.Empty, "layer", []));
    }

    private static async Task<(byte[] Public, byte[] Private)> OpenSslKeyAsync(TempDirectory dir, string kind, string name)
    {
        var key = dir.Combine(name + ".key.pem");
        if (kind == "rsa")
        {
            await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
        }
        else
        {
            await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + kind, "-out", key);
        }

        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-in", key, "-pubout", "-out", dir.Combine(name + ".pub.pem"));
        return (File.ReadAllBytes(dir.Combine(name + ".pub.pem")), File.ReadAllBytes(key));
    }

    private static async Task<(X509Certificate2 Certificate, byte[] Private)> OpenSslCertificateAsync(TempDirectory dir, string name)
    {
        var key = dir.Combine(name + ".key.pem");
        await ExternalTool.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", dir.Combine(name + ".crt"), "-days", "2", "-subj", $"/CN=layer-{name}");
        return (X509CertificateLoader.LoadCertificateFromFile(dir.Combine(name + ".crt")), File.ReadAllBytes(key));
    }
}
