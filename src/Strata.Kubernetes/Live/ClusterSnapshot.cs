namespace Strata.Kubernetes.Live;

using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>What a live-cluster scan lists.</summary>
public sealed record ClusterSnapshotOptions
{
    /// <summary>Only these namespaces (their namespaced objects, and the Namespace objects themselves); all when empty.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Keep the values of Secrets (<c>data</c>, <c>stringData</c>) for the secret rules; otherwise only their metadata and type are kept.</summary>
    public bool IncludeSecrets { get; init; }

    /// <summary>Objects per list request (<c>limit</c>); the rest follow with the <c>continue</c> token.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>The largest list response read; a larger one fails the scan (<see cref="Limits.MaxDocumentBytes"/> by default).</summary>
    public long MaxResponseBytes { get; init; } = Limits.Default.MaxDocumentBytes;
}

/// <summary>What was written: the objects kept (<c>Kind/ns/name</c>, in order), and how many a listed controller owns were left out.</summary>
public sealed record ClusterSnapshotResult(IReadOnlyList<string> ObjectNames, int OwnedSkipped)
{
    public int Objects => ObjectNames.Count;

    /// <summary>The object written on <paramref name="line"/> of the stream (each is one line after its <c>---</c>), or null.</summary>
    public string? ObjectAt(int line) => line >= 2 && line % 2 == 0 && line / 2 - 1 < ObjectNames.Count ? ObjectNames[line / 2 - 1] : null;
}

/// <summary>
/// Lists a cluster's objects (<see cref="ClusterResource.All"/>) page by page and writes them as one stream of YAML
/// documents, each one object as JSON with its <c>kind</c> and <c>apiVersion</c> (list responses leave them out of
/// their items), for the manifest scanners. Objects a listed controller owns (a Deployment's ReplicaSets and their
/// Pods, a CronJob's Jobs) are left out, so one workload gives one set of findings. Lists the credentials may not read
/// (403) or the server does not serve (404) are reported to <c>onProblem</c> and skipped.
/// </summary>
public static class ClusterSnapshot
{
    private static readonly byte[] Separator = "---\n"u8.ToArray();
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Lists everything into <paramref name="output"/>; a failure other than 403/404 (unreachable server, 401, a timeout, malformed answer) is a <see cref="StrataException"/>.</summary>
    public static async Task<ClusterSnapshotResult> WriteAsync(ClusterConnection connection, ClusterSnapshotOptions options, Stream output, Action<string> onProblem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(onProblem);
        var state = new State(connection, options, output, onProblem);
        foreach (var resource in ClusterResource.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Namespaces.Count == 0 || !resource.Namespaced && resource.Kind != "Namespace")
            {
                await state.ListAsync(resource, null, cancellationToken);
            }
            else if (resource.Kind == "Namespace")
            {
                foreach (var ns in options.Namespaces)
                {
                    await state.GetNamespaceAsync(resource, ns, cancellationToken);
                }
            }
            else
            {
                foreach (var ns in options.Namespaces)
                {
                    await state.ListAsync(resource, ns, cancellationToken);
                }
            }
        }

