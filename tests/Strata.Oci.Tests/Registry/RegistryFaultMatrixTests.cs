namespace Strata.Oci.Tests.Registry;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Oci.Registry;

/// <summary>
/// Every fault the proxy injects in front of the real docker-registry, for each operation (a manifest by tag, a
/// 1.5 MiB blob), has one defined outcome: it succeeds after retrying or resuming, or it fails as a target that
/// could not be read (exit 3) with an error naming the registry, repository and digest and saying what went wrong,
/// never a credential. Retries are capped small here so the whole matrix runs in well under a minute.
/// </summary>
[Collection(SharedRegistries.Name)]
public sealed class RegistryFaultMatrixTests(RegistryFixture fixture)
{
    public const string Succeeds = "succeeds";

    private const int Attempts = 3;
    private const int Always = int.MaxValue;

    private static readonly RegistryCredential Credentials = new(RegistryFixture.User, RegistryFixture.Password, "--creds");

    /// <summary>Each fault: how many matching requests it hits (then requests pass), and what it does to the answer.</summary>
    private static readonly Dictionary<string, Fault> Faults = new(StringComparer.Ordinal)
    {
        ["latency"] = new(Always, e => e.HeaderDelay = TimeSpan.FromMilliseconds(300)),
        ["headers-late"] = new(1, e => e.HeaderDelay = TimeSpan.FromSeconds(10)),
        ["headers-late-always"] = new(Always, e => e.HeaderDelay = TimeSpan.FromSeconds(10)),
        ["reset"] = new(1, e => e.ResetBeforeHeaders = true),
        ["reset-always"] = new(Always, e => e.ResetBeforeHeaders = true),
        ["429-retry-after-seconds"] = new(1, e => Status(e, 429, "1"), MinimumWait: TimeSpan.FromSeconds(0.9)),
        ["503-retry-after-date"] = new(1, RetryAfterDate, MinimumWait: TimeSpan.FromSeconds(0.9)),
        ["429-retry-after-beyond-cap"] = new(Always, e => Status(e, 429, "3600"), Requests: 1),
        ["429-always"] = new(Always, e => Status(e, 429, null), Requests: Attempts),
        ["500"] = new(1, e => Status(e, 500, null)),
        ["502"] = new(1, e => Status(e, 502, null)),
        ["503"] = new(2, e => Status(e, 503, null)),
        ["503-always"] = new(Always, e => Status(e, 503, null), Requests: Attempts),
        ["truncated"] = new(1, e => e.CutAfter = e.Body.Length / 2),
        ["truncated-always"] = new(Always, e => e.CutAfter = e.Body.Length / 2),
        ["reset-mid-body"] = new(1, e => (e.CutAfter, e.CutWithReset) = (e.Body.Length / 2, true)),
        ["content-length-longer"] = new(1, e => e.AnnouncedLength = e.Body.Length + 100),
        ["content-length-shorter"] = new(1, e => e.AnnouncedLength = e.Body.Length - 100),
        ["content-length-shorter-always"] = new(Always, e => e.AnnouncedLength = e.Body.Length - 100),
        ["wrong-digest"] = new(1, Corrupt),
        ["wrong-digest-always"] = new(Always, Corrupt),
        ["redirect-loop"] = new(Always, e => Redirect(e, e.PathAndQuery), Requests: 1),
        ["redirect-chain"] = new(Always, e => Redirect(e, $"{e.PathAndQuery.Split('?')[0]}?hop={Guid.NewGuid():N}"), Requests: RegistryClient.MaxRedirects),
        ["slow-drip"] = new(1, Drip),
        ["slow-drip-always"] = new(Always, Drip),
        ["stall"] = new(1, e => e.BodyStall = TimeSpan.FromSeconds(10)),
        ["stall-always"] = new(Always, e => e.BodyStall = TimeSpan.FromSeconds(10)),
        ["unauthorized-forever"] = new(Always, EchoingUnauthorized),
    };

    public enum Operation
    {
        Manifest,
        Blob,
    }

