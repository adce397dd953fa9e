namespace Strata.Oci.Registry;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
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
    private readonly RegistryRetryPolicy retry;
    private readonly ConcurrentDictionary<string, RegistryState> registries = new(StringComparer.Ordinal);

    public RegistryAuthenticator(HttpClient http, RegistryOptions options)
    {
        this.http = http;
        this.options = options;
        store = CredentialStore.FromOptions(options);
        retry = new RegistryRetryPolicy(options);
    }

    /// <summary>Text a registry or token endpoint sent, fit for a message: known secrets and credential-shaped values redacted.</summary>
    public string Echo(string text) => RegistryErrorBody.Echo(text, Scrub);

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

    /// <summary>
    /// Replaces any secret this authenticator knows (passwords, the Basic header built from them, identity and
    /// issued tokens) with its redaction: what a registry echoes passes through here before any message.
    /// </summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var state in registries.Values)
        {
            var secrets = state.Tokens.Values.Select(t => t.Token).ToList();
            if (state.Lookup?.Credential is { } credential)
            {
                secrets.Add(credential.Password);
                secrets.Add(credential.IdentityToken ?? string.Empty);
                if (credential.Password.Length > 0)
                {
                    var basic = BasicHeader(credential).Parameter ?? string.Empty;
                    secrets.Add(basic);
                    secrets.Add(basic.TrimEnd('='));
                    secrets.Add(Uri.EscapeDataString(credential.Password));
                }
            }

            foreach (var secret in secrets.Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
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
            throw StrataException.BadInput($"{context}: the registry's Bearer challenge has no usable realm ('{Echo(realmText ?? string.Empty)}').");
        }

        var credential = Credential(reference);
        // Never the realm's user-info or query: either may hold a secret.
        var endpoint = $"{realm.Scheme}://{realm.Authority}{realm.AbsolutePath}";
        if (realm.Scheme == Uri.UriSchemeHttp && options.TlsVerify && credential is not null)
        {
            throw StrataException.Usage($"{context}: token endpoint {endpoint} is plain http; refusing to send credentials there without --tls-verify=false.");
        }

        var service = challenge.Parameter("service");
        var (token, lifetime) = await retry.RunAsync(context, async attempt =>
        {
            using var request = TokenRequest(realm, service, scope, credential);
            Interlocked.Increment(ref state.TokenRequests);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            byte[] body;
            HttpStatusCode status;
            TimeSpan? retryAfter;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = response.StatusCode;
                retryAfter = RegistryRetryPolicy.RetryAfterOf(response);
                body = await RegistryClient.ReadBoundedAsync(response, response.IsSuccessStatusCode ? MaxTokenResponseBytes : RegistryErrorBody.MaxBytes, truncate: !response.IsSuccessStatusCode, $"{context}: token response from {endpoint}", timeout.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TransientRegistryFailure($"token endpoint {endpoint} did not answer within {RegistryRetryPolicy.Seconds(options.Timeout)}", null, e);
            }
            catch (HttpRequestException e) when (e.HttpRequestError != HttpRequestError.SecureConnectionError)
            {
                throw new TransientRegistryFailure($"cannot reach token endpoint {endpoint}: {RegistryErrorBody.Echo(e.InnerException?.Message ?? e.Message)}", null, e);
            }
            catch (HttpRequestException e)
            {
                throw StrataException.BadInput($"{context}: cannot reach token endpoint {endpoint}: TLS failed ({RegistryErrorBody.Echo(e.InnerException?.Message ?? e.Message)}).", e);
            }
            catch (IOException e)
            {
                throw new TransientRegistryFailure($"token response from {endpoint} broke off: {RegistryErrorBody.Echo(e.Message)}", null, e);
            }

            if (status is not HttpStatusCode.OK)
            {
                var who = credential is null ? "anonymous access" : credential.ToString();
                var summary = RegistryErrorBody.Summarize(body, Scrub);
                var message = $"token endpoint {endpoint} refused {who}: HTTP {(int)status} {status}{(summary.Length > 0 ? ": " + summary : string.Empty)}";
                if (RegistryClient.IsTransient(status))
                {
                    throw new TransientRegistryFailure(message, retryAfter);
                }

                // A refused login is a target Strata could not read (exit 3), as is any other refusal.
                throw StrataException.BadInput($"{context}: {message}{RegistryRetryPolicy.Attempts(attempt)}.");
            }

            return ParseTokenResponse(body, endpoint, context);
        }, cancellationToken);

        // Renew a little early so a token does not expire between being picked and being used.
        state.Tokens[scope] = new CachedToken(token, DateTimeOffset.UtcNow + (lifetime * 0.9));
        return token;
    }

    private static HttpRequestMessage TokenRequest(Uri realm, string? service, string scope, RegistryCredential? credential)
    {
        var request = new HttpRequestMessage();
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
            return request;
        }

        var query = new List<string>();
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        // Several scopes (a cross-repository mount asks for two) go as one scope parameter each, as docker sends them.
        foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add("scope=" + Uri.EscapeDataString(one));
        }

        request.Method = HttpMethod.Get;
        request.RequestUri = new Uri(realm + (realm.Query.Length > 0 ? "&" : "?") + string.Join('&', query));
        if (credential is { Password.Length: > 0 })
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        return request;
    }

    /// <summary>Reads a token endpoint's answer (<c>token</c> or OAuth2 <c>access_token</c>, <c>expires_in</c>); anything else is bad input naming the endpoint.</summary>
    internal static (string Token, TimeSpan Lifetime) ParseTokenResponse(byte[] body, string endpoint, string context)
    {
        try
        {
            // A string that is not UTF-8 text would throw when read: refused here as bad input, naming the source.
            JsonStrings.Validate(body, $"{context}: token response from {endpoint}");
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
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
