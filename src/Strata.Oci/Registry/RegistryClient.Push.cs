namespace Strata.Oci.Registry;

using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Oci.Destinations;
using Strata.Oci.Model;

/// <summary>
/// The push side of the Distribution API: blob existence, uploads (one POST for a session, one PUT with the whole
/// body and its digest), cross-repository mounts, manifest PUTs by tag or digest, tag lists and OCI 1.1 referrers.
/// Writes ask for <c>repository:NAME:pull,push</c>. A blob is hashed and counted while it is sent: content that does
/// not match its descriptor aborts the upload, which the registry then discards.
/// </summary>
public sealed partial class RegistryClient
{
    /// <summary>Most pages of a tag list followed (Link headers); a registry paging forever stops here.</summary>
    public const int MaxTagPages = 1000;

    /// <summary>Most tags accepted from one repository's list.</summary>
    public const int MaxTags = 1_000_000;

    /// <summary>Whether the repository holds the blob (HEAD; 404 is false).</summary>
    public async Task<bool> BlobExistsAsync(ImageReference reference, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new RegistryRequest(HttpMethod.Head, reference, $"/v2/{reference.Repository}/blobs/{digest}", $"blob {digest}", [], null, Scope: PushScope(reference), NotFoundIsAnswer: true);
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            return response.StatusCode != HttpStatusCode.NotFound;
        }, cancellationToken);
    }

    /// <summary>
    /// Asks the registry to mount a blob from another repository of the same registry (no bytes sent). True when it
    /// did (201); false when it opened an upload instead (202, the blob is not readable there): that session is
    /// cancelled and the caller uploads.
    /// </summary>
    public async Task<bool> TryMountBlobAsync(ImageReference reference, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrEmpty(fromRepository);
        var request = new RegistryRequest(
            HttpMethod.Post,
            reference,
            $"/v2/{reference.Repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}",
            $"blob {digest} (mount from {fromRepository})",
            [],
            null,
            Content: EmptyBody,
            Scope: $"{PushScope(reference)} repository:{fromRepository}:pull");
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return true;
            }

            if (response.StatusCode == HttpStatusCode.Accepted && UploadLocation(response, context, throwIfMissing: false) is { } session)
            {
                await CancelUploadAsync(reference, session, context, cancellationToken);
            }

            return false;
        }, cancellationToken);
    }

    /// <summary>
    /// Uploads a blob: a session (POST), then the whole body with <c>?digest=</c> (PUT). The body is hashed and counted
    /// as it is sent; content that differs from the descriptor ends the upload with an error saying so, and the
    /// session is cancelled. A stream that can seek is sent again after a transient failure; any other is sent once.
    /// </summary>
    public async Task PushBlobAsync(ImageReference reference, Descriptor descriptor, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        var what = $"blob {descriptor.Digest}";
        var context = $"docker://{reference}: {what}";
        var start = content.CanSeek ? content.Position : 0;
        for (var attempt = 1; ; attempt++)
        {
            var session = await StartUploadAsync(reference, descriptor.Digest, cancellationToken);
            var state = new UploadState(content, descriptor, context);
            try
            {
                var target = new UriBuilder(session);
                var digestParameter = "digest=" + Uri.EscapeDataString(descriptor.Digest.ToString());
                target.Query = target.Query.Length > 1 ? target.Query[1..] + "&" + digestParameter : digestParameter;
                var request = new RegistryRequest(
                    HttpMethod.Put,
                    reference,
                    string.Empty,
                    what,
                    [],
                    null,
                    Location: target.Uri,
                    Content: state.NewContent,
                    Scope: PushScope(reference),
                    Budget: UploadBudget(descriptor.Size));
                using var response = await AttemptAsync(request, context, attempt, cancellationToken);
                state.ThrowIfFailed();
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw StrataException.BadInput($"{context}: the registry answered the upload with HTTP {(int)response.StatusCode}, not 201 Created.");
                }

                if (ContentDigestHeader(response, context) is { } stored && stored != descriptor.Digest)
                {
                    throw StrataException.BadInput($"{context}: the registry stored the upload as {stored}, not as the digest sent.");
                }

                return;
            }
            catch (Exception e) when (state.Failure is not null || e is not TransientRegistryFailure || !content.CanSeek)
            {
                await CancelUploadAsync(reference, session, context, CancellationToken.None);
                state.ThrowIfFailed();
                if (e is TransientRegistryFailure transient)
                {
                    throw StrataException.BadInput($"{context}: {transient.Message}; the blob comes from a stream that cannot be sent again.", transient.InnerException);
                }

                throw;
            }
            catch (TransientRegistryFailure failure)
            {
                await CancelUploadAsync(reference, session, context, CancellationToken.None);
                await retry.WaitBeforeRetryAsync(context, failure, attempt, cancellationToken);
                content.Position = start;
            }
        }
    }

    /// <summary>
    /// Stores a manifest or index under a tag or its digest (PUT with its media type as Content-Type). Returns its
    /// digest, checked against the registry's Docker-Content-Digest.
    /// </summary>
    public async Task<Digest> PutManifestAsync(ImageReference reference, string tagOrDigest, ReadOnlyMemory<byte> bytes, string mediaType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var digest = Digest.Sha256Of(bytes.Span);
        if (Digest.TryParse(tagOrDigest, out var named) && !named.Matches(bytes.Span))
        {
            throw new ArgumentException($"the manifest's bytes do not hash to {named}", nameof(tagOrDigest));
        }

        var body = bytes.ToArray();
        var request = ManifestRequest(HttpMethod.Put, reference, tagOrDigest) with
        {
            Accept = [],
            Scope = PushScope(reference),
            Content = () =>
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return content;
            },
        };
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            if (ContentDigestHeader(response, context) is { } stored && stored != digest && stored.Algorithm == digest.Algorithm)
            {
                throw StrataException.BadInput($"{context}: the registry stored the manifest as {stored}, but its bytes hash to {digest}.");
            }

            return digest;
        }, cancellationToken);
    }

    /// <summary>The repository's tags (GET tags/list, following Link pages), sorted; an unknown repository has none.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        var path = $"/v2/{reference.Repository}/tags/list";
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; path is not null; page++)
        {
            if (page > MaxTagPages || !visited.Add(path))
            {
                throw StrataException.BadInput($"docker://{reference}: tag list: more than {MaxTagPages} pages, or a page links back to one seen before.");
            }

            var request = new RegistryRequest(HttpMethod.Get, reference, path, "tag list", ["application/json"], null, Scope: PushScope(reference), NotFoundIsAnswer: true);
            var context = Context(request);
            var (names, next) = await retry.RunAsync(context, async attempt =>
            {
                using var response = await AttemptAsync(request, context, attempt, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return ((IReadOnlyList<string>)[], (string?)null);
                }

                var body = await ReadManifestAsync(response, context, cancellationToken);
                return (ParseTagList(body, context), NextPage(response, context));
            }, cancellationToken);
            tags.UnionWith(names);
            if (tags.Count > MaxTags)
            {
                throw StrataException.BadInput($"docker://{reference}: tag list: more than {MaxTags} tags.");
            }

            path = next;
        }

        return tags.ToList();
    }

    /// <summary>
    /// The referrers of <paramref name="subject"/> (GET /v2/NAME/referrers/DIGEST, OCI 1.1). A 404 means the registry
    /// has no referrers API (distribution 2.8 has none): the answer is then <see cref="ReferrerList.NotSupported"/>.
    /// An artifact type filter the registry did not apply is applied here.
    /// </summary>
    public async Task<ReferrerList> ListReferrersAsync(ImageReference reference, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var path = $"/v2/{reference.Repository}/referrers/{subject}" + (artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType));
        var request = new RegistryRequest(HttpMethod.Get, reference, path, $"referrers of {subject}", [MediaTypes.OciIndex], null, Scope: PushScope(reference), NotFoundIsAnswer: true);
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return ReferrerList.NotSupported;
            }

            var body = await ReadManifestAsync(response, context, cancellationToken);
            var index = ImageIndex.Parse(body, MediaTypes.OciIndex, $"{context}: the referrers index");
            var artifactTypes = ArtifactTypes(body, context);
            var referrers = new List<Referrer>();
            for (var i = 0; i < index.Manifests.Count; i++)
            {
                var type = artifactTypes.Count > i ? artifactTypes[i] : null;
                if (artifactType is null || type == artifactType)
                {
                    referrers.Add(new Referrer(index.Manifests[i], type));
                }
            }

            return new ReferrerList(true, referrers);
        }, cancellationToken);
    }

    private static string PushScope(ImageReference reference) => $"repository:{reference.Repository}:pull,push";

    private static ByteArrayContent EmptyBody() => new ByteArrayContent([]);

    /// <summary>Time for an upload: the usual timeout, plus the blob at the slowest rate accepted for blobs.</summary>
    private TimeSpan UploadBudget(long size) =>
        options.Timeout + TimeSpan.FromSeconds(Math.Min(size / Math.Max(options.MinBlobBytesPerSecond, 1024.0), TimeSpan.FromDays(1).TotalSeconds));

    /// <summary>POST /v2/NAME/blobs/uploads/: an upload session's URL (from Location, checked).</summary>
    private async Task<Uri> StartUploadAsync(ImageReference reference, Digest digest, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest(HttpMethod.Post, reference, $"/v2/{reference.Repository}/blobs/uploads/", $"blob {digest} (upload session)", [], null, Content: EmptyBody, Scope: PushScope(reference));
        var context = Context(request);
        return await retry.RunAsync(context, async attempt =>
        {
            using var response = await AttemptAsync(request, context, attempt, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw StrataException.BadInput($"{context}: the registry answered HTTP {(int)response.StatusCode} to a new upload, not 202 Accepted.");
            }

            return UploadLocation(response, context, throwIfMissing: true)!;
        }, cancellationToken);
    }

    /// <summary>An upload session's URL: Location, resolved against the request, http(s) only, never https to http when TLS is verified.</summary>
    private Uri? UploadLocation(HttpResponseMessage response, string context, bool throwIfMissing)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            if (!throwIfMissing)
            {
                return null;
            }

            var raw = response.Headers.NonValidated.TryGetValues("Location", out var values) ? string.Join(", ", values) : null;
            throw StrataException.BadInput(raw is null
                ? $"{context}: the registry opened an upload without a Location header."
                : $"{context}: the registry's upload Location '{authenticator.Echo(Redaction.Quote(raw, 120))}' is not a URL.");
        }

        var requestUri = response.RequestMessage?.RequestUri ?? throw StrataException.BadInput($"{context}: no request URI for the upload Location.");
        var uri = location.IsAbsoluteUri ? location : new Uri(requestUri, location);
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            throw StrataException.BadInput($"{context}: the registry's upload Location has the scheme '{RegistryErrorBody.Echo(uri.Scheme)}'; only http and https are followed.");
        }

        if (requestUri.Scheme == Uri.UriSchemeHttps && uri.Scheme == Uri.UriSchemeHttp && options.TlsVerify)
        {
            throw StrataException.BadInput($"{context}: the registry's upload Location moves from https to plain http ({uri.Host}); refused (use --tls-verify=false to allow it).");
        }

        return uri;
    }

    /// <summary>DELETE of an upload session, best effort: an abandoned session expires on its own.</summary>
    private async Task CancelUploadAsync(ImageReference reference, Uri session, string context, CancellationToken cancellationToken)
    {
        try
        {
            var request = new RegistryRequest(HttpMethod.Delete, reference, string.Empty, "upload session", [], null, Location: session, Scope: PushScope(reference), NotFoundIsAnswer: true);
            using var response = await AttemptAsync(request, context, 1, cancellationToken);
        }
        catch (Exception e) when (e is StrataException or TransientRegistryFailure or OperationCanceledException)
        {
            // Nothing was stored: the blob was never committed.
        }
    }

    private static List<string> ParseTagList(byte[] body, string context)
    {
        try
        {
            JsonStrings.Validate(body, $"{context}: the tag list");
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw StrataException.BadInput($"{context}: the tag list is not a JSON object.");
            }

            if (!root.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (tags.ValueKind != JsonValueKind.Array)
            {
                throw StrataException.BadInput($"{context}: 'tags' is not an array.");
            }

            return tags.EnumerateArray()
                .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : throw StrataException.BadInput($"{context}: a tag is not a string."))
                .ToList();
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{context}: the tag list is not valid JSON (line {e.LineNumber + 1}).");
        }
    }

    /// <summary>The next page from <c>Link: &lt;/v2/…?last=…&gt;; rel="next"</c>; only a path on the same registry is followed.</summary>
    private static string? NextPage(HttpResponseMessage response, string context)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            if (!link.Contains("rel=\"next\"", StringComparison.Ordinal) && !link.Contains("rel=next", StringComparison.Ordinal))
            {
                continue;
            }

            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close < open)
            {
                throw StrataException.BadInput($"{context}: Link header '{RegistryErrorBody.Echo(Redaction.Quote(link, 120))}' has no <URL>.");
            }

            var target = link[(open + 1)..close];
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                target = absolute.PathAndQuery;
            }

            if (!target.StartsWith("/v2/", StringComparison.Ordinal))
            {
                throw StrataException.BadInput($"{context}: Link header points to '{RegistryErrorBody.Echo(Redaction.Quote(target, 120))}', not a /v2/ path of the registry.");
            }

            return target;
        }

        return null;
    }

    /// <summary>Each referrers entry's artifactType (the descriptor model does not carry it), in order.</summary>
    private static List<string?> ArtifactTypes(byte[] body, string context)
    {
        using var document = JsonFields.Parse(body, context);
        var root = document.RootElement;
        if (!root.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return manifests.EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("artifactType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            .ToList();
    }

    /// <summary>
    /// One upload's body: the source stream hashed and counted as it is sent. A mismatch is kept in
    /// <see cref="Failure"/> (HttpClient wraps what the body throws); the stream is sent at most once per session.
    /// </summary>
    private sealed class UploadState(Stream source, Descriptor descriptor, string context)
    {
        private bool started;

        public Exception? Failure { get; private set; }

        public long Size => descriptor.Size;

        public HttpContent NewContent() => new UploadContent(this);

        public void ThrowIfFailed()
        {
            if (Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }

        private async Task CopyAsync(Stream target, CancellationToken cancellationToken)
        {
            if (started)
            {
                Failure ??= StrataException.BadInput($"{context}: the registry asked for the upload again (after an authentication challenge); a stream is sent once.");
                throw Failure;
            }

            started = true;
            try
            {
                await using var verifying = new VerifyingStream(source, descriptor.Digest, descriptor.Size, context, leaveOpen: true);
                await verifying.CopyToAsync(target, cancellationToken);
            }
            catch (StrataException e)
            {
                Failure = e;
                throw;
            }
        }

        private sealed class UploadContent : HttpContent
        {
            private readonly UploadState state;

            public UploadContent(UploadState state)
            {
                this.state = state;
                Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => state.CopyAsync(stream, CancellationToken.None);

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) => state.CopyAsync(stream, cancellationToken);

            protected override bool TryComputeLength(out long length)
            {
                length = state.Size;
                return true;
            }
        }
    }
}
