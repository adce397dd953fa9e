namespace Strata.Oci.Registry;

using System.Text;
using System.Text.Json;
using Strata.Core;

/// <summary>Summarises a registry error body (<c>{"errors":[{"code","message"}]}</c>) into one short line.</summary>
internal static class RegistryErrorBody
{
    /// <summary>Error bodies are read only this far: enough for any real error list.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxErrors = 3;
    private const int MaxMessageChars = 200;

    public static string Summarize(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = Limits.MaxJsonDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                var parts = new List<string>();
                foreach (var error in errors.EnumerateArray().Take(MaxErrors))
                {
                    var code = Text(error, "code");
                    var message = Text(error, "message");
                    parts.Add(code.Length > 0 && message.Length > 0 ? $"{code}: {message}" : code + message);
                }

                var more = errors.GetArrayLength() > MaxErrors ? $" (+{errors.GetArrayLength() - MaxErrors} more)" : string.Empty;
                return string.Join("; ", parts.Where(p => p.Length > 0)) + more;
            }

            // Token endpoints answer {"error": "...", "error_description": "..."} (OAuth2) or {"details": "..."}.
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var oauth = string.Join(": ", new[] { Text(document.RootElement, "error"), Text(document.RootElement, "error_description"), Text(document.RootElement, "details") }.Where(p => p.Length > 0));
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

        return Clean(Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxMessageChars * 4)]));
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Clean(value.GetString() ?? string.Empty)
            : string.Empty;

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
