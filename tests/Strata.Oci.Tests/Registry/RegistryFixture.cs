namespace Strata.Oci.Tests.Registry;

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Testing;

/// <summary>
/// Three real registries over one storage directory: open, htpasswd (Basic) and token (Bearer, with
/// <see cref="TokenServer"/>). The test layout is pushed once with skopeo: test/single:v1 (OCI manifest),
/// test/multi:v1 (OCI index, --all) and test/docker:v1 (converted to Docker schema 2).
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string User = "strata-user";

    // Distinctive, so a test can prove it never appears in any message.
    public const string Password = "Pw-9f8e7d6c5b4a-never-print";

    public const string RefreshToken = "refresh-1a2b3c4d5e6f-never-print";

    private readonly TempDirectory temp = new("strata-registry");
    private readonly ConcurrentDictionary<string, Lazy<Task>> pushed = new(StringComparer.Ordinal);

    private TestImageLayout? layout;
    private RegistryServer? open;
    private RegistryServer? basic;
    private RegistryServer? token;
    private TokenServer? tokenIssuer;
    private RegistryServer? secure;

    public TestImageLayout Layout => layout ?? throw NotStarted();

    /// <summary>No authentication.</summary>
    public RegistryServer Open => open ?? throw NotStarted();

    /// <summary>htpasswd: Basic authentication of <see cref="User"/>.</summary>
    public RegistryServer Basic => basic ?? throw NotStarted();

    /// <summary>Token authentication through <see cref="TokenIssuer"/>.</summary>
    public RegistryServer Token => token ?? throw NotStarted();

    public TokenServer TokenIssuer => tokenIssuer ?? throw NotStarted();

    /// <summary>No authentication, https only, with a self-signed certificate for 127.0.0.1.</summary>
    public RegistryServer Secure => secure ?? throw NotStarted();

    public string Directory => temp.Path;

    public async Task InitializeAsync()
    {
        layout = TestImageLayout.Write(temp.Combine("layout"));
        var storage = temp.Combine("storage");
        System.IO.Directory.CreateDirectory(storage);

        open = await RegistryServer.StartAsync(temp.Path, storage, null);
        await PushAsync("single", "test/single:v1");
        await PushAsync("multi", "test/multi:v1", "--all");
        await PushAsync("single", "test/docker:v1", "--format", "v2s2");

        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, await ExternalTool.RunCheckedAsync("htpasswd", "-Bbn", User, Password));
        basic = await RegistryServer.StartAsync(temp.Path, storage, $"""
            auth:
              htpasswd:
                realm: strata-test
                path: {htpasswd}
            """);

        tokenIssuer = new TokenServer("strata-test-registry", "strata-test-issuer", User, Password, RefreshToken);
        var bundle = temp.WriteFile("token-ca.pem", tokenIssuer.CertificatePem);
        token = await RegistryServer.StartAsync(temp.Path, storage, $"""
            auth:
              token:
                realm: {tokenIssuer.Realm}
                service: {tokenIssuer.Service}
                issuer: {tokenIssuer.Issuer}
                rootcertbundle: {bundle}
            """);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = temp.WriteFile("tls.crt", certificate.ExportCertificatePem());
        var keyFile = temp.WriteFile("tls.key", key.ExportPkcs8PrivateKeyPem());
        secure = await RegistryServer.StartAsync(temp.Path, storage, null, (certificateFile, keyFile));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { open, basic, token, secure })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (tokenIssuer is not null)
        {
            await tokenIssuer.DisposeAsync();
        }

        temp.Dispose();
    }

    /// <summary>The manifest exactly as skopeo (an independent client) reads it from the open registry.</summary>
    public Task<string> SkopeoRawAsync(string repositoryAndTag) =>
        ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--raw", "--tls-verify=false", $"docker://{Open.HostPort}/{repositoryAndTag}");

    /// <summary>
    /// Copies an image into the shared storage as <paramref name="destination"/> (REPOSITORY:TAG) once per run,
    /// whichever test asks first; <paramref name="source"/> makes the transport reference to copy from.
    /// </summary>
    public Task PushOnceAsync(string destination, Func<Task<string>> source, params string[] extra) =>
        pushed.GetOrAdd(destination, _ => new Lazy<Task>(async () => await PushFromAsync(await source(), destination, extra))).Value;

    private static InvalidOperationException NotStarted() => new("the registry fixture has not started");

    private Task PushAsync(string layoutTag, string destination, params string[] extra) =>
        PushFromAsync($"oci:{Layout.Path}:{layoutTag}", destination, extra);

    private async Task PushFromAsync(string source, string destination, string[] extra)
    {
        // Digests are preserved unless the manifest format is converted (then skopeo cannot preserve them).
        string[] preserve = extra.Contains("--format") ? [] : ["--preserve-digests"];
        await ExternalTool.RunCheckedAsync("skopeo", [
            "--insecure-policy", "copy", "--quiet", .. preserve, "--dest-tls-verify=false", .. extra,
            source, $"docker://{Open.HostPort}/{destination}"]);
    }
}

/// <summary>The registries, and the buildah-built image to push to them (cached, so cheap to share).</summary>
[CollectionDefinition(Name)]
public sealed class SharedRegistries : ICollectionFixture<RegistryFixture>, ICollectionFixture<BuiltImageFixture>
{
    public const string Name = "registry";
}
