namespace Strata.Oci.Registry;

using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;

/// <summary>
/// Runs a docker credential helper as containers/image and docker do: <c>docker-credential-NAME get</c> with the
/// registry (host[:port]) on stdin, answering <c>{"ServerURL","Username","Secret"}</c>; a Username of
/// <c>&lt;token&gt;</c> makes the Secret an identity (refresh) token. "credentials not found in native keychain"
/// means not logged in (null); any other failure is an error naming the helper and its exit code. The helper is
/// looked up on the PATH given (never a path of its own), its output bounded and its run timed out; the secret
/// appears in no message.
/// </summary>
internal static class CredentialHelper
{
    public const string NotFoundMessage = "credentials not found in native keychain";
    public const string Prefix = "docker-credential-";
    private const string TokenUsername = "<token>";
    private const int MaxOutputBytes = 64 * 1024;

    /// <summary>The helper's executable on <paramref name="path"/> (a PATH value), or null when there is none.</summary>
    public static string? Locate(string name, string? path)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        foreach (var directory in (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, Prefix + name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A helper name is one word (no path), as docker writes them: desktop, pass, ecr-login, gcloud.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name != "." && name != "..";

    /// <param name="executable">From <see cref="Locate"/>.</param>
    /// <param name="registry">The registry as in credential files (e.g. <c>docker.io</c>, <c>localhost:5000</c>): what the helper is asked for.</param>
    /// <param name="source">Where the helper was named, e.g. <c>credHelpers in /home/u/.docker/config.json</c>, for messages.</param>
    public static async Task<RegistryCredential?> GetAsync(string executable, string registry, string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(executable);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("get");

        Process process;
        try
        {
            process = Process.Start(info) ?? throw StrataException.BadInput($"{name} (from {source}) could not be started.");
        }
        catch (Win32Exception e)
        {
            throw StrataException.BadInput($"{name} (from {source}) could not be started: {e.Message}.");
        }

        using (process)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            byte[] output;
            int exitCode;
            try
            {
                var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, deadline.Token);
                var stderr = ReadBoundedAsync(process.StandardError.BaseStream, deadline.Token);
                try
                {
                    await process.StandardInput.WriteAsync(registry.AsMemory(), deadline.Token);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // A helper that exits without reading stdin is judged by its exit code and output below.
                }

                output = await stdout;
                await stderr;
                await process.WaitForExitAsync(deadline.Token);
                exitCode = process.ExitCode;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill(process);
                throw StrataException.BadInput($"{name} get (from {source}) did not answer within {RegistryRetryPolicy.Seconds(timeout)}; it was stopped.");
            }
            catch
            {
                Kill(process);
                throw;
            }

            var text = Encoding.UTF8.GetString(output).Trim();
            if (exitCode != 0)
            {
                if (text == NotFoundMessage)
                {
                    return null;
                }

                // Docker's helpers print their error on stdout; shown short and with controls escaped, never a secret they were given.
                throw StrataException.BadInput($"{name} get (from {source}) failed with exit code {exitCode}{(text.Length > 0 ? ": " + RegistryErrorBody.Echo(text.Length > 200 ? text[..200] + "…" : text) : string.Empty)}.");
            }

            return Parse(output, name, source);
        }
    }

    private static RegistryCredential? Parse(byte[] output, string name, string source)
    {
        try
        {
            JsonStrings.Validate(output, $"{name} get");
            using var document = JsonDocument.Parse(output, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{name} get (from {source}) did not answer with a JSON object (output not shown).");
            }

            var username = Text(root, "Username") ?? string.Empty;
            var secret = Text(root, "Secret") ?? string.Empty;
            var from = $"{name} ({source})";
            if (username == TokenUsername)
            {
                return secret.Length == 0 ? null : new RegistryCredential(string.Empty, string.Empty, from, secret);
            }

            return username.Length == 0 && secret.Length == 0 ? null : new RegistryCredential(username, secret, from);
        }
        catch (JsonException)
        {
            // JsonException messages quote positions, not content: still, say nothing of the output, which holds a secret.
            throw StrataException.BadInput($"{name} get (from {source}) did not answer with valid JSON (output not shown).");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Reads a pipe to its end, keeping at most <see cref="MaxOutputBytes"/> (the rest is read and dropped so the helper never blocks).</summary>
    private static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var room = MaxOutputBytes - (int)kept.Length;
            if (room > 0)
            {
                kept.Write(buffer, 0, Math.Min(room, read));
            }
        }

        return kept.ToArray();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
