namespace Strata.Oci.Tests.Registry;

using System.Net;
using System.Net.Sockets;

/// <summary>A minimal HTTP server on a loopback address and a free port, for endpoints the tests play themselves.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly Func<HttpListenerContext, CancellationToken, Task> handle;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    public LoopbackHttpServer(Func<HttpListenerContext, CancellationToken, Task> handle, string host = "127.0.0.1")
    {
        this.handle = handle;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort(host);
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://{host}:{port}/");
            try
            {
                candidate.Start();
                listener = candidate;
                Address = new Uri($"http://{host}:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                candidate.Close();
            }
        }

        loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Address { get; }

    /// <summary>host:port, as in an image reference.</summary>
    public string HostPort => $"{Address.Host}:{Address.Port}";

    public static int FreePort(string host = "127.0.0.1")
    {
        using var probe = new TcpListener(IPAddress.Parse(host), 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context, stopping.Token);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    // The client went away or the server is stopping.
                }
                finally
                {
                    try
                    {
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                    {
                    }
                }
            });
        }
    }
}
