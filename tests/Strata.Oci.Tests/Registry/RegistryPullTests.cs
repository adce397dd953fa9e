namespace Strata.Oci.Tests.Registry;

using System.Diagnostics;
using System.Text;
using Strata.Core;
using Strata.Oci.Registry;

[Collection(SharedRegistries.Name)]
public sealed class RegistryPullTests(RegistryFixture fixture)
{
    /// <summary>No credentials files of the machine running the tests, plain http allowed, short waits between retries.</summary>
    internal static RegistryOptions Isolated(TimeSpan? timeout = null) => new()
    {
        TlsVerify = false,
        Timeout = timeout ?? TimeSpan.FromSeconds(15),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        EnvironmentVariable = _ => null,
    };

    internal static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }

    private static ImageReference Ref(string hostPort, string rest) => ImageReference.Parse($"{hostPort}/{rest}");

    [Fact]
    public async Task Anonymous_pull_returns_the_pushed_manifest_config_and_layers_byte_for_byte()
    {
        var image = fixture.Layout.Amd64;
        await using var source = RegistryImageSource.Open($"docker://{fixture.Open.HostPort}/test/single:v1", Isolated());

        var manifest = await source.GetTopManifestAsync(CancellationToken.None);
        Assert.Equal(image.ManifestBytes, manifest.Bytes);
        Assert.Equal(ManifestMediaTypes.OciManifest, manifest.MediaType);
        // From Docker-Content-Digest, checked against the bytes.
        Assert.Equal(image.Manifest.Digest, manifest.ExpectedDigest);
        Assert.Equal($"docker://{fixture.Open.HostPort}/test/single:v1", source.Reference);

        foreach (var blob in image.Layers.Append(image.Config))
        {
            var bytes = await ReadAllAsync(await source.OpenBlobAsync(blob, CancellationToken.None));
            Assert.Equal(blob.Size, bytes.Length);
            Assert.Equal(blob.Digest, Digest.Sha256Of(bytes));
        }

        // The 1.5 MiB layer arrives in many reads and verifies.
        Assert.True(image.Layers[1].Size > 1024 * 1024);
        using var client = new RegistryClient(Isolated());
        await using var verified = await client.OpenVerifiedBlobAsync(Ref(fixture.Open.HostPort, "test/single:v1"), image.Layers[1], CancellationToken.None);
        await verified.DrainAsync(CancellationToken.None);
        Assert.Equal(image.Layers[1].Size, verified.BytesRead);
    }

    [Fact]
    public async Task Manifest_list_is_returned_whole_and_child_manifests_come_by_digest()
    {
        await using var source = RegistryImageSource.Open($"docker://{fixture.Open.HostPort}/test/multi:v1", Isolated());
        var index = await source.GetTopManifestAsync(CancellationToken.None);
        Assert.Equal(fixture.Layout.IndexBytes, index.Bytes);
        Assert.Equal(ManifestMediaTypes.OciIndex, index.MediaType);
        Assert.Equal(fixture.Layout.Index.Digest, index.ExpectedDigest);

        // As the resolver will: the child descriptor carries a manifest media type, so it comes from /manifests/.
        foreach (var child in new[] { fixture.Layout.Amd64, fixture.Layout.Arm64 })
        {
            var bytes = await ReadAllAsync(await source.OpenBlobAsync(child.Manifest, CancellationToken.None));
            Assert.Equal(child.ManifestBytes, bytes);
            var config = await ReadAllAsync(await source.OpenBlobAsync(child.Config, CancellationToken.None));
            Assert.Equal(child.Config.Digest, Digest.Sha256Of(config));
        }
    }

    [Fact]
    public async Task Pull_by_digest_and_head_agree_with_the_pushed_digest()
    {
        var amd64 = fixture.Layout.Amd64.Manifest;
        using var client = new RegistryClient(Isolated());
        var byDigest = Ref(fixture.Open.HostPort, $"test/multi@{amd64.Digest}");
        var manifest = await client.GetManifestAsync(byDigest, CancellationToken.None);
        Assert.Equal(amd64.Digest, manifest.Digest);
        Assert.Equal(fixture.Layout.Amd64.ManifestBytes, manifest.Bytes);

        var head = await client.HeadManifestAsync(Ref(fixture.Open.HostPort, "test/multi:v1"), CancellationToken.None);
        Assert.Equal(fixture.Layout.Index.Digest, head.Digest);
        Assert.Equal(ManifestMediaTypes.OciIndex, head.MediaType);
        Assert.Equal(fixture.Layout.Index.Size, head.Size);
    }

    [Fact]
    public async Task Docker_schema2_manifest_matches_what_skopeo_reads()
    {
        var expected = Encoding.UTF8.GetBytes(await fixture.SkopeoRawAsync("test/docker:v1"));
        using var client = new RegistryClient(Isolated());
        var manifest = await client.GetManifestAsync(Ref(fixture.Open.HostPort, "test/docker:v1"), CancellationToken.None);
        Assert.Equal(ManifestMediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(expected, manifest.Bytes);
        Assert.Equal(Digest.Sha256Of(expected), manifest.Digest);
    }

    [Fact]
    public async Task Missing_tag_and_missing_blob_fail_with_the_registry_error_named()
    {
        using var client = new RegistryClient(Isolated());
        var missingTag = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(fixture.Open.HostPort, "test/single:nope"), CancellationToken.None));
        Assert.Equal(ExitCode.Usage, missingTag.ExitCode);
        Assert.Contains($"docker://{fixture.Open.HostPort}/test/single:nope: manifest 'nope': HTTP 404", missingTag.Message, StringComparison.Ordinal);
        Assert.Contains("MANIFEST_UNKNOWN", missingTag.Message, StringComparison.Ordinal);

        var absent = Digest.Sha256Of("not pushed"u8);
        var missingBlob = await Assert.ThrowsAsync<StrataException>(() => client.OpenBlobAsync(Ref(fixture.Open.HostPort, "test/single:v1"), absent, 10, CancellationToken.None));
        Assert.Equal(ExitCode.Error, missingBlob.ExitCode);
        Assert.Contains($"blob {absent}", missingBlob.Message, StringComparison.Ordinal);
        Assert.Contains("BLOB_UNKNOWN", missingBlob.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupted_blob_is_raw_from_the_source_and_rejected_by_the_verified_stream_naming_its_digest()
    {
        var layer = fixture.Layout.Amd64.Layers[1];
        await using var proxy = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.EndsWith("/blobs/" + layer.Digest, StringComparison.Ordinal) && exchange.Body.Length > 0)
            {
                var body = (byte[])exchange.Body.Clone();
                body[body.Length / 2] ^= 0x55;
                exchange.Body = body;
            }

            return Task.CompletedTask;
        });

        var reference = Ref(proxy.HostPort, "test/single:v1");
        await using (var source = new RegistryImageSource(reference, Isolated()))
        {
            var raw = await ReadAllAsync(await source.OpenBlobAsync(layer, CancellationToken.None));
            Assert.Equal(layer.Size, raw.Length);
            Assert.NotEqual(layer.Digest, Digest.Sha256Of(raw));
        }

        using var client = new RegistryClient(Isolated());
        await using var verified = await client.OpenVerifiedBlobAsync(reference, layer, CancellationToken.None);
        var error = await Assert.ThrowsAsync<StrataException>(() => verified.DrainAsync(CancellationToken.None));
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains($"docker://{proxy.HostPort}/test/single:v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_docker_content_digest_header_is_rejected()
    {
        var lie = Digest.Sha256Of("something else"u8);
        await using var proxy = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal))
            {
                exchange.Headers["Docker-Content-Digest"] = lie.ToString();
            }

            return Task.CompletedTask;
        });
        using var client = new RegistryClient(Isolated());
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(proxy.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains($"Docker-Content-Digest header says {lie}", error.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Layout.Amd64.Manifest.Digest.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_pulled_by_digest_must_hash_to_it_even_without_a_header()
    {
        var wanted = fixture.Layout.Amd64.Manifest.Digest;
        await using var proxy = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal))
            {
                exchange.Headers.Remove("Docker-Content-Digest");
                exchange.Body = [.. exchange.Body, (byte)' '];
            }

            return Task.CompletedTask;
        });
        await using var source = new RegistryImageSource(Ref(proxy.HostPort, "test/single:v1"), Isolated());
        var error = await Assert.ThrowsAsync<StrataException>(() => source.OpenBlobAsync(fixture.Layout.Amd64.Manifest, CancellationToken.None));
        Assert.Contains($"digest mismatch: asked for {wanted}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema1_and_oversized_manifests_are_refused_clearly()
    {
        await using var schema1 = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            exchange.Headers["Content-Type"] = ManifestMediaTypes.DockerSchema1Signed;
            exchange.Headers.Remove("Docker-Content-Digest");
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(Isolated());
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(schema1.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);

        await using var huge = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            exchange.Headers.Remove("Docker-Content-Digest");
            exchange.Body = new byte[5 * 1024 * 1024];
            return Task.CompletedTask;
        });
        error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(huge.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains("more than the 4194304", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_503s_are_retried_a_bounded_number_of_times()
    {
        var failuresLeft = 2;
        await using var flaky = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal) && Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                exchange.Status = 503;
                exchange.Body = """{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}"""u8.ToArray();
                exchange.Headers.Remove("Docker-Content-Digest");
            }

            return Task.CompletedTask;
        });
        using (var client = new RegistryClient(Isolated()))
        {
            var manifest = await client.GetManifestAsync(Ref(flaky.HostPort, "test/single:v1"), CancellationToken.None);
            Assert.Equal(fixture.Layout.Amd64.Manifest.Digest, manifest.Digest);
        }

        await using var down = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            exchange.Status = 503;
            exchange.Body = """{"errors":[{"code":"UNAVAILABLE","message":"down for maintenance"}]}"""u8.ToArray();
            return Task.CompletedTask;
        });
        using (var client = new RegistryClient(Isolated() with { MaxAttempts = 2 }))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(down.HostPort, "test/single:v1"), CancellationToken.None));
            Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
            Assert.Contains("UNAVAILABLE: down for maintenance", error.Message, StringComparison.Ordinal);
            Assert.Contains("after 2 attempts", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, down.Requests.Count(r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_registry_that_stalls_before_or_during_a_response_fails_within_the_timeout()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var silent = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            exchange.HeaderDelay = TimeSpan.FromSeconds(30);
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(Isolated(timeout) with { MaxAttempts = 2 });
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(silent.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains("did not answer within 1 s (after 2 attempts)", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");

        var layer = fixture.Layout.Amd64.Layers[1];
        await using var stalling = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
            {
                exchange.BodyStall = TimeSpan.FromSeconds(30);
            }

            return Task.CompletedTask;
        });
        using var blobClient = new RegistryClient(Isolated(timeout) with { MaxAttempts = 2 });
        clock.Restart();
        await using var stream = await blobClient.OpenVerifiedBlobAsync(Ref(stalling.HostPort, "test/single:v1"), layer, CancellationToken.None);
        error = await Assert.ThrowsAsync<StrataException>(() => stream.DrainAsync(CancellationToken.None));
        Assert.Contains($"blob {layer.Digest}: no data for 1 s after", error.Message, StringComparison.Ordinal);
        Assert.Contains("(after 2 attempts)", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Self_signed_https_registry_needs_tls_verify_false()
    {
        using (var trusting = new RegistryClient(Isolated()))
        {
            var manifest = await trusting.GetManifestAsync(Ref(fixture.Secure.HostPort, "test/single:v1"), CancellationToken.None);
            Assert.Equal(fixture.Layout.Amd64.Manifest.Digest, manifest.Digest);
        }

        using var verifying = new RegistryClient(Isolated() with { TlsVerify = true });
        var error = await Assert.ThrowsAsync<StrataException>(() => verifying.GetManifestAsync(Ref(fixture.Secure.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains($"cannot reach {fixture.Secure.HostPort}: TLS failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tls-verify=false", error.Message, StringComparison.Ordinal);
        // A certificate failure is not retried.
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_registry_needs_tls_verify_false()
    {
        using var client = new RegistryClient(Isolated() with { TlsVerify = true });
        var error = await Assert.ThrowsAsync<StrataException>(() => client.GetManifestAsync(Ref(fixture.Open.HostPort, "test/single:v1"), CancellationToken.None));
        Assert.Contains($"cannot reach {fixture.Open.HostPort}: TLS failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tls-verify=false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_docker_references_are_usage_errors()
    {
        var error = Assert.Throws<StrataException>(() => RegistryImageSource.Open("docker://", Isolated()));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        error = Assert.Throws<StrataException>(() => RegistryImageSource.Open("docker://Bad/Name", Isolated()));
        Assert.Contains("'Bad/Name'", error.Message, StringComparison.Ordinal);
    }
}
