namespace Strata.Oci.Registry;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Oci.Model;

/// <summary>
/// A client of the OCI Distribution API (pull side): manifests by tag or digest, blobs streamed.
/// Every manifest is checked against the digest asked for and the registry's <c>Docker-Content-Digest</c>;
/// blobs come raw from <see cref="OpenBlobAsync"/> or verified from <see cref="OpenVerifiedBlobAsync"/>.
/// Requests are bounded: timeouts for connecting, for headers, for whole manifests and for each blob read;
/// transient failures retried by <see cref="RegistryRetryPolicy"/> (a blob cut off is resumed with a Range
/// request); at most <see cref="MaxRedirects"/> redirects, never a loop; and the Authorization header never
/// leaves the registry's own origin. Messages name the registry, repository and digest, never a credential.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    public const int MaxRedirects = 5;

    private readonly RegistryOptions options;
    private readonly HttpClient http;
    private readonly RegistryAuthenticator authenticator;
    private readonly RegistryRetryPolicy retry;
    private readonly ConcurrentDictionary<string, Uri> baseUris = new(StringComparer.Ordinal);

    public RegistryClient(RegistryOptions options)
        : this(options, CreateHandler(options))
    {
    }

    internal RegistryClient(RegistryOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1 || options.Timeout <= TimeSpan.Zero || options.MaxManifestBytes < 1
            || options.RetryBaseDelay < TimeSpan.Zero || options.MaxRetryDelay < TimeSpan.Zero || options.MinBlobBytesPerSecond < 0)
        {
            throw new ArgumentException("MaxAttempts, Timeout and MaxManifestBytes must be positive; the retry delays and MinBlobBytesPerSecond not negative.", nameof(options));
        }

        this.options = options;
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("strata", "0.1"));
        authenticator = new RegistryAuthenticator(http, options);
        retry = new RegistryRetryPolicy(options);
    }

    public RegistryOptions Options => options;

    /// <summary>Token requests made so far; a cached token is reused until it expires.</summary>
    public int TokenRequests => authenticator.TokenRequests;

    /// <summary>The manifest or index the reference names (its digest if it has one, else its tag).</summary>
    public Task<RegistryManifest> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return GetManifestAsync(reference, reference.ManifestReference, cancellationToken);
    }

    /// <summary>A manifest or index of the reference's repository by tag or digest.</summary>
    public async Task<RegistryManifest> GetManifestAsync(ImageReference reference, string tagOrDigest, CancellationToken cancellationToken) =>
        (await GetManifestAsync(reference, tagOrDigest, missingIsNull: false, cancellationToken))!;

    /// <summary>A manifest or index by tag or digest, or null when the registry has none (404): a writer's look before it appends.</summary>
    public Task<RegistryManifest?> TryGetManifestAsync(ImageReference reference, string tagOrDigest, CancellationToken cancellationToken) =>
        GetManifestAsync(reference, tagOrDigest, missingIsNull: true, cancellationToken);

    private async Task<RegistryManifest?> GetManifestAsync(ImageReference reference, string tagOrDigest, bool missingIsNull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(tagOrDigest);
        Digest? requested = Digest.TryParse(tagOrDigest, out var d) ? d : null;
        var request = ManifestRequest(HttpMethod.Get, reference, tagOrDigest) with
        {
            NotFoundIsAnswer = missingIsNull,
            Scope = missingIsNull ? PushScope(reference) : null,
        };
        var context = Context(request);
        return await retry.RunAsync<RegistryManifest?>(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var bytes = await ReadManifestAsync(response, context, cancellationToken);

            // Wrong bytes are never accepted; fetching again may give the right ones (a corrupting proxy, a
            // broken replica), a bounded number of times.
            var headerDigest = ContentDigestHeader(response, context);
            if (headerDigest is { } header && !header.Matches(bytes))
            {
                throw new TransientRegistryFailure($"Docker-Content-Digest header says {header} but the manifest bytes hash to {Rehash(header, bytes)}");
            }

            if (requested is { } wanted && !wanted.Matches(bytes))
            {
                throw new TransientRegistryFailure($"digest mismatch: asked for {wanted}, the registry's bytes hash to {Rehash(wanted, bytes)}");
            }

            var mediaType = MediaTypeOf(response, bytes, context);
            return new RegistryManifest(bytes, mediaType, requested ?? headerDigest ?? Digest.Sha256Of(bytes));
        }, cancellationToken);
    }

    /// <summary>HEAD of the manifest the reference names: its digest, media type and size, without the body.</summary>
    public async Task<ManifestHead> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = ManifestRequest(HttpMethod.Head, reference, reference.ManifestReference);
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (ManifestMediaTypes.IsSchema1(mediaType))
            {
                throw Schema1(context);
            }

            var digest = ContentDigestHeader(response, context);
            if (reference.Digest is { } wanted && digest is { } got && got != wanted)
            {
                throw StrataException.BadInput($"{context}: Docker-Content-Digest header says {got}, not the digest asked for.");
            }

            return new ManifestHead(ManifestMediaTypes.IsManifest(mediaType) ? mediaType : null, digest ?? reference.Digest, response.Content.Headers.ContentLength);
        }, cancellationToken);
    }

    /// <summary>
    /// Opens a blob of the reference's repository as the registry streams it, following redirects to storage.
    /// The stream is NOT verified (it is what <see cref="Sources.IImageSource"/> hands out): verify it, or use
    /// <see cref="OpenVerifiedBlobAsync"/>. A Content-Length that contradicts <paramref name="size"/> is a failed
    /// attempt; a body cut off or stalled is resumed from where it stopped (Range), within the attempts allowed.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(ImageReference reference, Digest digest, long? size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new RegistryRequest(HttpMethod.Get, reference, $"/v2/{reference.Repository}/blobs/{digest}", $"blob {digest}", [], null);
        var context = Context(request);
        return await retry.RunAsync<Stream>(context, async attempt =>
        {
            var response = await AttemptAsync(request, context, attempt, cancellationToken);
            try
            {
                var announced = response.Content.Headers.ContentLength;
                if (size is long expected && announced is long length && length != expected)
                {
                    throw new TransientRegistryFailure($"the registry announces {length} bytes, the descriptor says {expected}");
                }

                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                return new RegistryBlobStream(
                    response,
                    body,
                    size ?? announced,
                    attempt,
                    (offset, resumeAttempt, token) => AttemptAsync(request with { Offset = offset }, context, resumeAttempt, token),
                    retry,
                    options,
                    context);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>Opens a blob that fails on reading unless it has exactly the descriptor's digest and size.</summary>
    public async Task<VerifyingStream> OpenVerifiedBlobAsync(ImageReference reference, Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(descriptor);
        var raw = await OpenBlobAsync(reference, descriptor.Digest, descriptor.Size, cancellationToken);
        return new VerifyingStream(raw, descriptor.Digest, descriptor.Size, $"docker://{reference}: blob {descriptor.Digest}");
    }

    public void Dispose() => http.Dispose();

    /// <summary>Reads a response body, failing (or, for error bodies, cutting) past <paramref name="maxBytes"/>.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, long maxBytes, bool truncate, string context, CancellationToken cancellationToken)
    {
        if (!truncate && response.Content.Headers.ContentLength is long announced && announced > maxBytes)
        {
            throw StrataException.BadInput($"{context}: {announced} bytes, more than the {maxBytes} accepted.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = maxBytes - buffer.Length;
            if (read > room)
            {
                if (truncate)
                {
                    buffer.Write(chunk, 0, (int)room);
                    break;
                }

                throw StrataException.BadInput($"{context}: more than the {maxBytes} bytes accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static SocketsHttpHandler CreateHandler(RegistryOptions options)
    {
        var verify = options.TlsVerify;
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by hand, to keep credentials on the registry's origin.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxResponseHeadersLength = 64,
        };
        // --tls-verify=false means what it says in skopeo: any certificate is accepted.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || !verify;
        return handler;
    }

    private static RegistryRequest ManifestRequest(HttpMethod method, ImageReference reference, string tagOrDigest)
    {
        var what = Digest.TryParse(tagOrDigest, out var digest) ? $"manifest {digest}" : $"manifest '{Redaction.Quote(tagOrDigest)}'";
        return new RegistryRequest(method, reference, $"/v2/{reference.Repository}/manifests/{tagOrDigest}", what, ManifestMediaTypes.Accepted, null);
    }

    /// <summary>Names the registry, repository, tag or digest, and the object: what every message starts with.</summary>
    private static string Context(RegistryRequest request) => $"docker://{request.Reference}: {request.What}";

    private static string Rehash(Digest like, byte[] bytes)
    {
        using var hasher = like.CreateHasher();
        hasher.AppendData(bytes);
        return $"{like.Algorithm}:{Convert.ToHexStringLower(hasher.GetHashAndReset())}";
    }

    private static StrataException Schema1(string context) =>
        StrataException.BadInput($"{context}: a Docker schema 1 manifest, which is deprecated and not supported; push the image again with a current client (schema 2 or OCI).");

    private static Digest? ContentDigestHeader(HttpResponseMessage response, string context)
    {
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim() ?? string.Empty;
        return Digest.TryParse(text, out var digest)
            ? digest
            : throw StrataException.BadInput($"{context}: Docker-Content-Digest header '{RegistryErrorBody.Echo(text.Length > 80 ? text[..80] + "…" : text)}' is not a valid digest.");
    }

    /// <summary>The Content-Type if it is a manifest type; else the body's own mediaType (some registries say application/json).</summary>
    private static string? MediaTypeOf(HttpResponseMessage response, byte[] bytes, string context)
    {
        var header = response.Content.Headers.ContentType?.MediaType;
        if (ManifestMediaTypes.IsSchema1(header))
        {
            throw Schema1(context);
        }

        return ManifestMediaTypes.IsManifest(header) ? header : BodyMediaType(bytes, context);
    }

    /// <summary>A manifest body's own mediaType when it names a manifest type, else null; schema 1 and what is not a JSON object are refused.</summary>
    internal static string? BodyMediaType(byte[] bytes, string context)
    {
        try
        {
            // A string that is not UTF-8 text would throw when read: refused here as bad input, naming the source.
            JsonStrings.Validate(bytes, $"{context}: the manifest");
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{context}: the manifest is not a JSON object.");
            }

            if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v == 1)
            {
                throw Schema1(context);
            }

            return root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String && ManifestMediaTypes.IsManifest(type.GetString())
                ? type.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{context}: the manifest is not valid JSON (line {e.LineNumber + 1}).");
        }
    }

    /// <summary>
    /// One attempt: sends with authentication and returns a successful response; a failure another attempt may
    /// mend (connection, timeout, 408/429/5xx) is a <see cref="TransientRegistryFailure"/>, any other a final error.
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(RegistryRequest request, string context, int attempt, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAuthorizedAsync(request, context, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            // A failed TLS handshake will fail the same way again.
            throw StrataException.BadInput($"{context}: cannot reach {request.Reference.ApiHost}: {Describe(e)}.", e);
        }
        catch (HttpRequestException e)
        {
            var what = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                ? $"cannot reach {request.Reference.ApiHost}"
                : $"{request.Reference.ApiHost} broke off the exchange";
            throw new TransientRegistryFailure($"{what}: {Describe(e)}", null, e);
        }
        catch (IOException e)
        {
            throw new TransientRegistryFailure($"{request.Reference.ApiHost} broke off the exchange: {authenticator.Echo(e.Message)}", null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientRegistryFailure($"{request.Reference.ApiHost} did not answer within {RegistryRetryPolicy.Seconds(options.Timeout)}", null, e);
        }

        if (response.IsSuccessStatusCode || (request.NotFoundIsAnswer && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            if (IsTransient(response.StatusCode))
            {
                var summary = await ErrorSummaryAsync(request, response, context, cancellationToken);
                throw new TransientRegistryFailure(Status(response, summary), RegistryRetryPolicy.RetryAfterOf(response));
            }

            throw await ErrorAsync(request, response, context, attempt, cancellationToken);
        }
    }

    /// <summary>A manifest's body, whole within the timeout; a body cut off or too slow is a failed attempt.</summary>
    private async Task<byte[]> ReadManifestAsync(HttpResponseMessage response, string context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await ReadBoundedAsync(response, options.MaxManifestBytes, truncate: false, context, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientRegistryFailure($"the manifest did not arrive within {RegistryRetryPolicy.Seconds(options.Timeout)}", null, e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new TransientRegistryFailure($"the manifest broke off: {authenticator.Echo(e.Message)}", null, e);
        }
    }

    private string Describe(HttpRequestException e)
    {
        var detail = authenticator.Echo((e.InnerException?.Message ?? e.Message).TrimEnd('.'));
        return e.HttpRequestError == HttpRequestError.SecureConnectionError
            ? $"TLS failed ({detail}); if the registry speaks plain http or has a certificate you trust otherwise, pass --tls-verify=false"
            : detail;
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout;

    /// <summary>One request, answering at most one authentication challenge.</summary>
    private async Task<HttpResponseMessage> SendAuthorizedAsync(RegistryRequest request, string context, CancellationToken cancellationToken)
    {
        var scope = request.Scope ?? $"repository:{request.Reference.Repository}:pull";
        var origin = await BaseUriAsync(request.Reference, cancellationToken);
        var uri = request.Location ?? new Uri(origin, request.Path);
        var header = await authenticator.HeaderAsync(request.Reference, scope, context, cancellationToken);
        var response = await SendFollowingRedirectsAsync(request, uri, origin, header, context, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
        if (challenge is null || !authenticator.Learn(request.Reference, challenge, scope, header))
        {
            return response;
        }

        response.Dispose();
        header = await authenticator.HeaderAsync(request.Reference, scope, context, cancellationToken);
        return await SendFollowingRedirectsAsync(request, uri, origin, header, context, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(RegistryRequest request, Uri uri, Uri origin, AuthenticationHeaderValue? authorization, string context, CancellationToken cancellationToken)
    {
        var visited = new HashSet<Uri> { uri };
        for (var hop = 0; ; hop++)
        {
            using var message = new HttpRequestMessage(request.Method, uri);
            foreach (var type in request.Accept)
            {
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            // A body goes with the first hop only (registries do not redirect writes; a redirect is then refused below).
            if (request.Content is { } content && hop == 0)
            {
                message.Content = content();
            }

            if (request.Offset is long offset && offset > 0)
            {
                message.Headers.Range = new RangeHeaderValue(offset, null);
            }

            // Registries redirect blobs to storage hosts: those must never see the registry's credentials.
            if (authorization is not null && SameOrigin(uri, origin))
            {
                message.Headers.Authorization = authorization;
            }

            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(request.Budget ?? options.Timeout);
                response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }

            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }

            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                throw StrataException.BadInput($"{context}: redirect without a Location header.");
            }

            if (request.Content is not null)
            {
                throw StrataException.BadInput($"{context}: the registry redirects a {request.Method} with a body (HTTP {(int)response.StatusCode}); not followed.");
            }

            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
            {
                throw StrataException.BadInput($"{context}: redirect to unsupported scheme '{RegistryErrorBody.Echo(next.Scheme)}'.");
            }

            if (!visited.Add(next))
            {
                throw StrataException.BadInput($"{context}: redirect loop: {Shown(uri)} redirects back to {Shown(next)}, visited before.");
            }

            if (hop + 1 >= MaxRedirects)
            {
                throw StrataException.BadInput($"{context}: more than {MaxRedirects} redirects (the last to {Shown(next)}).");
            }

            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && options.TlsVerify)
            {
                throw StrataException.BadInput($"{context}: redirect from https to plain http ({next.Host}) refused; use --tls-verify=false to allow it.");
            }

            uri = next;
        }
    }

    /// <summary>A URL fit for a message: no user-info, no query (pre-signed storage URLs carry signatures there).</summary>
    private static string Shown(Uri uri) => $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>https, or with --tls-verify=false whichever of https and http the registry speaks (https first, as skopeo).</summary>
    private async Task<Uri> BaseUriAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var host = reference.ApiHost;
        if (baseUris.TryGetValue(host, out var known))
        {
            return known;
        }

        var https = new Uri($"https://{host}/");
        if (options.TlsVerify)
        {
            return baseUris.GetOrAdd(host, https);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            using var probe = await http.GetAsync(new Uri(https, "/v2/"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return baseUris.GetOrAdd(host, https);
        }
        catch (HttpRequestException)
        {
            return baseUris.GetOrAdd(host, new Uri($"http://{host}/"));
        }
    }

    /// <summary>The registry's error body in one short line, redacted; empty for HEAD or when it does not come in time.</summary>
    private async Task<string> ErrorSummaryAsync(RegistryRequest request, HttpResponseMessage response, string context, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Head)
        {
            return string.Empty;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            return RegistryErrorBody.Summarize(await ReadBoundedAsync(response, RegistryErrorBody.MaxBytes, truncate: true, context, timeout.Token), authenticator.Scrub);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The status says enough; the body was a courtesy.
            return string.Empty;
        }
    }

    private string Status(HttpResponseMessage response, string summary) =>
        $"HTTP {(int)response.StatusCode} {ReasonOf(response)}{(summary.Length > 0 ? ": " + summary : string.Empty)}";

    private async Task<StrataException> ErrorAsync(RegistryRequest request, HttpResponseMessage response, string context, int attempt, CancellationToken cancellationToken)
    {
        var message = $"{context}: {Status(response, await ErrorSummaryAsync(request, response, context, cancellationToken))}";
        var status = response.StatusCode;
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // Refused access (even forever) is a target Strata could not read: exit 3, not a usage error.
            return StrataException.BadInput($"{message}; {authenticator.DescribeCredentials(request.Reference)}.");
        }

        // A missing tag or repository is the user's to fix; a missing blob of an existing image is a broken image.
        return status == HttpStatusCode.NotFound && request.Path.Contains("/manifests/", StringComparison.Ordinal)
            ? StrataException.Usage(message + ".")
            : StrataException.BadInput(message + RegistryRetryPolicy.Attempts(attempt) + ".");
    }

    private string ReasonOf(HttpResponseMessage response) =>
        string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : authenticator.Echo(response.ReasonPhrase);

    /// <param name="Offset">For a blob resumed part-way: the first byte wanted (a Range request).</param>
    /// <param name="Location">An absolute URL the registry gave (an upload session), used instead of <paramref name="Path"/>.</param>
    /// <param name="Content">Makes the request body, afresh for each send (a 401 answered sends it again).</param>
    /// <param name="Scope">The token scope; pull access to the repository unless given.</param>
    /// <param name="NotFoundIsAnswer">404 is returned as a response (does the blob exist?), not an error.</param>
    /// <param name="Budget">How long the request may take before its headers come back; <see cref="RegistryOptions.Timeout"/> unless given (an upload needs longer).</param>
    private sealed record RegistryRequest(
        HttpMethod Method,
        ImageReference Reference,
        string Path,
        string What,
        IReadOnlyList<string> Accept,
        long? Offset,
        Uri? Location = null,
        Func<HttpContent>? Content = null,
        string? Scope = null,
        bool NotFoundIsAnswer = false,
        TimeSpan? Budget = null);
}
