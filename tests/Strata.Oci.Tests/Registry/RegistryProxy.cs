namespace Strata.Oci.Tests.Registry;

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>One proxied exchange; a test's hook may change the answer, or how it is delivered, before it is sent.</summary>
public sealed class ProxyExchange
{
    public required string Method { get; init; }

    public required string PathAndQuery { get; init; }

    /// <summary>The request's headers as the client sent them (Authorization included, so a hook can echo it).</summary>
    public required IReadOnlyDictionary<string, string> RequestHeaders { get; init; }

    public int Status { get; set; }

    /// <summary>The status line's reason; by default the standard one for <see cref="Status"/>.</summary>
    public string? ReasonPhrase { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] Body { get; set; } = [];

    /// <summary>Wait this long before answering at all.</summary>
    public TimeSpan HeaderDelay { get; set; }

    /// <summary>Send the headers and half the body, then wait this long before the rest.</summary>
    public TimeSpan BodyStall { get; set; }

    /// <summary>Reset the connection (TCP RST) instead of answering.</summary>
    public bool ResetBeforeHeaders { get; set; }

    /// <summary>Send only this many bytes of the body (the full length still announced), then end the connection.</summary>
    public int? CutAfter { get; set; }

    /// <summary>End a cut connection with a reset rather than a close.</summary>
    public bool CutWithReset { get; set; }

    /// <summary>The Content-Length to announce instead of the body's (the connection is closed after the body).</summary>
    public long? AnnouncedLength { get; set; }

    /// <summary>Send the body this many bytes at a time, <see cref="DripInterval"/> apart.</summary>
    public int DripBytes { get; set; }

    public TimeSpan DripInterval { get; set; }
}

/// <summary>What the proxy saw of a request.</summary>
public sealed record ProxiedRequest(string Method, string Host, string PathAndQuery, bool HadAuthorization, string? Range);