    /// <summary>Fault, operation, and the outcome: <see cref="Succeeds"/> or a fragment the error must contain.</summary>
    public static TheoryData<string, Operation, string> Matrix => new()
    {
        { "latency", Operation.Manifest, Succeeds },
        { "latency", Operation.Blob, Succeeds },
        { "headers-late", Operation.Manifest, Succeeds },
        { "headers-late", Operation.Blob, Succeeds },
        { "headers-late-always", Operation.Manifest, $"did not answer within 1 s (after {Attempts} attempts)" },
        { "headers-late-always", Operation.Blob, $"did not answer within 1 s (after {Attempts} attempts)" },
        { "reset", Operation.Manifest, Succeeds },
        { "reset", Operation.Blob, Succeeds },
        { "reset-always", Operation.Manifest, $"broke off the exchange" },
        { "reset-always", Operation.Blob, $"broke off the exchange" },
        { "429-retry-after-seconds", Operation.Manifest, Succeeds },
        { "429-retry-after-seconds", Operation.Blob, Succeeds },
        { "503-retry-after-date", Operation.Manifest, Succeeds },
        { "503-retry-after-date", Operation.Blob, Succeeds },
        { "429-retry-after-beyond-cap", Operation.Manifest, "HTTP 429 Too Many Requests: TOOMANYREQUESTS: injected fault; the registry asks to retry after 3600 s, longer than the 2 s Strata waits" },
        { "429-retry-after-beyond-cap", Operation.Blob, "the registry asks to retry after 3600 s, longer than the 2 s Strata waits" },
        { "429-always", Operation.Manifest, $"HTTP 429 Too Many Requests: TOOMANYREQUESTS: injected fault (after {Attempts} attempts)" },
        { "429-always", Operation.Blob, $"HTTP 429 Too Many Requests: TOOMANYREQUESTS: injected fault (after {Attempts} attempts)" },
        { "500", Operation.Manifest, Succeeds },
        { "500", Operation.Blob, Succeeds },
        { "502", Operation.Manifest, Succeeds },
        { "502", Operation.Blob, Succeeds },
        { "503", Operation.Manifest, Succeeds },
        { "503", Operation.Blob, Succeeds },
        { "503-always", Operation.Manifest, $"HTTP 503 Service Unavailable: UNAVAILABLE: injected fault (after {Attempts} attempts)" },
        { "503-always", Operation.Blob, $"HTTP 503 Service Unavailable: UNAVAILABLE: injected fault (after {Attempts} attempts)" },
        { "truncated", Operation.Manifest, Succeeds },
        { "truncated", Operation.Blob, Succeeds },
        { "truncated-always", Operation.Manifest, "the manifest broke off" },
        { "truncated-always", Operation.Blob, "connection lost after" },
        { "reset-mid-body", Operation.Manifest, Succeeds },
        { "reset-mid-body", Operation.Blob, Succeeds },
        { "content-length-longer", Operation.Manifest, Succeeds },
        { "content-length-longer", Operation.Blob, Succeeds },
        { "content-length-shorter", Operation.Manifest, Succeeds },
        { "content-length-shorter", Operation.Blob, Succeeds },
        { "content-length-shorter-always", Operation.Manifest, "Docker-Content-Digest header says" },
        { "content-length-shorter-always", Operation.Blob, "the registry announces" },
        { "wrong-digest", Operation.Manifest, Succeeds },
        // A blob's bytes are streamed on as they come: a mismatch is known at its end, and is final.
        { "wrong-digest", Operation.Blob, "digest mismatch" },
        { "wrong-digest-always", Operation.Manifest, $"but the manifest bytes hash to" },
        { "wrong-digest-always", Operation.Blob, "digest mismatch" },
        { "redirect-loop", Operation.Manifest, "redirect loop" },
        { "redirect-loop", Operation.Blob, "redirect loop" },
        { "redirect-chain", Operation.Manifest, $"more than {RegistryClient.MaxRedirects} redirects" },
        { "redirect-chain", Operation.Blob, $"more than {RegistryClient.MaxRedirects} redirects" },
        { "slow-drip", Operation.Manifest, Succeeds },
        { "slow-drip", Operation.Blob, Succeeds },
        { "slow-drip-always", Operation.Manifest, $"the manifest did not arrive within 1 s (after {Attempts} attempts)" },
        { "slow-drip-always", Operation.Blob, $"slower than {256 * 1024} bytes/s" },
        { "stall", Operation.Manifest, Succeeds },
        { "stall", Operation.Blob, Succeeds },
        { "stall-always", Operation.Manifest, $"the manifest did not arrive within 1 s (after {Attempts} attempts)" },
        { "stall-always", Operation.Blob, $"no data for 1 s after" },
        { "unauthorized-forever", Operation.Manifest, "HTTP 401 Unauthorized" },
        { "unauthorized-forever", Operation.Blob, "HTTP 401 Unauthorized" },
    };

