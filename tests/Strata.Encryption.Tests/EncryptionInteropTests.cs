namespace Strata.Encryption.Tests;

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Cli;
using Strata.Testing;

/// <summary>
/// A small two-layer OCI image (made with umoci), keys made with openssl and gpg, and a real docker-registry: each
/// scheme encrypted by skopeo and decrypted by Strata and the other way round, by layout and by registry.
/// </summary>
public sealed class EncryptionWorld : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory dir = new("strata-enc");

    public string Root => dir.Path;

    public string Image => $"oci:{dir.Combine("img")}:v1";

    public IReadOnlyList<string> LayerDigests { get; private set; } = [];

    public RegistryServer Registry { get; private set; } = null!;

    public Dictionary<string, string> GpgEnvironment { get; } = [];

    public string Path(string name) => dir.Combine(name);

    public async Task InitializeAsync()
    {
        var layout = dir.Combine("img");
        await ExternalTool.RunCheckedAsync("umoci", "init", "--layout", layout);
        await ExternalTool.RunCheckedAsync("umoci", "new", "--image", layout + ":v1");
        foreach (var (bundle, file, content) in new[] { ("b1", "hello.txt", "hello"), ("b2", "etc/app.conf", "token=" + SecretTokens.WithChecksum("ghp_", "Zq8Rt2Lm5Xv9Bn3Kc7Hd1Fg4Js6Wp0")) })
        {
            await ExternalTool.RunCheckedAsync("umoci", "unpack", "--rootless", "--image", layout + ":v1", dir.Combine(bundle));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dir.Combine(bundle, "rootfs", file))!);
            File.WriteAllText(dir.Combine(bundle, "rootfs", file), content + "\n" + new string('#', 5000) + "\n");
            await ExternalTool.RunCheckedAsync("umoci", "repack", "--image", layout + ":v1", dir.Combine(bundle));
        }

        LayerDigests = OciLayout.Digests(layout);

        await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", Path("rsa.key"));
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-in", Path("rsa.key"), "-pubout", "-out", Path("rsa.pub"));
        await ExternalTool.RunCheckedAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", Path("ec.key"));
        await ExternalTool.RunCheckedAsync("openssl", "pkey", "-in", Path("ec.key"), "-pubout", "-out", Path("ec.pub"));
        await ExternalTool.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path("p7.key"), "-out", Path("p7.crt"), "-days", "2", "-subj", "/CN=strata-layer");

        var home = Path("gnupg");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GpgEnvironment["GNUPGHOME"] = home;
        await GpgAsync("--quick-gen-key", "Layer <layer@example.test>", "rsa2048", "default", "never");
        var fingerprint = (await GpgAsync("--list-keys", "--with-colons")).Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        await GpgAsync("--quick-add-key", fingerprint, "rsa2048", "encr", "never");
        await GpgAsync("--output", Path("pub.gpg"), "--export", "layer@example.test");
        await GpgAsync("--output", Path("sec.gpg"), "--export-secret-keys", "layer@example.test");

        Directory.CreateDirectory(Path("registry"));
        Registry = await RegistryServer.StartAsync(Path("registry"), Path("registry/storage"), null);
    }

    public async Task<string> GpgAsync(params string[] args)
    {
        var result = await ExternalTool.RunAsync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", string.Empty, .. args], environment: GpgEnvironment);
        return result.ExitCode == 0 ? result.StdOut : throw new InvalidOperationException("gpg " + string.Join(' ', args) + ": " + result.StdErr);
    }

    public async Task<ExternalTool.Result> SkopeoAsync(params string[] args) =>
        await ExternalTool.RunAsync("skopeo", ["--insecure-policy", .. args], environment: GpgEnvironment);

    public static async Task<(int Exit, string Out, string Err)> StrataAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = await StrataCli.RunAsync(args, new CliIo(stdout, stderr, true), CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    public async Task DisposeAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        dir.Dispose();
    }

    public void Dispose() => dir.Dispose();
}

