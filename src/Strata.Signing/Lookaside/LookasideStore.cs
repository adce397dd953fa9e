namespace Strata.Signing.Lookaside;

using System.Globalization;
using System.Net;
using Strata.Oci;

/// <summary>One signature read from lookaside storage.</summary>
public sealed record LookasideSignature(Uri Location, int Index, byte[] Bytes);

/// <summary>
/// Lookaside signature storage as containers/image lays it out: <c>&lt;base&gt;/&lt;repo&gt;@sha256=&lt;hex&gt;/signature-N</c>,
/// N from 1, read until the first missing one. Reads file:// and http(s):// (bounded size, time limit); writes file://
/// only (a staging directory that is then published), atomically, to the next free N, never overwriting.
/// </summary>
public sealed class LookasideStore : IDisposable
{
    /// <summary>containers/image reads at most 4 MiB per signature.</summary>
    public const int MaxSignatureBytes = 4 * 1024 * 1024;

    private readonly HttpClient http;

    public LookasideStore(TimeSpan? timeout = null)
    {
        http = new HttpClient(new SocketsHttpHandler { MaxAutomaticRedirections = 5, AllowAutoRedirect = true })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// The URL of signature <paramref name="number"/> (1-based) of a manifest, under a repository's lookaside base
    /// (see <see cref="RegistriesConfiguration.LookasideBaseFor"/>).
    /// </summary>
    public static Uri SignatureUrl(Uri repositoryBase, Digest manifestDigest, int number)
    {
        ArgumentNullException.ThrowIfNull(repositoryBase);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var builder = new UriBuilder(repositoryBase);
        builder.Path = builder.Path.TrimEnd('/') + "@" + manifestDigest.Algorithm + "=" + manifestDigest.Hex + "/signature-" + number.ToString(CultureInfo.InvariantCulture);
        return builder.Uri;
    }

    /// <summary>Reads every signature of a manifest, in order, until the first missing one.</summary>
    public async Task<IReadOnlyList<LookasideSignature>> ReadAsync(Uri repositoryBase, Digest manifestDigest, CancellationToken cancellationToken)
    {
        var result = new List<LookasideSignature>();
        for (var number = 1; ; number++)
        {
            if (number > RegistriesConfiguration.MaxLookasideSignatures)
            {
                throw new SignatureException($"{repositoryBase}: more than {RegistriesConfiguration.MaxLookasideSignatures} lookaside signatures for {manifestDigest}; assuming a server error");
            }

            var url = SignatureUrl(repositoryBase, manifestDigest, number);
            var bytes = await ReadOneAsync(url, cancellationToken);
            if (bytes is null)
            {
                return result;
            }

            result.Add(new LookasideSignature(url, number, bytes));
        }
    }

    /// <summary>
    /// Writes a signature as the next free <c>signature-N</c> under a file:// base, atomically (a temporary file renamed
    /// into place without replacing anything); returns where it went.
    /// </summary>
    public static async Task<Uri> WriteAsync(Uri repositoryBase, Digest manifestDigest, byte[] signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repositoryBase);
        ArgumentNullException.ThrowIfNull(signature);
        if (!repositoryBase.IsFile)
        {
            throw new SignatureException($"{repositoryBase}: writing lookaside signatures needs a file:// location (set lookaside-staging in registries.d and publish it)");
        }

        var directory = Path.GetDirectoryName(SignatureUrl(repositoryBase, manifestDigest, 1).LocalPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".signature-{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temporary, signature, cancellationToken);
        try
        {
            for (var number = 1; number <= RegistriesConfiguration.MaxLookasideSignatures; number++)
            {
                var url = SignatureUrl(repositoryBase, manifestDigest, number);
                if (File.Exists(url.LocalPath))
                {
                    continue;
                }

                try
                {
                    File.Move(temporary, url.LocalPath, overwrite: false);
                    return url;
                }
                catch (IOException) when (File.Exists(url.LocalPath))
                {
                    // Another writer took this number first: try the next.
                }
            }

            throw new SignatureException($"{directory}: already holds {RegistriesConfiguration.MaxLookasideSignatures} signatures");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<byte[]?> ReadOneAsync(Uri url, CancellationToken cancellationToken)
    {
        switch (url.Scheme)
        {
            case "file":
                var info = new FileInfo(url.LocalPath);
                if (!info.Exists)
                {
                    return null;
                }

                if (info.Length > MaxSignatureBytes)
                {
                    throw new SignatureException($"{url.LocalPath}: {info.Length} bytes, more than the {MaxSignatureBytes} allowed for a signature");
                }

                return await File.ReadAllBytesAsync(url.LocalPath, cancellationToken);
            case "http":
            case "https":
                return await ReadHttpAsync(url, cancellationToken);
            default:
                throw new SignatureException($"{url}: unsupported scheme for reading a signature");
        }
    }

    private async Task<byte[]?> ReadHttpAsync(Uri url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SignatureException($"reading signature from {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SignatureException($"reading signature from {url}: timed out after {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SignatureException($"reading signature from {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > MaxSignatureBytes)
            {
                throw new SignatureException($"signature at {url} is {response.Content.Headers.ContentLength} bytes, more than the {MaxSignatureBytes} allowed");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxSignatureBytes)
                {
                    throw new SignatureException($"signature at {url} is more than the {MaxSignatureBytes} bytes allowed");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
