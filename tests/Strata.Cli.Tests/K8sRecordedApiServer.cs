namespace Strata.Cli.Tests;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

/// <summary>
/// Stands in for a Kubernetes API server, which cannot run on these machines: answers GET requests on 127.0.0.1 and a
/// free port with recorded API responses (list JSON as an API server returns it), over plain HTTP or TLS (optionally
/// requiring a client certificate), and records what each request carried. A path with no response gets the
/// server's 404 Status. It stops on dispose; connections are closed after each answer.
/// </summary>
internal sealed class K8sRecordedApiServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, (int Status, string Body)> responses;
    private readonly X509Certificate2? certificate;
    private readonly X509Certificate2? requiredClient;
    private readonly Task loop;

    /// <param name="responses">By path and query as the client sends it (<c>/api/v1/pods?limit=500</c>); a key without '?' matches any query.</param>
    public K8sRecordedApiServer(Dictionary<string, (int Status, string Body)> responses, X509Certificate2? certificate = null, X509Certificate2? requiredClient = null)
    {
        this.responses = responses;
        this.certificate = certificate;
        this.requiredClient = requiredClient;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Url => $"{(certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>Each request: its path and query, its Authorization header, whether a client certificate was shown.</summary>
    public ConcurrentQueue<(string Target, string? Authorization, bool ClientCertificate)> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped while accepting.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                var shownClientCertificate = false;
                if (certificate is not null)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = requiredClient is not null,
                        RemoteCertificateValidationCallback = (_, shown, _, _) => requiredClient is null || shown?.GetCertHashString() == requiredClient.GetCertHashString(),
                    }, stop.Token);
                    shownClientCertificate = tls.RemoteCertificate is { } shown && requiredClient is not null && shown.GetCertHashString() == requiredClient.GetCertHashString();
                    stream = tls;
                }

                await using (stream)
                {
                    var head = await ReadHeadAsync(stream);
                    var lines = head.Split("\r\n");
                    var target = lines[0].Split(' ')[1];
                    var authorization = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?["Authorization:".Length..].Trim();
                    Requests.Enqueue((target, authorization, shownClientCertificate));
                    var (status, body) = requiredClient is not null && !shownClientCertificate
                        ? (401, Status(401, "Unauthorized", "Unauthorized"))
                        : responses.TryGetValue(target, out var exact) ? exact
                        : responses.TryGetValue(target.Split('?')[0], out var any) ? any
                        : (404, Status(404, "NotFound", "the server could not find the requested resource"));
                    var bytes = Encoding.UTF8.GetBytes(body);
                    var reply = $"HTTP/1.1 {status} {(HttpStatusCode)status}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), stop.Token);
                    await stream.WriteAsync(bytes, stop.Token);
                    await stream.FlushAsync(stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // A client that went away, or refused the certificate: that client's test says so.
            }
        }
    }

    /// <summary>A v1 Status as the API server sends it with an error code.</summary>
    public static string Status(int code, string reason, string message) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{code}}}""";

    private async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
        {
            if (await stream.ReadAsync(one, stop.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
