namespace Strata.Signing.Tests;

using System.Net;
using System.Net.Sockets;
using Strata.Oci;
using Strata.Signing.Lookaside;
using Strata.Testing;

public sealed class LookasideTests
{
    private static readonly Digest ManifestDigest = Digest.Parse("sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55", "test");

    private static RegistriesConfiguration Config(params (string Name, string Yaml)[] files) =>
        RegistriesConfiguration.Parse(files.Select(f => ("/d/" + f.Name, f.Yaml)));

    [Fact]
    public void Most_specific_scope_wins_then_namespaces_then_wildcards_then_default()
    {
        var config = Config(
            ("a.yaml", """
                default-docker:
                  lookaside: https://default.example/sigs
                docker:
                  registry.example.com:
                    lookaside: https://host.example/sigs
                  registry.example.com/team:
                    sigstore: https://team.example/sigs
                    sigstore-staging: file:///staging/team
                """),
            ("b.yaml", """
                docker:
                  registry.example.com/team/app:v1:
                    lookaside: https://tag.example/sigs
                  "*.example.org":
                    lookaside: https://wild.example/sigs
                    use-sigstore-attachments: true
                """));
        Assert.Equal("https://tag.example/sigs", config.TopLevelFor(ImageReference.Parse("registry.example.com/team/app:v1"), false)!.ToString());
        Assert.Equal("https://team.example/sigs", config.TopLevelFor(ImageReference.Parse("registry.example.com/team/app:v2"), false)!.ToString());
        Assert.Equal("file:///staging/team", config.TopLevelFor(ImageReference.Parse("registry.example.com/team/app:v2"), true)!.ToString());
        Assert.Equal("https://host.example/sigs", config.TopLevelFor(ImageReference.Parse("registry.example.com/other/app"), false)!.ToString());
        Assert.Equal("https://wild.example/sigs", config.TopLevelFor(ImageReference.Parse("quay.example.org:5000/x/y"), false)!.ToString());
        Assert.Equal("https://default.example/sigs", config.TopLevelFor(ImageReference.Parse("busybox"), false)!.ToString());
        Assert.True(config.UseSigstoreAttachments(ImageReference.Parse("quay.example.org/x/y")));
        Assert.False(config.UseSigstoreAttachments(ImageReference.Parse("busybox")));
        Assert.Equal(
            "https://default.example/sigs/library/busybox",
            config.LookasideBaseFor(ImageReference.Parse("busybox:latest"), false).ToString());
    }

    [Fact]
    public void Staging_is_for_writing_only_and_lookaside_is_used_for_writing_without_it()
    {
        var config = Config(("a.yaml", """
            docker:
              localhost:5000:
                lookaside: file:///srv/sigs
                lookaside-staging: file:///srv/staging
              localhost:5001:
                lookaside: file:///srv/sigs1
            """));
        Assert.Equal("file:///srv/sigs", config.TopLevelFor(ImageReference.Parse("localhost:5000/a"), false)!.ToString());
        Assert.Equal("file:///srv/staging", config.TopLevelFor(ImageReference.Parse("localhost:5000/a"), true)!.ToString());
        Assert.Equal("file:///srv/sigs1", config.TopLevelFor(ImageReference.Parse("localhost:5001/a"), true)!.ToString());
        Assert.Null(config.TopLevelFor(ImageReference.Parse("localhost:5002/a"), false));
    }

    [Fact]
    public void Scope_defined_twice_names_both_files()
    {
        var error = Assert.Throws<SignatureException>(() => Config(
            ("a.yaml", "docker:\n  example.com:\n    lookaside: https://a\n"),
            ("b.yaml", "docker:\n  example.com:\n    lookaside: https://b\n")));
        Assert.Contains("/d/a.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("/d/b.yaml", error.Message, StringComparison.Ordinal);
        Assert.Throws<SignatureException>(() => Config(
            ("a.yaml", "default-docker:\n  lookaside: https://a\n"),
            ("b.yaml", "default-docker:\n  lookaside: https://b\n")));
        Assert.Throws<SignatureException>(() => Config(("a.yaml", "docker: [unclosed")));
    }

    [Fact]
    public void Loads_only_yaml_files_of_the_directory()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("d/one.yaml", "docker:\n  example.com:\n    lookaside: https://one\n");
        temp.WriteFile("d/ignored.yml", "docker:\n  example.com:\n    lookaside: https://two\n");
        var config = RegistriesConfiguration.Load(temp.Combine("d"));
        Assert.Equal("https://one/", config.TopLevelFor(ImageReference.Parse("example.com/x"), false)!.ToString());
        Assert.Equal(temp.Combine("d"), RegistriesConfiguration.DirectoryToUse(temp.Combine("d")));
        Assert.Equal("/etc/containers/registries.d", RegistriesConfiguration.DirectoryToUse(null, temp.Combine("no-home")));
        temp.WriteFile("home/.config/containers/registries.d/x.yaml", "");
        Assert.Equal(temp.Combine("home/.config/containers/registries.d"), RegistriesConfiguration.DirectoryToUse(null, temp.Combine("home")));
    }