        await output.FlushAsync(cancellationToken);
        return new ClusterSnapshotResult(state.ObjectNames, state.OwnedSkipped);
    }

    private sealed class State(ClusterConnection connection, ClusterSnapshotOptions options, Stream output, Action<string> onProblem)
    {
        /// <summary>UIDs of the controllers listed so far: what they own is not listed again.</summary>
        private readonly HashSet<string> controllers = new(StringComparer.Ordinal);

        public List<string> ObjectNames { get; } = [];

        public int OwnedSkipped { get; private set; }

        public async Task ListAsync(ClusterResource resource, string? ns, CancellationToken cancellationToken)
        {
            string? continueToken = null;
            do
            {
                var query = $"?limit={options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}" + (continueToken is null ? string.Empty : "&continue=" + Uri.EscapeDataString(continueToken));
                var (status, body) = await GetAsync(resource.ListPath(ns) + query, cancellationToken);
                using var document = Parse(body, resource.ListPath(ns));
                var root = document.RootElement;
                if (status == HttpStatusCode.Gone && continueToken is not null && ContinueOf(root) is { } fresh)
                {
                    // The token expired mid-list: the server offers to go on from a newer state (objects may have changed between pages).
                    onProblem($"{Where(resource, ns)}: the list changed while it was read ({StatusMessage(root)}); going on from the server's current state.");
                    continueToken = fresh;
                    continue;
                }

                if (!Succeeded(resource, ns, status, root))
                {
                    return;
                }

                if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        await WriteObjectAsync(resource, item, cancellationToken);
                    }
                }
                else
                {
                    throw StrataException.BadInput($"{Where(resource, ns)}: the API server's answer is not a list (no items).");
                }

                continueToken = ContinueOf(root);
            }
            while (continueToken is not null);
        }

        public async Task GetNamespaceAsync(ClusterResource resource, string name, CancellationToken cancellationToken)
        {
            var path = $"{resource.ListPath(null)}/{Uri.EscapeDataString(name)}";
            var (status, body) = await GetAsync(path, cancellationToken);
            using var document = Parse(body, path);
            if (status == HttpStatusCode.NotFound)
            {
                onProblem($"namespace {Redaction.Quote(name, 100)}: not found.");
                return;
            }

            if (Succeeded(resource, name, status, document.RootElement))
            {
                await WriteObjectAsync(resource, document.RootElement, cancellationToken);
            }
        }

        private static string Where(ClusterResource resource, string? ns) => ns is null ? resource.Plural : $"{resource.Plural} in namespace {Redaction.Quote(ns, 100)}";

        private static string? ContinueOf(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("continue", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text ? text : null;

        private static string StatusMessage(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? Redaction.Quote(message.GetString() ?? string.Empty, 300)
                : "no message";

        private static JsonDocument Parse(byte[] body, string path)
        {
            try
            {
                return JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
            }
            catch (JsonException e)
            {
                throw StrataException.BadInput($"{path}: the API server's answer is not JSON: {Redaction.Quote(e.Message, 200)}", e);
            }
        }

        /// <summary>True on 200; 403 and 404 are reported and skipped; anything else stops the scan.</summary>
        private bool Succeeded(ClusterResource resource, string? ns, HttpStatusCode status, JsonElement root)
        {
            switch (status)
            {
                case HttpStatusCode.OK:
                    return true;
                case HttpStatusCode.Forbidden:
                    onProblem($"{Where(resource, ns)}: not listed: forbidden to these credentials ({StatusMessage(root)}).");
                    return false;
                case HttpStatusCode.NotFound:
                    onProblem($"{Where(resource, ns)}: not listed: the API server does not serve {resource.ApiVersion} {resource.Plural} ({StatusMessage(root)}).");
                    return false;
                case HttpStatusCode.Unauthorized:
                    throw StrataException.BadInput($"{connection.Server}: the API server refused the credentials of context {Redaction.Quote(connection.ContextName, 100)} (401 Unauthorized: {StatusMessage(root)}).");
                default:
                    throw StrataException.BadInput($"{Where(resource, ns)}: the API server answered {(int)status} {status} ({StatusMessage(root)}).");
            }
        }

        private async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
        {
            var client = connection.Client;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri.ToString().TrimEnd('/') + pathAndQuery));
            request.Headers.Accept.ParseAdd("application/json");
            try
            {
                if (client.Credentials is { } credentials)
                {
                    await credentials.ProcessHttpRequestAsync(request, cancellationToken);
                }

                using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                return (response.StatusCode, await ReadBoundedAsync(stream, pathAndQuery, cancellationToken));
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw StrataException.BadInput($"{connection.Server}: no answer to {Redaction.Quote(PathOf(pathAndQuery), 200)} within {client.HttpClient.Timeout.TotalSeconds:0.#} s (--request-timeout).", e);
            }
            catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or k8s.Exceptions.KubernetesClientException)
            {
                // An exec credential plugin that failed or timed out, when the first request asked for a token.
                throw StrataException.BadInput($"context {Redaction.Quote(connection.ContextName, 100)}: no credentials: {Redaction.Quote(e.Message, 300)}", e);
            }
            catch (HttpRequestException e)
            {
                throw StrataException.BadInput($"{connection.Server}: cannot reach the API server: {Redaction.Quote(Reason(e), 300)}", e);
            }
        }

        private static string PathOf(string pathAndQuery) => pathAndQuery.Split('?')[0];

        private static string Reason(Exception e)
        {
            var reasons = new List<string>();
            for (var current = e; current is not null; current = current.InnerException)
            {
                reasons.Add(current.Message);
            }

            return string.Join(": ", reasons.Distinct());
        }

        private async Task<byte[]> ReadBoundedAsync(Stream stream, string pathAndQuery, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > options.MaxResponseBytes)
                {
                    throw Limits.Exceeded($"{connection.Server}{PathOf(pathAndQuery)}", $"an answer of more than {Limits.Number(options.MaxResponseBytes)} bytes", "document-bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }

        private async Task WriteObjectAsync(ClusterResource resource, JsonElement item, CancellationToken cancellationToken)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var metadata = item.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object ? meta : default;
            if (resource.IsController && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("uid", out var uid) && uid.GetString() is { } id)
            {
                controllers.Add(id);
            }

            if (metadata.ValueKind == JsonValueKind.Object && OwnedByListedController(metadata))
            {
                OwnedSkipped++;
                return;
            }

            var hideValues = resource.Kind == "Secret" && !options.IncludeSecrets;
            await output.WriteAsync(Separator, cancellationToken);
            await using (var json = new Utf8JsonWriter(output, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("apiVersion", resource.ApiVersion);
                json.WriteString("kind", resource.Kind);
                foreach (var property in item.EnumerateObject())
                {
                    if (property.NameEquals("apiVersion") || property.NameEquals("kind") || (hideValues && (property.NameEquals("data") || property.NameEquals("stringData"))))
                    {
                        continue;
                    }

                    if (property.NameEquals("metadata") && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        json.WritePropertyName("metadata");
                        WriteMetadata(json, property.Value, hideValues);
                        continue;
                    }

                    property.WriteTo(json);
                }

                json.WriteEndObject();
            }

            await output.WriteAsync(Newline, cancellationToken);
            var ns = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("namespace", out var space) && space.ValueKind == JsonValueKind.String ? space.GetString() : null;
            var name = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : null;
            ObjectNames.Add(ns is null ? $"{resource.Kind}/{name ?? "(unnamed)"}" : $"{resource.Kind}/{ns}/{name ?? "(unnamed)"}");
        }

        private bool OwnedByListedController(JsonElement metadata)
        {
            if (!metadata.TryGetProperty("ownerReferences", out var owners) || owners.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var owner in owners.EnumerateArray())
            {
                if (owner.ValueKind == JsonValueKind.Object
                    && owner.TryGetProperty("controller", out var controller) && controller.ValueKind == JsonValueKind.True
                    && owner.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String && controllers.Contains(uid.GetString()!))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The metadata without managedFields (the server's bookkeeping); a Secret whose values are not kept also loses
        /// kubectl's last-applied-configuration annotation, which holds them again.
        /// </summary>
        private static void WriteMetadata(Utf8JsonWriter json, JsonElement metadata, bool hideValues)
        {
            json.WriteStartObject();
            foreach (var field in metadata.EnumerateObject())
            {
                if (field.NameEquals("managedFields"))
                {
                    continue;
                }

                if (hideValues && field.NameEquals("annotations") && field.Value.ValueKind == JsonValueKind.Object)
                {
                    json.WriteStartObject("annotations");
                    foreach (var annotation in field.Value.EnumerateObject().Where(a => !a.NameEquals("kubectl.kubernetes.io/last-applied-configuration")))
                    {
                        annotation.WriteTo(json);
                    }

                    json.WriteEndObject();
                    continue;
                }

                field.WriteTo(json);
            }

            json.WriteEndObject();
        }
    }
}