/// <summary>
/// A fault-injecting HTTP/1.1 proxy in front of a real registry, on raw sockets so that it can do what a real
/// network and a broken registry do: delay, reset, cut a body short, announce a wrong Content-Length, drip bytes,
/// stall, corrupt, redirect or replace answers (through the test's hook). Bound to a loopback address and a port the
/// system picks; it stops when disposed, and by itself after <see cref="Lifetime"/> at the latest.
/// Bodies are buffered: the test images are small.
/// </summary>
public sealed class RegistryProxy : IAsyncDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private const int MaxHeadBytes = 64 * 1024;
    private static readonly string[] NotForwarded = ["Transfer-Encoding", "Content-Length", "Connection", "Keep-Alive"];
    private static readonly string[] RequestHeadersForwarded = ["Accept", "Authorization", "User-Agent", "Range", "If-Range"];

    private readonly HttpClient upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri upstreamBase;
    private readonly Func<ProxyExchange, Task>? tamper;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new(Lifetime);
    private readonly ConcurrentDictionary<Socket, byte> connections = new();
    private readonly Task loop;

    public RegistryProxy(string upstreamHostPort, Func<ProxyExchange, Task>? tamper = null, string host = "127.0.0.1")
    {
        upstreamBase = new Uri($"http://{upstreamHostPort}/");
        this.tamper = tamper;
        listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        HostPort = $"{host}:{((IPEndPoint)listener.LocalEndpoint).Port}";
        Address = new Uri($"http://{HostPort}/");
        loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>host:port, as in an image reference.</summary>
    public string HostPort { get; }

    public Uri Address { get; }

    public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        foreach (var socket in connections.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await loop;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        upstream.Dispose();
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            connections[socket] = 0;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket, stopping.Token);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or HttpRequestException or FormatException)
                {
                    // The client went away, the proxy is stopping, or the "request" was not HTTP (a TLS probe).
                }
                finally
                {
                    connections.TryRemove(socket, out _);
                    socket.Dispose();
                }
            });
        }
    }

    /// <summary>Serves requests on one connection until either side ends it or a fault does.</summary>
    private async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        while (await ReadHeadAsync(stream, cancellationToken) is { } head)
        {
            var lines = head.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            if (requestLine.Length < 3)
            {
                return;
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            var body = Array.Empty<byte>();
            if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, CultureInfo.InvariantCulture, out var length) && length > 0)
            {
                body = new byte[length];
                await stream.ReadExactlyAsync(body, cancellationToken);
            }

            if (!await AnswerAsync(socket, stream, requestLine[0], requestLine[1], headers, body, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Forwards one request and answers it, faults included; false when the connection must end.</summary>
    private async Task<bool> AnswerAsync(Socket socket, NetworkStream stream, string method, string pathAndQuery, Dictionary<string, string> requestHeaders, byte[] requestBody, CancellationToken cancellationToken)
    {
        var host = requestHeaders.TryGetValue("Host", out var hostHeader) ? new Uri("http://" + hostHeader).Host : string.Empty;
        Requests.Enqueue(new ProxiedRequest(method, host, pathAndQuery, requestHeaders.ContainsKey("Authorization"), requestHeaders.GetValueOrDefault("Range")));

        using var forward = new HttpRequestMessage(new HttpMethod(method), new Uri(upstreamBase, pathAndQuery));
        foreach (var name in RequestHeadersForwarded)
        {
            if (requestHeaders.TryGetValue(name, out var value))
            {
                forward.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (requestBody.Length > 0)
        {
            forward.Content = new ByteArrayContent(requestBody);
            if (requestHeaders.TryGetValue("Content-Type", out var contentType))
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var answer = await upstream.SendAsync(forward, cancellationToken);
        var exchange = new ProxyExchange
        {
            Method = method,
            PathAndQuery = pathAndQuery,
            RequestHeaders = requestHeaders,
            Status = (int)answer.StatusCode,
            Body = await answer.Content.ReadAsByteArrayAsync(cancellationToken),
        };
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            exchange.Headers[name] = string.Join(", ", values);
        }

        var announced = answer.Content.Headers.ContentLength ?? exchange.Body.Length;
        if (tamper is not null)
        {
            var before = exchange.Body;
            await tamper(exchange);
            if (!ReferenceEquals(before, exchange.Body))
            {
                announced = exchange.Body.Length;
            }
        }

        if (exchange.ResetBeforeHeaders)
        {
            Reset(socket);
            return false;
        }

        if (exchange.HeaderDelay > TimeSpan.Zero)
        {
            await Task.Delay(exchange.HeaderDelay, cancellationToken);
        }

        var isHead = method == "HEAD";
        var contentLength = exchange.AnnouncedLength ?? (isHead ? announced : exchange.Body.Length);
        var faulty = exchange.CutAfter is not null || exchange.AnnouncedLength is not null || exchange.DripBytes > 0 || exchange.BodyStall > TimeSpan.Zero;
        var keepAlive = !faulty && !string.Equals(requestHeaders.GetValueOrDefault("Connection"), "close", StringComparison.OrdinalIgnoreCase);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {exchange.Status} {exchange.ReasonPhrase ?? Reason(exchange.Status)}\r\n");
        foreach (var (name, value) in exchange.Headers)
        {
            if (!NotForwarded.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n");
        head.Append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        if (isHead)
        {
            await stream.FlushAsync(cancellationToken);
            return keepAlive;
        }

        var body = exchange.CutAfter is int cut ? exchange.Body.AsMemory(0, Math.Min(cut, exchange.Body.Length)) : exchange.Body.AsMemory();
        if (exchange.BodyStall > TimeSpan.Zero)
        {
            var half = body.Length / 2;
            await stream.WriteAsync(body[..half], cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(exchange.BodyStall, cancellationToken);
            await stream.WriteAsync(body[half..], cancellationToken);
        }
        else if (exchange.DripBytes > 0)
        {
            for (var offset = 0; offset < body.Length; offset += exchange.DripBytes)
            {
                await stream.WriteAsync(body.Slice(offset, Math.Min(exchange.DripBytes, body.Length - offset)), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(exchange.DripInterval, cancellationToken);
            }
        }
        else
        {
            await stream.WriteAsync(body, cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
        if (exchange.CutAfter is not null && exchange.CutWithReset)
        {
            Reset(socket);
        }
        else if (!keepAlive)
        {
            socket.Shutdown(SocketShutdown.Both);
        }

        return keepAlive;
    }

    /// <summary>The request line and headers, up to the blank line; null when the client closed the connection first.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        // Byte by byte, so nothing after the head (a request body) is consumed by mistake; requests are small.
        var head = new List<byte>(512);
        var one = new byte[1];
        while (head.Count < MaxHeadBytes)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            // Not a request line (a TLS ClientHello from an https probe): end at once, as a plain-http server would.
            if (head.Count == 0 && !char.IsAsciiLetterUpper((char)one[0]))
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return Encoding.Latin1.GetString([.. head.Take(head.Count - 4)]);
            }
        }

        return null;
    }

    /// <summary>Ends the connection with a TCP reset, as a crashing server or a middlebox does.</summary>
    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static string Reason(int status)
    {
        using var message = new HttpResponseMessage((HttpStatusCode)status);
        return message.ReasonPhrase ?? "Status";
    }
}