    [Fact]
    public void Signature_urls_follow_the_lookaside_layout()
    {
        var url = LookasideStore.SignatureUrl(new Uri("https://sigs.example/base/library/busybox"), ManifestDigest, 3);
        Assert.Equal("https://sigs.example/base/library/busybox@sha256=20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55/signature-3", url.ToString());
    }

    [Fact]
    public async Task File_writes_take_the_next_free_number_and_reads_stop_at_the_first_gap()
    {
        using var temp = new TempDirectory();
        var repository = new Uri("file://" + temp.Combine("sigs", "team", "app"));
        using var store = new LookasideStore();
        Assert.Empty(await store.ReadAsync(repository, ManifestDigest, CancellationToken.None));
        var first = await LookasideStore.WriteAsync(repository, ManifestDigest, [1], CancellationToken.None);
        var second = await LookasideStore.WriteAsync(repository, ManifestDigest, [2], CancellationToken.None);
        Assert.EndsWith("/signature-1", first.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("/signature-2", second.ToString(), StringComparison.Ordinal);
        Assert.Equal([1], await File.ReadAllBytesAsync(first.LocalPath));
        var directory = Path.GetDirectoryName(first.LocalPath)!;
        Assert.Equal(["signature-1", "signature-2"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        await File.WriteAllBytesAsync(Path.Combine(directory, "signature-4"), [4]);
        var read = await store.ReadAsync(repository, ManifestDigest, CancellationToken.None);
        Assert.Equal([1, 2], read.Select(s => s.Index));
        Assert.Equal([2], read[1].Bytes);
        await Assert.ThrowsAsync<SignatureException>(() => LookasideStore.WriteAsync(new Uri("https://x/y"), ManifestDigest, [1], CancellationToken.None));
    }

    [Fact]
    public async Task Http_reads_until_404_and_bound_the_size()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var prefix = $"/sigs/app@sha256={ManifestDigest.Hex}/";
        var served = new Dictionary<string, byte[]>
        {
            [prefix + "signature-1"] = [0xa3, 1],
            [prefix + "signature-2"] = [0xa3, 2],
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var server = ServeAsync(listener, served, cts.Token);
        try
        {
            using var store = new LookasideStore(TimeSpan.FromSeconds(20));
            var read = await store.ReadAsync(new Uri($"http://127.0.0.1:{port}/sigs/app"), ManifestDigest, CancellationToken.None);
            Assert.Equal(2, read.Count);
            Assert.Equal([0xa3, 2], read[1].Bytes);

            served[prefix + "signature-1"] = new byte[LookasideStore.MaxSignatureBytes + 1];
            var error = await Assert.ThrowsAsync<SignatureException>(() => store.ReadAsync(new Uri($"http://127.0.0.1:{port}/sigs/app"), ManifestDigest, CancellationToken.None));
            Assert.Contains("allowed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
            listener.Stop();
            await server.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>A minimal HTTP/1.1 server: one request per connection, 200 with the body or 404.</summary>
    private static async Task ServeAsync(TcpListener listener, Dictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(cancellationToken) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(cancellationToken)))
            {
            }

            var path = Uri.UnescapeDataString(requestLine.Split(' ')[1]);
            var body = files.GetValueOrDefault(path);
            var head = body is null
                ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), cancellationToken);
            if (body is not null)
            {
                try
                {
                    await stream.WriteAsync(body, cancellationToken);
                }
                catch (IOException)
                {
                    // The client may hang up on an oversized body.
                }
            }
        }
    }
}
