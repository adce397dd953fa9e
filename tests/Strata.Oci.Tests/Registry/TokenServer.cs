namespace Strata.Oci.Tests.Registry;

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// A registry token endpoint (distribution's token auth spec): checks basic credentials or a refresh token,
/// and issues ES256 JWTs carrying the certificate (x5c) that the registry trusts through its rootcertbundle.
/// Anonymous callers get a token with no access at all.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    private readonly ECDsa key;
    private readonly X509Certificate2 certificate;
    private readonly LoopbackHttpServer server;
    private readonly string user;
    private readonly string password;
    private readonly string refreshToken;
    private int requests;

    public TokenServer(string service, string issuer, string user, string password, string refreshToken)
    {
        Service = service;
        Issuer = issuer;
        this.user = user;
        this.password = password;
        this.refreshToken = refreshToken;
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=strata-test-token-issuer", key, HashAlgorithmName.SHA256);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        server = new LoopbackHttpServer(HandleAsync);
    }

    public string Service { get; }

    public string Issuer { get; }

    public Uri Realm => new(server.Address, "/token");

    public string CertificatePem => certificate.ExportCertificatePem();

    public int Requests => Volatile.Read(ref requests);

    /// <summary>Answer with OAuth2's <c>access_token</c> field instead of <c>token</c>.</summary>
    public bool UseAccessTokenField { get; set; }

    /// <summary>Every token issued, so tests can check none is ever printed.</summary>
    public List<string> Issued { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        certificate.Dispose();
        key.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref requests);
        var request = context.Request;
        string? subject = null;
        string? scope = request.QueryString["scope"];
        string? service = request.QueryString["service"];
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync(cancellationToken));
            if (form["grant_type"] != "refresh_token" || form["refresh_token"] != refreshToken)
            {
                await RespondAsync(context, HttpStatusCode.Unauthorized, """{"error":"invalid_grant","error_description":"refresh token not recognised"}""", cancellationToken);
                return;
            }

            subject = user;
            scope = form["scope"];
            service = form["service"];
        }
        else if (request.Headers["Authorization"] is { } authorization)
        {
            var decoded = authorization.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]))
                : string.Empty;
            if (decoded != $"{user}:{password}")
            {
                await RespondAsync(context, HttpStatusCode.Unauthorized, """{"details":"incorrect username or password"}""", cancellationToken);
                return;
            }

            subject = user;
        }

        if (service != Service)
        {
            await RespondAsync(context, HttpStatusCode.BadRequest, """{"details":"unknown service"}""", cancellationToken);
            return;
        }

        var access = new JsonArray();
        if (subject is not null && scope is not null)
        {
            // repository:NAME:ACTIONS, where NAME may itself hold no colon.
            var parts = scope.Split(':');
            if (parts.Length == 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray(parts[2].Split(',').Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                });
            }
        }

        var token = Issue(subject ?? string.Empty, access);
        lock (Issued)
        {
            Issued.Add(token);
        }

        var field = UseAccessTokenField ? "access_token" : "token";
        await RespondAsync(context, HttpStatusCode.OK, $$"""{"{{field}}":"{{token}}","expires_in":300}""", cancellationToken);
    }

    private string Issue(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task RespondAsync(HttpListenerContext context, HttpStatusCode status, string json, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body, cancellationToken);
    }
}
