namespace Strata.Oci.Tests.Registry;

using System.Collections.Concurrent;
using System.Net;

/// <summary>One proxied exchange; a test's hook may change the answer before it is sent.</summary>
public sealed class ProxyExchange
{
    public required string Method { get; init; }

    public required string PathAndQuery { get; init; }

    public int Status { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] Body { get; set; } = [];

    /// <summary>Wait this long before answering at all.</summary>
    public TimeSpan HeaderDelay { get; set; }

    /// <summary>Send the headers and half the body, then wait this long before the rest.</summary>
    public TimeSpan BodyStall { get; set; }
}

/// <summary>What the proxy saw of a request.</summary>
public sealed record ProxiedRequest(string Method, string Host, string PathAndQuery, bool HadAuthorization);

/// <summary>
/// An HTTP proxy in front of a real registry that lets a test corrupt, delay, redirect or replace answers.
/// Bodies are buffered: the test images are small.
/// </summary>
public sealed class RegistryProxy : IAsyncDisposable
{
    private static readonly string[] Hop = ["Transfer-Encoding", "Content-Length", "Connection", "Keep-Alive", "Date", "Server", "Content-Type"];
    private readonly HttpClient upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri upstreamBase;
    private readonly Func<ProxyExchange, Task>? tamper;
    private readonly LoopbackHttpServer server;

    public RegistryProxy(string upstreamHostPort, Func<ProxyExchange, Task>? tamper = null, string host = "127.0.0.1")
    {
        upstreamBase = new Uri($"http://{upstreamHostPort}/");
        this.tamper = tamper;
        server = new LoopbackHttpServer(HandleAsync, host);
    }

    public string HostPort => server.HostPort;

    public Uri Address => server.Address;

    public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        upstream.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var pathAndQuery = request.Url?.PathAndQuery ?? "/";
        Requests.Enqueue(new ProxiedRequest(request.HttpMethod, request.Url?.Host ?? string.Empty, pathAndQuery, request.Headers["Authorization"] is not null));

        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(upstreamBase, pathAndQuery));
        foreach (var name in (string[])["Accept", "Authorization", "User-Agent"])
        {
            if (request.Headers.GetValues(name) is { } values)
            {
                forward.Headers.TryAddWithoutValidation(name, values);
            }
        }

        using var answer = await upstream.SendAsync(forward, cancellationToken);
        var exchange = new ProxyExchange
        {
            Method = request.HttpMethod,
            PathAndQuery = pathAndQuery,
            Status = (int)answer.StatusCode,
            Body = await answer.Content.ReadAsByteArrayAsync(cancellationToken),
        };
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            exchange.Headers[name] = string.Join(", ", values);
        }

        var announcedLength = answer.Content.Headers.ContentLength;
        if (tamper is not null)
        {
            var before = exchange.Body;
            await tamper(exchange);
            if (!ReferenceEquals(before, exchange.Body))
            {
                announcedLength = exchange.Body.Length;
            }
        }

        if (exchange.HeaderDelay > TimeSpan.Zero)
        {
            await Task.Delay(exchange.HeaderDelay, cancellationToken);
        }

        var response = context.Response;
        response.StatusCode = exchange.Status;
        foreach (var (name, value) in exchange.Headers)
        {
            if (!Hop.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                response.AddHeader(name, value);
            }
        }

        if (exchange.Headers.TryGetValue("Content-Type", out var contentType))
        {
            response.ContentType = contentType;
        }

        if (request.HttpMethod == "HEAD")
        {
            response.ContentLength64 = announcedLength ?? 0;
            return;
        }

        response.ContentLength64 = exchange.Body.Length;
        if (exchange.BodyStall > TimeSpan.Zero)
        {
            var half = exchange.Body.Length / 2;
            await response.OutputStream.WriteAsync(exchange.Body.AsMemory(0, half), cancellationToken);
            await response.OutputStream.FlushAsync(cancellationToken);
            await Task.Delay(exchange.BodyStall, cancellationToken);
            await response.OutputStream.WriteAsync(exchange.Body.AsMemory(half), cancellationToken);
            return;
        }

        await response.OutputStream.WriteAsync(exchange.Body, cancellationToken);
    }
}