/// <summary>Reads and edits an OCI layout's single manifest (for checks and for tampering).</summary>
internal static class OciLayout
{
    public static (string Digest, JsonObject Manifest) Manifest(string layout)
    {
        var index = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(layout, "index.json")))!;
        var digest = index["manifests"]![0]!["digest"]!.GetValue<string>();
        return (digest, JsonNode.Parse(File.ReadAllBytes(BlobPath(layout, digest)))!.AsObject());
    }

    public static JsonArray Layers(string layout) => Manifest(layout).Manifest["layers"]!.AsArray();

    public static List<string> Digests(string layout) => [.. Layers(layout).Select(l => l!["digest"]!.GetValue<string>())];

    public static List<string> MediaTypes(string layout) => [.. Layers(layout).Select(l => l!["mediaType"]!.GetValue<string>())];

    public static string BlobPath(string layout, string digest) => System.IO.Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    public static string WriteBlob(string layout, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(BlobPath(layout, digest), bytes);
        return digest;
    }

    /// <summary>Replaces the manifest with an edited copy (new blob, index entry updated).</summary>
    public static void Rewrite(string layout, Action<JsonObject> edit)
    {
        var (_, manifest) = Manifest(layout);
        edit(manifest);
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = WriteBlob(layout, bytes);
        var indexPath = System.IO.Path.Combine(layout, "index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["manifests"]![0]!["digest"] = digest;
        index["manifests"]![0]!["size"] = bytes.Length;
        File.WriteAllText(indexPath, index.ToJsonString());
    }
}