    /// <summary>Small caps: one-second timeouts, three attempts, 20 ms backoff, Retry-After honoured up to 2 s.</summary>
    private static RegistryOptions Options => new()
    {
        TlsVerify = false,
        Timeout = TimeSpan.FromSeconds(1),
        MaxAttempts = Attempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        MinBlobBytesPerSecond = 256 * 1024,
        Credentials = Credentials,
        EnvironmentVariable = _ => null,
    };

    [Fact]
    public void Every_fault_has_an_outcome_for_every_operation()
    {
        var covered = Matrix.Select(row => ((string)row[0], (Operation)row[1])).ToHashSet();
        foreach (var fault in Faults.Keys)
        {
            foreach (var operation in Enum.GetValues<Operation>())
            {
                Assert.True(covered.Contains((fault, operation)), $"{fault} × {operation} has no defined outcome");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Fault_has_its_defined_outcome(string faultName, Operation operation, string expected)
    {
        var fault = Faults[faultName];
        var layer = fixture.Layout.Amd64.Layers[1];
        var target = operation == Operation.Manifest ? "/manifests/" : $"/blobs/{layer.Digest}";
        var hits = 0;
        var matching = 0;
        await using var proxy = new RegistryProxy(fixture.Open.HostPort, exchange =>
        {
            if (exchange.Method == "GET" && exchange.PathAndQuery.Contains(target, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref matching);
                if (Interlocked.Increment(ref hits) <= fault.Times)
                {
                    fault.Inject(exchange);
                }
            }

            return Task.CompletedTask;
        });
        var reference = ImageReference.Parse($"{proxy.HostPort}/test/single:v1");
        using var client = new RegistryClient(Options);
        var clock = Stopwatch.StartNew();
        Func<Task> run = operation == Operation.Manifest
            ? async () => Assert.Equal(fixture.Layout.Amd64.ManifestBytes, (await client.GetManifestAsync(reference, CancellationToken.None)).Bytes)
            : async () =>
            {
                await using var blob = await client.OpenVerifiedBlobAsync(reference, layer, CancellationToken.None);
                await blob.DrainAsync(CancellationToken.None);
                Assert.Equal(layer.Size, blob.BytesRead);
            };

        if (expected == Succeeds)
        {
            await run();
            Assert.True(clock.Elapsed >= fault.MinimumWait, $"{faultName}: retried after {clock.Elapsed}, before the {fault.MinimumWait} the registry asked for");
            if (operation == Operation.Blob && faultName is "truncated" or "reset-mid-body" or "stall" or "slow-drip")
            {
                // Resumed where the body stopped, not fetched again from the start.
                Assert.Contains(proxy.Requests, r => r.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range != "bytes=0-");
            }
        }
        else
        {
            var error = await Assert.ThrowsAsync<StrataException>(run);
            Assert.Equal(ExitCode.Error, error.ExitCode);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.StartsWith($"docker://{proxy.HostPort}/test/single:v1: ", error.Message, StringComparison.Ordinal);
            Assert.Contains(operation == Operation.Manifest ? "manifest 'v1'" : $"blob {layer.Digest}", error.Message, StringComparison.Ordinal);
            AssertNoCredentials(error.Message);
            Assert.DoesNotContain("chars)…", error.Message, StringComparison.Ordinal);
            Assert.True(matching <= Attempts * 2, $"{faultName}: {matching} requests; retries must be bounded");
            if (fault.Requests is int requests)
            {
                Assert.Equal(requests, matching);
            }
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{faultName} × {operation} took {clock.Elapsed}");
    }

    [Fact]
    public async Task Token_requests_are_retried_and_a_registry_refusing_forever_is_exit_3_without_secrets()
    {
        var realm = fixture.TokenIssuer.Realm;
        var tokenFailures = 1;
        await using var tokens = new RegistryProxy(realm.Authority, exchange =>
        {
            if (Interlocked.Decrement(ref tokenFailures) >= 0)
            {
                Status(exchange, 503, null);
            }

            return Task.CompletedTask;
        });
        var proxiedRealm = new Uri(tokens.Address, realm.AbsolutePath).ToString();
        await using var front = new RegistryProxy(fixture.Token.HostPort, exchange =>
        {
            if (exchange.Headers.TryGetValue("WWW-Authenticate", out var challenge))
            {
                exchange.Headers["WWW-Authenticate"] = challenge.Replace(realm.ToString(), proxiedRealm, StringComparison.Ordinal);
            }

            return Task.CompletedTask;
        });

        using var client = new RegistryClient(Options);
        var manifest = await client.GetManifestAsync(ImageReference.Parse($"{front.HostPort}/test/single:v1"), CancellationToken.None);
        Assert.Equal(fixture.Layout.Amd64.Manifest.Digest, manifest.Digest);
        Assert.Equal(2, tokens.Requests.Count);

        // The real htpasswd registry with a wrong password: 401 after every challenge, never a usage error.
        using var wrong = new RegistryClient(Options with { Credentials = new RegistryCredential(RegistryFixture.User, "Wrong-7c6b5a4d3e2f-never-print", "--creds") });
        var error = await Assert.ThrowsAsync<StrataException>(() => wrong.GetManifestAsync(ImageReference.Parse($"{fixture.Basic.HostPort}/test/single:v1"), CancellationToken.None));
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-7c6b5a4d3e2f-never-print", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoCredentials(string message)
    {
        Assert.DoesNotContain(RegistryFixture.Password, message, StringComparison.Ordinal);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryFixture.User}:{RegistryFixture.Password}"));
        Assert.DoesNotContain(basic, message, StringComparison.Ordinal);
        Assert.DoesNotContain(basic.TrimEnd('=')[..24], message, StringComparison.Ordinal);
    }

    private static void Status(ProxyExchange exchange, int status, string? retryAfter)
    {
        exchange.Status = status;
        exchange.Headers.Clear();
        exchange.Headers["Content-Type"] = "application/json";
        if (retryAfter is not null)
        {
            exchange.Headers["Retry-After"] = retryAfter;
        }

        var code = status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE";
        exchange.Body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"injected fault"}]}""");
    }

    private static void RetryAfterDate(ProxyExchange exchange)
    {
        var now = DateTimeOffset.UtcNow;
        Status(exchange, 503, (now + TimeSpan.FromSeconds(1)).ToString("R", CultureInfo.InvariantCulture));
        exchange.Headers["Date"] = now.ToString("R", CultureInfo.InvariantCulture);
    }

    private static void Corrupt(ProxyExchange exchange)
    {
        var body = (byte[])exchange.Body.Clone();
        body[body.Length / 2] ^= 0x20;
        exchange.Body = body;
    }

    private static void Redirect(ProxyExchange exchange, string location)
    {
        exchange.Status = 307;
        exchange.Headers.Clear();
        exchange.Headers["Location"] = location;
        exchange.Body = [];
    }

    private static void Drip(ProxyExchange exchange)
    {
        exchange.DripBytes = 16;
        exchange.DripInterval = TimeSpan.FromMilliseconds(50);
    }

    /// <summary>401 forever, echoing the Authorization header it was sent in the body and the reason phrase.</summary>
    private static void EchoingUnauthorized(ProxyExchange exchange)
    {
        var sent = exchange.RequestHeaders.GetValueOrDefault("Authorization") ?? "(none)";
        exchange.Status = 401;
        exchange.ReasonPhrase = sent.StartsWith("Basic", StringComparison.Ordinal) ? $"Unauthorized {sent}" : null;
        exchange.Headers.Clear();
        exchange.Headers["Content-Type"] = "application/json";
        exchange.Headers["WWW-Authenticate"] = "Basic realm=\"strata-fault\"";
        exchange.Body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"UNAUTHORIZED","message":"rejected Authorization: {{sent}}"}]}""");
    }

    private sealed record Fault(int Times, Action<ProxyExchange> Inject, TimeSpan MinimumWait = default, int? Requests = null);
}
