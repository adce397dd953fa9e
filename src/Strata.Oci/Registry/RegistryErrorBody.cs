namespace Strata.Oci.Registry;

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// Summarises a registry error body (<c>{"errors":[{"code","message"}]}</c>) into one short line, and redacts
/// what a registry echoes: a misbehaving one may send back the Authorization header or a URL with credentials.
/// </summary>
internal static partial class RegistryErrorBody
{
    /// <summary>Error bodies are read only this far: enough for any real error list.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxErrors = 3;
    private const int MaxMessageChars = 200;

    /// <param name="body">The body as received (at most <see cref="MaxBytes"/>).</param>
    /// <param name="redactKnown">Redacts the secrets the caller knows (passwords, tokens) before anything is cut short.</param>
    public static string Summarize(ReadOnlySpan<byte> body, Func<string, string>? redactKnown = null)
    {
        redactKnown ??= static text => text;
        if (body.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = Limits.Default.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                var parts = new List<string>();
                foreach (var error in errors.EnumerateArray().Take(MaxErrors))
                {
                    var code = Text(error, "code", redactKnown);
                    var message = Text(error, "message", redactKnown);
                    parts.Add(code.Length > 0 && message.Length > 0 ? $"{code}: {message}" : code + message);
                }

                var more = errors.GetArrayLength() > MaxErrors ? $" (+{errors.GetArrayLength() - MaxErrors} more)" : string.Empty;
                return string.Join("; ", parts.Where(p => p.Length > 0)) + more;
            }

            // Token endpoints answer {"error": "...", "error_description": "..."} (OAuth2) or {"details": "..."}.
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var oauth = string.Join(": ", new[] { Text(document.RootElement, "error", redactKnown), Text(document.RootElement, "error_description", redactKnown), Text(document.RootElement, "details", redactKnown) }.Where(p => p.Length > 0));
                if (oauth.Length > 0)
                {
                    return oauth;
                }
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not text (invalid UTF-8, a lone surrogate escape): fall through to a cleaned-up excerpt.
        }

        return Echo(Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxMessageChars * 4)]), redactKnown);
    }

    /// <summary>
    /// Text a registry sent (a header, a reason phrase, part of a body) made fit for a message: secrets the caller
    /// knows and credential-shaped values redacted first, then one short printable line.
    /// </summary>
    public static string Echo(string text, Func<string, string>? redactKnown = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Clean(RedactCredentials(redactKnown is null ? text : redactKnown(text)));
    }

    /// <summary>
    /// Redacts values shaped like credentials wherever they appear: an authorization scheme's parameter
    /// (<c>Basic …</c>, <c>Bearer …</c>), the password of a URL's <c>user:password@</c>, and token or password
    /// parameters (<c>access_token=…</c>, <c>"password":"…"</c>).
    /// </summary>
    public static string RedactCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = AuthorizationValue().Replace(text, m => m.Groups["scheme"].Value + m.Groups["space"].Value + Redaction.Redact(m.Groups["secret"].Value));
        text = UrlUserInfo().Replace(text, m => m.Groups["prefix"].Value + Redaction.Redact(m.Groups["secret"].Value) + "@");
        return SecretParameter().Replace(text, m => m.Groups["name"].Value + Redaction.Redact(m.Groups["secret"].Value));
    }

    private static string Text(JsonElement element, string name, Func<string, string> redactKnown) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Echo(value.GetString() ?? string.Empty, redactKnown)
            : string.Empty;

    // A scheme's parameter that has a digit, capital or base64 sign in it (so "Bearer realm=" and "basic authentication"
    // stay); never what is already redacted ("abcd…(52 chars)").
    [GeneratedRegex(@"(?<scheme>\b(?i:Basic|Bearer))(?<space>[\s:=]+)(?!(?i:realm|service|scope|error)\b)(?<secret>(?=[A-Za-z0-9._~+/-]*[0-9A-Z+/])[A-Za-z0-9._~+/-]{4,}=*)(?![A-Za-z0-9._~+/=…-])", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)(?<secret>[^\s/@…]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    // Named secrets in JSON, form or query syntax; "token" and "sig" only with '=', since "token: expired" is prose.
    [GeneratedRegex(@"(?<name>\b(?:(?:access_token|refresh_token|id_token|identitytoken|password|passwd|client_secret)""?\s*[=:]\s*""?|(?:token|sig|X-Amz-Signature|X-Amz-Credential)=))(?<secret>[^\s""&,;}…]{4,})(?![^\s""&,;}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    /// <summary>One line, printable, short.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxMessageChars));
        foreach (var c in text)
        {
            if (builder.Length >= MaxMessageChars)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
