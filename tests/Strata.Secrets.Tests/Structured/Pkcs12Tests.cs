namespace Strata.Secrets.Tests.Structured;

using System.Diagnostics;
using Strata.Core.Findings;
using Strata.Testing;

/// <summary>PKCS#12 key stores made by openssl, recognised by their structure whatever their name.</summary>
public sealed class Pkcs12Tests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory directory = new("strata-pkcs12");

    public async Task InitializeAsync()
    {
        await ExternalTool.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=fake.example.test", "-days", "1", "-keyout", Path("key.pem"), "-out", Path("cert.pem"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData("empty password (AES, PBKDF2)", "SEC-PKCS12-UNPROTECTED", "-passout", "pass:")]
    [InlineData("empty password, legacy (RC2, 3DES)", "SEC-PKCS12-UNPROTECTED", "-legacy", "-passout", "pass:")]
    [InlineData("empty password, key only", "SEC-PKCS12-UNPROTECTED", "-nocerts", "-passout", "pass:")]
    [InlineData("key bag not encrypted, MAC with a password", "SEC-PKCS12-UNPROTECTED", "-keypbe", "NONE", "-certpbe", "NONE", "-passout", "pass:" + GeneratedKeys.Passphrase)]
    [InlineData("no MAC, nothing encrypted", "SEC-PKCS12-UNPROTECTED", "-keypbe", "NONE", "-certpbe", "NONE", "-nomac", "-passout", "pass:")]
    [InlineData("a password (AES, PBKDF2)", "SEC-PKCS12-PROTECTED", "-passout", "pass:" + GeneratedKeys.Passphrase)]
    [InlineData("a password, legacy", "SEC-PKCS12-PROTECTED", "-legacy", "-passout", "pass:" + GeneratedKeys.Passphrase)]
    [InlineData("a trust store: certificates only, empty password", null, "-nokeys", "-passout", "pass:")]
    [InlineData("a trust store: certificates only, a password", null, "-nokeys", "-passout", "pass:" + GeneratedKeys.Passphrase)]
    public async Task Key_stores_are_recognised_by_structure_and_rated_by_protection(string what, string? ruleId, params string[] options)
    {
        var file = Path("store-" + Guid.NewGuid().ToString("N")[..8]);
        await ExternalTool.RunCheckedAsync("openssl", ["pkcs12", "-export", "-in", Path("cert.pem"), "-inkey", Path("key.pem"), "-out", file, .. options]);

        // A name that says nothing: the first bytes decide, not the extension.
        var result = await BuiltInSecrets.Scanner.ScanFileAsync(file, "/opt/app/data/blob.bin");
        Assert.Equal(SecretFileDisposition.Scanned, result.Disposition);
        if (ruleId is null)
        {
            Assert.True(result.Matches.Count == 0, what);
            return;
        }

        var match = Assert.Single(result.Matches);
        Assert.Equal(ruleId, match.Rule.Id);
        Assert.Equal(ruleId == "SEC-PKCS12-UNPROTECTED" ? Severity.High : Severity.Low, match.Severity);
        Assert.Equal(1, match.Line);

        // The same store base64-encoded in configuration, and in a Kubernetes Secret.
        var base64 = Convert.ToBase64String(await File.ReadAllBytesAsync(file));
        Assert.Contains(BuiltInSecrets.Scanner.ScanText("CLIENT_CERTIFICATE=" + base64 + "\n", "/app/.env"), m => m.Rule.Id == ruleId);
        var manifest = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: signing\ndata:\n  store.pfx: {base64}\n";
        var inSecret = BuiltInSecrets.Scanner.ScanText(manifest, "/app/k8s/secret.yaml").Where(m => m.Rule.Id == ruleId).ToList();
        Assert.Equal(6, Assert.Single(inSecret).Line);
    }

    [Fact]
    public async Task Hostile_iteration_counts_are_not_run_and_the_store_is_still_reported()
    {
        var file = Path("hostile.p12");
        await ExternalTool.RunCheckedAsync("openssl", "pkcs12", "-export", "-in", Path("cert.pem"), "-inkey", Path("key.pem"), "-out", file, "-iter", "1000000", "-passout", "pass:");
        var clock = Stopwatch.StartNew();
        var result = await BuiltInSecrets.Scanner.ScanFileAsync(file, "/opt/app/keystore");

        // A million iterations is beyond the loader's limit: the store cannot be opened, only seen to hold a key.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.Equal("SEC-PKCS12-PROTECTED", Assert.Single(result.Matches).Rule.Id);
    }

    [Fact]
    public async Task Truncated_and_corrupted_stores_give_nothing_and_throw_nothing()
    {
        var file = Path("whole.p12");
        await ExternalTool.RunCheckedAsync("openssl", "pkcs12", "-export", "-in", Path("cert.pem"), "-inkey", Path("key.pem"), "-out", file, "-passout", "pass:");
        var bytes = await File.ReadAllBytesAsync(file);
        var random = new Random(10);
        var variants = new List<byte[]> { bytes[..40], bytes[..(bytes.Length / 2)], bytes[..^1] };
        for (var i = 0; i < 50; i++)
        {
            var corrupted = (byte[])bytes.Clone();
            corrupted[40 + random.Next(bytes.Length - 40)] ^= (byte)(1 + random.Next(255));
            variants.Add(corrupted);
        }

        foreach (var variant in variants)
        {
            var result = await BuiltInSecrets.Scanner.ScanAsync(new MemoryStream(variant), "/opt/app/keystore.p12");
            Assert.True(result.Matches.All(m => m.Rule.Id.StartsWith("SEC-PKCS12-", StringComparison.Ordinal)));
        }

        // Cut short, it is not a store at all.
        Assert.Empty((await BuiltInSecrets.Scanner.ScanAsync(new MemoryStream(bytes[..(bytes.Length / 2)]), "/opt/app/keystore.p12")).Matches);
    }

    [Fact]
    public async Task Other_binary_files_are_still_skipped()
    {
        // DER that is not a PFX (a certificate) is binary as before.
        await ExternalTool.RunCheckedAsync("openssl", "x509", "-in", Path("cert.pem"), "-outform", "DER", "-out", Path("cert.der"));
        var result = await BuiltInSecrets.Scanner.ScanFileAsync(Path("cert.der"), "/opt/app/cert.der");
        Assert.Equal(SecretFileDisposition.Binary, result.Disposition);
    }

    private string Path(string name) => directory.Combine(name);
}
