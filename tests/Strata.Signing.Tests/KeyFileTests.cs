namespace Strata.Signing.Tests;

using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Signing.Keys;
using Strata.Testing;

/// <summary>
/// Keys as cosign writes and reads them. The encrypted body is checked against an independent implementation
/// (Python's hashlib scrypt and libsodium's crypto_secretbox through ctypes, <c>Keys/secretbox.py</c>), and
/// unencrypted keys and signatures against openssl.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeyFileTests
{
    private const string Passphrase = "correct horse battery staple";

    private static string SecretBoxScript => Path.Combine(RepoPaths.Root, "tests", "Strata.Signing.Tests", "Keys", "secretbox.py");

    private static PassphraseSource Fixed(string passphrase) => new(null, null, name => name == PassphraseSource.StrataVariable ? passphrase : null);

    private static byte[] Pass(string passphrase) => Encoding.UTF8.GetBytes(passphrase);

    [Fact]
    public void Generated_key_pair_reads_back_signs_and_verifies()
    {
        using var dir = new TempDirectory("strata-key");
        var prefix = dir.Combine("cosign");
        var written = KeyPairFiles.Generate(prefix, Fixed(Passphrase), force: false);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written.PrivateKeyPath));
        var pem = File.ReadAllText(written.PrivateKeyPath);
        Assert.StartsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", File.ReadAllText(written.PublicKeyPath), StringComparison.Ordinal);

        using var body = JsonDocument.Parse(ReadPemBody(written.PrivateKeyPath));
        Assert.Equal(32768, body.RootElement.GetProperty("kdf").GetProperty("params").GetProperty("N").GetInt32());
        Assert.Equal(32, body.RootElement.GetProperty("kdf").GetProperty("salt").GetBytesFromBase64().Length);
        Assert.Equal("nacl/secretbox", body.RootElement.GetProperty("cipher").GetProperty("name").GetString());

        var key = SigningKey.Load(written.PrivateKeyPath, () => Pass(Passphrase));
        var publicKey = PublicKeyMaterial.Load(written.PublicKeyPath);
        Assert.True(key.PublicKey.SameKeyAs(publicKey));
        Assert.Equal("ECDSA P-256", publicKey.Algorithm);
        var data = "payload"u8.ToArray();
        Assert.True(publicKey.Verify(data, key.Sign(data)));
        Assert.False(publicKey.Verify("other"u8, key.Sign(data)));
    }

    [Fact]
    public void Wrong_passphrase_is_a_clear_error_without_the_passphrase()
    {
        using var dir = new TempDirectory("strata-key");
        var written = KeyPairFiles.Generate(dir.Combine("cosign"), Fixed(Passphrase), force: false);
        var error = Assert.Throws<StrataException>(() => SigningKey.Load(written.PrivateKeyPath, () => Pass("Tr0ub4dor&3-wrong")));
        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_files_are_not_replaced_without_force()
    {
        using var dir = new TempDirectory("strata-key");
        var prefix = dir.Combine("cosign");
        var first = KeyPairFiles.Generate(prefix, Fixed(Passphrase), force: false);
        var error = Assert.Throws<StrataException>(() => KeyPairFiles.Generate(prefix, Fixed(Passphrase), force: false));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.True(first.PublicKey.SameKeyAs(PublicKeyMaterial.Load(first.PublicKeyPath)));

        var second = KeyPairFiles.Generate(prefix, Fixed(Passphrase), force: true);
        Assert.False(first.PublicKey.SameKeyAs(second.PublicKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(second.PrivateKeyPath));
    }

    [Fact]
    public async Task Libsodium_opens_the_box_strata_writes_and_the_key_inside_is_openssls()
    {
        using var dir = new TempDirectory("strata-key");
        var written = KeyPairFiles.Generate(dir.Combine("cosign"), Fixed(Passphrase), force: false);
        File.WriteAllBytes(dir.Combine("body.json"), ReadPemBody(written.PrivateKeyPath));

        await ExternalTool.RunCheckedAsync("python3", SecretBoxScript, "decrypt", Passphrase, dir.Combine("body.json"), dir.Combine("key.der"));
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-inform", "DER", "-in", dir.Combine("key.der"), "-pubout", "-out", dir.Combine("openssl.pub"));
        Assert.True(written.PublicKey.SameKeyAs(PublicKeyMaterial.Load(dir.Combine("openssl.pub"))));

        var wrong = await ExternalTool.RunAsync("python3", [SecretBoxScript, "decrypt", "not it", dir.Combine("body.json"), dir.Combine("never.der")]);
        Assert.Equal(1, wrong.ExitCode);
    }

    [Theory]
    [InlineData(SigningKey.SigstoreEncryptedLabel, 65536)]
    [InlineData(SigningKey.CosignEncryptedLabel, 32768)]
    public async Task A_key_libsodium_encrypted_reads_with_either_label(string label, int scryptN)
    {
        using var dir = new TempDirectory("strata-key");
        await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", dir.Combine("key.pem"));
        await ExternalTool.RunCheckedAsync("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", dir.Combine("key.pem"), "-outform", "DER", "-out", dir.Combine("key.der"));
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-inform", "DER", "-in", dir.Combine("key.der"), "-pubout", "-out", dir.Combine("key.pub"));
        await ExternalTool.RunCheckedAsync("python3", SecretBoxScript, "encrypt", scryptN.ToString(System.Globalization.CultureInfo.InvariantCulture), Passphrase, dir.Combine("key.der"), dir.Combine("body.json"));
        var pem = new string(System.Security.Cryptography.PemEncoding.Write(label, File.ReadAllBytes(dir.Combine("body.json")))) + "\n";

        var key = SigningKey.Parse(Encoding.ASCII.GetBytes(pem), "libsodium.key", () => Pass(Passphrase));
        Assert.True(key.PublicKey.SameKeyAs(PublicKeyMaterial.Load(dir.Combine("key.pub"))));
    }

    [Theory]
    [InlineData("EC", "ec_paramgen_curve:P-256", "ECDSA P-256")]
    [InlineData("EC", "ec_paramgen_curve:P-384", "ECDSA P-384")]
    [InlineData("RSA", "rsa_keygen_bits:2048", "RSA 2048")]
    [InlineData("ED25519", null, "Ed25519")]
    public async Task Unencrypted_openssl_keys_sign_what_openssl_verifies(string algorithm, string? option, string expected)
    {
        using var dir = new TempDirectory("strata-key");
        var generate = new List<string> { "genpkey", "-algorithm", algorithm, "-out", dir.Combine("key.pem") };
        if (option is not null)
        {
            generate.AddRange(["-pkeyopt", option]);
        }

        await ExternalTool.RunCheckedAsync("openssl", [.. generate]);
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-in", dir.Combine("key.pem"), "-pubout", "-out", dir.Combine("key.pub"));
        var publicKey = PublicKeyMaterial.Load(dir.Combine("key.pub"));
        Assert.Equal(expected, publicKey.Algorithm);

        var key = SigningKey.Load(dir.Combine("key.pem"), () => throw new InvalidOperationException("no passphrase needed"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(dir.Combine("key.pem")), StringComparison.Ordinal);
        var data = "{\"critical\":{}}"u8.ToArray();
        var signature = key.Sign(data);
        Assert.True(publicKey.Verify(data, signature));

        File.WriteAllBytes(dir.Combine("data"), data);
        File.WriteAllBytes(dir.Combine("sig"), signature);
        var verify = algorithm == "ED25519"
            ? new[] { "pkeyutl", "-verify", "-pubin", "-inkey", dir.Combine("key.pub"), "-rawin", "-in", dir.Combine("data"), "-sigfile", dir.Combine("sig") }
            : ["dgst", "-sha256", "-verify", dir.Combine("key.pub"), "-signature", dir.Combine("sig"), dir.Combine("data")];
        var result = await ExternalTool.RunAsync("openssl", verify);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
    }

    [Theory]
    [InlineData("ec", "EC PRIVATE KEY")]
    [InlineData("rsa", "RSA PRIVATE KEY")]
    public async Task Traditional_pem_keys_are_read(string kind, string label)
    {
        using var dir = new TempDirectory("strata-key");
        var generate = kind == "ec"
            ? new[] { "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.Combine("key.pem") }
            : ["genrsa", "-traditional", "-out", dir.Combine("key.pem"), "2048"];
        await ExternalTool.RunCheckedAsync("openssl", generate);
        Assert.StartsWith($"-----BEGIN {label}-----", File.ReadAllText(dir.Combine("key.pem")), StringComparison.Ordinal);
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-in", dir.Combine("key.pem"), "-pubout", "-out", dir.Combine("key.pub"));

        var key = SigningKey.Load(dir.Combine("key.pem"), () => throw new InvalidOperationException("no passphrase needed"));
        Assert.True(key.PublicKey.SameKeyAs(PublicKeyMaterial.Load(dir.Combine("key.pub"))));
    }

    [Fact]
    public void Passphrase_sources_in_order()
    {
        using var dir = new TempDirectory("strata-key");
        var file = dir.WriteFile("pass", "from-file\nsecond line\n");
        Assert.Equal("from-file", Encoding.UTF8.GetString(new PassphraseSource(file, null, _ => "env").Get(false)));
        Assert.Equal("strata", Encoding.UTF8.GetString(new PassphraseSource(null, null, name => name == "STRATA_PASSWORD" ? "strata" : "cosign").Get(false)));
        Assert.Equal("cosign", Encoding.UTF8.GetString(new PassphraseSource(null, null, name => name == "COSIGN_PASSWORD" ? "cosign" : null).Get(false)));
        Assert.Equal(string.Empty, Encoding.UTF8.GetString(new PassphraseSource(null, null, name => name == "STRATA_PASSWORD" ? string.Empty : null).Get(false)));
        Assert.Equal("typed", Encoding.UTF8.GetString(new PassphraseSource(null, _ => "typed", _ => null).Get(true)));

        var answers = new Queue<string>(["one", "two"]);
        var mismatch = Assert.Throws<StrataException>(() => new PassphraseSource(null, _ => answers.Dequeue(), _ => null).Get(true));
        Assert.Contains("do not match", mismatch.Message, StringComparison.Ordinal);
        var none = Assert.Throws<StrataException>(() => new PassphraseSource(null, _ => null, _ => null).Get(false));
        Assert.Contains("--passphrase-file", none.Message, StringComparison.Ordinal);
    }

    private static byte[] ReadPemBody(string path)
    {
        var text = File.ReadAllText(path);
        var fields = System.Security.Cryptography.PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }
}
