namespace Strata.Oci.Registry;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// Answers registry challenges: Basic with the registry's credentials, Bearer with a token from the challenge's
/// realm (basic-authenticated, or an OAuth2 refresh-token grant for identity tokens), cached per registry and scope.
/// Credentials are looked up once per registry, and only when a registry asks for them.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private const int MaxTokenResponseBytes = 1024 * 1024;
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly HttpClient http;
    private readonly RegistryOptions options;
    private readonly CredentialStore store;
    private readonly ConcurrentDictionary<string, RegistryState> registries = new(StringComparer.Ordinal);

    public RegistryAuthenticator(HttpClient http, RegistryOptions options)
    {
        this.http = http;
        this.options = options;
        store = CredentialStore.FromOptions(options);
    }

    /// <summary>Token requests made so far (tests check the cache with it).</summary>
    public int TokenRequests => registries.Values.Sum(r => r.TokenRequests);

    /// <summary>The header to send for <paramref name="scope"/>, from what earlier challenges taught; null before any.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(ImageReference reference, string scope, string context, CancellationToken cancellationToken)
    {
        var state = State(reference);
        var challenge = state.Challenge;
        if (challenge is null)
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            return Credential(reference) is { Password.Length: > 0 } credential ? BasicHeader(credential) : null;
        }

        var token = state.Tokens.TryGetValue(scope, out var cached) && cached.ValidUntil > DateTimeOffset.UtcNow
            ? cached.Token
            : await FetchTokenAsync(reference, state, challenge, scope, context, cancellationToken);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Learns from a 401's challenge. Returns true when sending again may succeed (new credentials or a new token
    /// to offer), false when what was sent is all there is.
    /// </summary>
    public bool Learn(ImageReference reference, AuthChallenge challenge, string scope, AuthenticationHeaderValue? sent)
    {
        var state = State(reference);
        state.Challenge = challenge;
        if (challenge.IsBasic)
        {
            return sent is null && Credential(reference) is { Password.Length: > 0 };
        }

        // A rejected token is dropped so the retry fetches a fresh one; a token sent once is not retried twice.
        state.Tokens.TryRemove(scope, out _);
        return sent is null || sent.Scheme == "Bearer";
    }

    /// <summary>Why a request stayed unauthorized, for the error message: whose credentials, or where none were found.</summary>
    public string DescribeCredentials(ImageReference reference)
    {
        var lookup = Lookup(reference);
        return lookup.Credential is { } credential ? $"credentials of {credential} were not accepted" : lookup.Note;
    }

    /// <summary>Replaces any secret this authenticator knows with its redaction (defence in depth for echoed error bodies).</summary>
    public string Scrub(string text)
    {
        foreach (var state in registries.Values)
        {
            var secrets = state.Tokens.Values.Select(t => t.Token).ToList();
            if (state.Lookup?.Credential is { } credential)
            {
                secrets.Add(credential.Password);
                secrets.Add(credential.IdentityToken ?? string.Empty);
            }

            foreach (var secret in secrets.Where(s => s.Length >= 4))
            {
                text = text.Replace(secret, Redaction.Redact(secret), StringComparison.Ordinal);
            }
        }

        return text;
    }

    private RegistryState State(ImageReference reference) => registries.GetOrAdd(reference.Registry, _ => new RegistryState());

    private RegistryCredential? Credential(ImageReference reference) => Lookup(reference).Credential;

    private CredentialLookup Lookup(ImageReference reference)
    {
        var state = State(reference);
        if (state.Lookup is null)
        {
            state.Lookup = options.Credentials is { } given
                ? new CredentialLookup(given, $"credentials for {given}")
                : store.Find(reference.Registry, reference.Repository);
        }

        return state.Lookup;
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private async Task<string> FetchTokenAsync(ImageReference reference, RegistryState state, AuthChallenge challenge, string scope, string context, CancellationToken cancellationToken)
    {
        var realmText = challenge.Parameter("realm");
        if (!Uri.TryCreate(realmText, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw StrataException.BadInput($"{context}: the registry's Bearer challenge has no usable realm ('{realmText}').");
        }

        var credential = Credential(reference);
        var endpoint = realm.GetLeftPart(UriPartial.Path);
        if (realm.Scheme == Uri.UriSchemeHttp && options.TlsVerify && credential is not null)
        {
            throw StrataException.Usage($"{context}: token endpoint {endpoint} is plain http; refusing to send credentials there without --tls-verify=false.");
        }

        var service = challenge.Parameter("service");
        var query = new List<string>();
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(scope));
        using var request = new HttpRequestMessage();
        if (credential?.IdentityToken is { } refreshToken)
        {
            // docker's identity tokens are OAuth2 refresh tokens, exchanged by POST (distribution's token spec).
            request.Method = HttpMethod.Post;
            request.RequestUri = realm;
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = "strata",
                ["scope"] = scope,
            };
            if (service is not null)
            {
                form["service"] = service;
            }

            request.Content = new FormUrlEncodedContent(form);
        }
        else
        {
            request.Method = HttpMethod.Get;
            request.RequestUri = new Uri(realm + (realm.Query.Length > 0 ? "&" : "?") + string.Join('&', query));
            if (credential is { Password.Length: > 0 })
            {
                request.Headers.Authorization = BasicHeader(credential);
            }
        }

        Interlocked.Increment(ref state.TokenRequests);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = response.StatusCode;
            body = await RegistryClient.ReadBoundedAsync(response, response.IsSuccessStatusCode ? MaxTokenResponseBytes : RegistryErrorBody.MaxBytes, truncate: !response.IsSuccessStatusCode, $"{context}: token response from {endpoint}", timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw StrataException.BadInput($"{context}: token endpoint {endpoint} did not answer within {options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            throw StrataException.BadInput($"{context}: cannot reach token endpoint {endpoint}: {e.Message}", e);
        }

        if (status is not HttpStatusCode.OK)
        {
            var who = credential is null ? "anonymous access" : credential.ToString();
            var summary = Scrub(RegistryErrorBody.Summarize(body));
            var message = $"{context}: token endpoint {endpoint} refused {who}: HTTP {(int)status} {status}{(summary.Length > 0 ? ": " + summary : string.Empty)}.";
            throw StrataException.BadInput(message);
        }

        var (token, lifetime) = ParseTokenResponse(body, endpoint, context);
        // Renew a little early so a token does not expire between being picked and being used.
        state.Tokens[scope] = new CachedToken(token, DateTimeOffset.UtcNow + (lifetime * 0.9));
        return token;
    }

    private static (string Token, TimeSpan Lifetime) ParseTokenResponse(byte[] body, string endpoint, string context)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
            var root = document.RootElement;
            string? token = null;
            foreach (var name in (ReadOnlySpan<string>)["token", "access_token"])
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    token = text;
                    break;
                }
            }

            if (token is null)
            {
                throw StrataException.BadInput($"{context}: token response from {endpoint} has neither 'token' nor 'access_token'.");
            }

            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(Math.Max(seconds, DefaultTokenLifetime.TotalSeconds))
                : DefaultTokenLifetime;
            return (token, lifetime);
        }
        catch (JsonException)
        {
            throw StrataException.BadInput($"{context}: token response from {endpoint} is not JSON.");
        }
    }

    private sealed class RegistryState
    {
        public int TokenRequests;

        public AuthChallenge? Challenge { get; set; }

        public CredentialLookup? Lookup { get; set; }

        public ConcurrentDictionary<string, CachedToken> Tokens { get; } = new(StringComparer.Ordinal);
    }

    private sealed record CachedToken(string Token, DateTimeOffset ValidUntil);
}
