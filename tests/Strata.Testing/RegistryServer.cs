namespace Strata.Testing;

using System.Diagnostics;
using System.Text;

/// <summary>
/// A real docker-registry (distribution 2.8) on 127.0.0.1 and a free port. It runs under timeout(1), so it
/// stops by itself even if the test process dies, and is killed on dispose.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private const string Executable = "/usr/bin/docker-registry";
    private readonly Process process;
    private readonly StringBuilder log = new();

    private RegistryServer(Process process, string hostPort)
    {
        this.process = process;
        HostPort = hostPort;
    }

    /// <summary>127.0.0.1:PORT, as in an image reference.</summary>
    public string HostPort { get; }

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts a registry over <paramref name="storage"/> with the given YAML <c>auth:</c> section (or none).</summary>
    /// <param name="tls">A PEM certificate and key file to serve https with, or null for plain http.</param>
    public static async Task<RegistryServer> StartAsync(string directory, string storage, string? authYaml, (string Certificate, string Key)? tls = null)
    {
        var tlsYaml = tls is { } files ? $"\n  tls:\n    certificate: {files.Certificate}\n    key: {files.Key}" : string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var config = Path.Combine(directory, $"registry-{port}.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {storage}
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:{port}
                  secret: strata-test-not-a-secret{tlsYaml}
                {authYaml ?? string.Empty}
                """);
            var info = new ProcessStartInfo("timeout")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--kill-after=5", "900", Executable, "serve", config])
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start docker-registry");
            var server = new RegistryServer(process, $"127.0.0.1:{port}");
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            if (await server.WaitUntilServingAsync(port))
            {
                return server;
            }

            var output = server.Log;
            await server.DisposeAsync();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"docker-registry did not start on port {port}:\n{output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 64 * 1024)
            {
                log.AppendLine(line);
            }
        }
    }

    // A TCP connect is enough: the registry listens only once it is ready to serve (http or https alike).
    private async Task<bool> WaitUntilServingAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.ConnectAsync("127.0.0.1", port, timeout.Token);
                return true;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