/// <summary>Each scheme and a mix of them, both ways, with skopeo 1.9.3 (ocicrypt 1.0.3) as the other side.</summary>
public sealed class EncryptionInteropTests(EncryptionWorld world) : IClassFixture<EncryptionWorld>
{
    public static TheoryData<string, string[], string[]> Schemes() => new()
    {
        { "jwe-rsa", ["jwe:rsa.pub"], ["rsa.key"] },
        { "jwe-ec", ["jwe:ec.pub"], ["ec.key"] },
        { "pkcs7", ["pkcs7:p7.crt"], ["p7.key", "p7.crt"] },
        { "pgp", ["pgp:pub.gpg"], ["sec.gpg"] },
        { "mixed", ["jwe:rsa.pub", "jwe:ec.pub", "pkcs7:p7.crt", "pgp:pub.gpg"], ["ec.key"] },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Skopeo_encrypts_and_strata_decrypts_to_the_original_layers(string name, string[] recipients, string[] keys)
    {
        var encrypted = world.Path($"sk-enc-{name}");
        var skopeoRecipients = recipients.Select(r => r.StartsWith("pgp:", StringComparison.Ordinal) ? "pgp:layer@example.test" : r.Replace(":", ":" + world.Root + "/", StringComparison.Ordinal));
        var copy = await world.SkopeoAsync(["copy", "-q", .. skopeoRecipients.SelectMany(r => new[] { "--encryption-key", r }), world.Image, $"oci:{encrypted}:v1"]);
        Assert.True(copy.ExitCode == 0, copy.StdErr);
        Assert.All(OciLayout.MediaTypes(encrypted), m => Assert.EndsWith("+encrypted", m, StringComparison.Ordinal));

        var output = world.Path($"st-dec-{name}");
        var run = await EncryptionWorld.StrataAsync(["decrypt", .. keys.SelectMany(k => new[] { "--key", world.Path(k) }), $"oci:{encrypted}:v1", $"oci:{output}:v1"]);
        Assert.True(run.Exit == 0, run.Err);
        Assert.Equal(world.LayerDigests, OciLayout.Digests(output));
        Assert.All(OciLayout.Layers(output), l => Assert.Null(l!["annotations"]?["org.opencontainers.image.enc.pubopts"]));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Strata_encrypts_and_skopeo_decrypts_to_the_original_layers(string name, string[] recipients, string[] keys)
    {
        var encrypted = world.Path($"st-enc-{name}");
        var run = await EncryptionWorld.StrataAsync(["encrypt", .. recipients.SelectMany(r => new[] { "--recipient", r.Replace(":", ":" + world.Root + "/", StringComparison.Ordinal) }), world.Image, $"oci:{encrypted}:v1"]);
        Assert.True(run.Exit == 0, run.Err);
        var layers = OciLayout.Layers(encrypted);
        Assert.All(OciLayout.MediaTypes(encrypted), m => Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", m));
        var annotations = layers[0]!["annotations"]!.AsObject();
        Assert.Equal(recipients.Select(r => r.Split(':')[0]).Distinct().Count(), annotations.Count(a => a.Key.StartsWith("org.opencontainers.image.enc.keys.", StringComparison.Ordinal)));
        var publicOptions = JsonNode.Parse(Convert.FromBase64String(annotations["org.opencontainers.image.enc.pubopts"]!.GetValue<string>()))!;
        Assert.Equal("AES_256_CTR_HMAC_SHA256", publicOptions["cipher"]!.GetValue<string>());

        var output = world.Path($"sk-dec-{name}");
        var copy = await world.SkopeoAsync(["copy", "-q", .. keys.SelectMany(k => new[] { "--decryption-key", world.Path(k) }), $"oci:{encrypted}:v1", $"oci:{output}:v1"]);
        Assert.True(copy.ExitCode == 0, copy.StdErr);
        Assert.Equal(world.LayerDigests, OciLayout.Digests(output));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Each_scheme_crosses_a_real_registry_both_ways(string name, string[] recipients, string[] keys)
    {
        var registry = world.Registry.HostPort;
        var strataRecipients = recipients.SelectMany(r => new[] { "--recipient", r.Replace(":", ":" + world.Root + "/", StringComparison.Ordinal) });
        var pushed = await EncryptionWorld.StrataAsync(["encrypt", "-q", "--dest-tls-verify=false", .. strataRecipients, world.Image, $"docker://{registry}/strata/{name}:v1"]);
        Assert.True(pushed.Exit == 0, pushed.Err);
        var pulled = await world.SkopeoAsync(["copy", "-q", "--src-tls-verify=false", .. keys.SelectMany(k => new[] { "--decryption-key", world.Path(k) }), $"docker://{registry}/strata/{name}:v1", $"oci:{world.Path($"reg-{name}-sk")}:v1"]);
        Assert.True(pulled.ExitCode == 0, pulled.StdErr);
        Assert.Equal(world.LayerDigests, OciLayout.Digests(world.Path($"reg-{name}-sk")));

        var skopeoRecipients = recipients.Select(r => r.StartsWith("pgp:", StringComparison.Ordinal) ? "pgp:layer@example.test" : r.Replace(":", ":" + world.Root + "/", StringComparison.Ordinal));
        var skopeoPush = await world.SkopeoAsync(["copy", "-q", "--dest-tls-verify=false", .. skopeoRecipients.SelectMany(r => new[] { "--encryption-key", r }), world.Image, $"docker://{registry}/skopeo/{name}:v1"]);
        Assert.True(skopeoPush.ExitCode == 0, skopeoPush.StdErr);
        var decrypted = await EncryptionWorld.StrataAsync(["decrypt", "-q", "--tls-verify=false", .. keys.SelectMany(k => new[] { "--key", world.Path(k) }), $"docker://{registry}/skopeo/{name}:v1", $"oci:{world.Path($"reg-{name}-st")}:v1"]);
        Assert.True(decrypted.Exit == 0, decrypted.Err);
        Assert.Equal(world.LayerDigests, OciLayout.Digests(world.Path($"reg-{name}-st")));
    }

    [Fact]
    public async Task Encrypted_images_go_through_a_real_registry_both_ways()
    {
        var registry = world.Registry.HostPort;
        var pushed = await EncryptionWorld.StrataAsync(["encrypt", "-r", "jwe:" + world.Path("ec.pub"), "-r", "pgp:" + world.Path("pub.gpg"), "--dest-tls-verify=false", world.Image, $"docker://{registry}/strata/enc:v1"]);
        Assert.True(pushed.Exit == 0, pushed.Err);
        var pulled = await world.SkopeoAsync(["copy", "-q", "--src-tls-verify=false", "--decryption-key", world.Path("sec.gpg"), $"docker://{registry}/strata/enc:v1", $"oci:{world.Path("reg-sk-dec")}:v1"]);
        Assert.True(pulled.ExitCode == 0, pulled.StdErr);
        Assert.Equal(world.LayerDigests, OciLayout.Digests(world.Path("reg-sk-dec")));

        var skopeoPush = await world.SkopeoAsync(["copy", "-q", "--dest-tls-verify=false", "--encryption-key", "pkcs7:" + world.Path("p7.crt"), world.Image, $"docker://{registry}/skopeo/enc:v1"]);
        Assert.True(skopeoPush.ExitCode == 0, skopeoPush.StdErr);
        var decrypted = await EncryptionWorld.StrataAsync(["decrypt", "-k", world.Path("p7.key"), "--tls-verify=false", "--dest-tls-verify=false", $"docker://{registry}/skopeo/enc:v1", $"docker://{registry}/strata/dec:v1"]);
        Assert.True(decrypted.Exit == 0, decrypted.Err);
        var inspect = await world.SkopeoAsync(["inspect", "--tls-verify=false", $"docker://{registry}/strata/dec:v1"]);
        Assert.True(inspect.ExitCode == 0, inspect.StdErr);
        Assert.Equal(world.LayerDigests, JsonNode.Parse(inspect.StdOut)!["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList());
    }

    [Fact]
    public async Task Layer_option_encrypts_only_the_layers_named()
    {
        var encrypted = world.Path("st-enc-top");
        var run = await EncryptionWorld.StrataAsync(["encrypt", "-r", "jwe:" + world.Path("rsa.pub"), "--layer", "-1", world.Image, $"oci:{encrypted}:v1"]);
        Assert.True(run.Exit == 0, run.Err);
        var layers = OciLayout.Layers(encrypted);
        Assert.Equal(world.LayerDigests[0], layers[0]!["digest"]!.GetValue<string>());
        Assert.EndsWith("+encrypted", layers[1]!["mediaType"]!.GetValue<string>(), StringComparison.Ordinal);

        var bad = await EncryptionWorld.StrataAsync(["encrypt", "-r", "jwe:" + world.Path("rsa.pub"), "--layer", "2", world.Image, $"oci:{world.Path("never")}:v1"]);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--layer 2: the image has 2 layers", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_names_schemes_and_recipients_without_a_key_and_reads_the_files_with_one()
    {
        var encrypted = world.Path("inspect-enc");
        var copy = await world.SkopeoAsync("copy", "-q", "--encryption-key", "jwe:" + world.Path("rsa.pub"), "--encryption-key", "jwe:" + world.Path("ec.pub"), "--encryption-key", "pkcs7:" + world.Path("p7.crt"), "--encryption-key", "pgp:layer@example.test", world.Image, $"oci:{encrypted}:v1");
        Assert.True(copy.ExitCode == 0, copy.StdErr);

        var locked = await EncryptionWorld.StrataAsync("image", "inspect", "--format", "json", $"oci:{encrypted}:v1");
        Assert.True(locked.Exit == 0, locked.Err);
        var layer = JsonNode.Parse(locked.Out)!["imageLayers"]![1]!;
        var encryption = layer["encryption"]!;
        Assert.Equal(["jwe", "pgp", "pkcs7"], encryption["schemes"]!.AsArray().Select(n => n!.GetValue<string>()));
        var recipients = encryption["recipients"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("jwe RSA-OAEP", recipients);
        Assert.Contains("jwe ECDH-ES+A256KW P-256", recipients);
        Assert.Contains(recipients, r => r.StartsWith("pkcs7 issuer \"CN=strata-layer\" serial ", StringComparison.Ordinal));
        Assert.Contains(recipients, r => r.StartsWith("pgp key ", StringComparison.Ordinal));
        Assert.False(encryption["decrypted"]!.GetValue<bool>());
        Assert.Equal(0, layer["entries"]!.GetValue<int>());

        var opened = await EncryptionWorld.StrataAsync("image", "inspect", "--format", "json", "--decryption-key", world.Path("ec.key"), $"oci:{encrypted}:v1");
        Assert.True(opened.Exit == 0, opened.Err);
        var openedLayer = JsonNode.Parse(opened.Out)!["imageLayers"]![1]!;
        Assert.True(openedLayer["encryption"]!["decrypted"]!.GetValue<bool>());
        Assert.True(openedLayer["entries"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Scan_reads_config_and_history_without_a_key_and_the_files_with_one()
    {
        var encrypted = world.Path("scan-enc");
        var run = await EncryptionWorld.StrataAsync("encrypt", "-q", "-r", "pgp:" + world.Path("pub.gpg"), world.Image, $"oci:{encrypted}:v1");
        Assert.True(run.Exit == 0, run.Err);

        var locked = await EncryptionWorld.StrataAsync("scan", "--format", "json", "--no-progress", $"oci:{encrypted}:v1");
        Assert.True(locked.Exit is 0 or 1, locked.Err);
        Assert.Contains("are encrypted and no --decryption-key opens them", locked.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("etc/app.conf", locked.Out, StringComparison.Ordinal);

        var opened = await EncryptionWorld.StrataAsync("scan", "--format", "json", "--no-progress", "--decryption-key", world.Path("sec.gpg"), $"oci:{encrypted}:v1");
        Assert.True(opened.Exit is 0 or 1, opened.Err);
        Assert.DoesNotContain("are encrypted", opened.Err, StringComparison.Ordinal);
        Assert.Contains("etc/app.conf", opened.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq8Rt2Lm5Xv9Bn3Kc7Hd1Fg4Js6Wp0", opened.Out, StringComparison.Ordinal);
    }
}
