namespace Strata.Core.Documents;

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

/// <summary>
/// The small pieces every JSON report of Strata writes the same way: indented text with a final newline, and fields
/// that are JSON null when they do not apply (never missing).
/// </summary>
public static class JsonText
{
    /// <summary>Indented JSON written by <paramref name="write"/>, with a final newline.</summary>
    /// <param name="relaxed">Leave non-ASCII and HTML-significant characters unescaped (for text a person reads; never for HTML).</param>
    public static string Render(Action<Utf8JsonWriter> write, bool relaxed = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true };
        if (relaxed)
        {
            options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        }

        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The value, or JSON null.</summary>
    public static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The number, or JSON null.</summary>
    public static void WriteNullable(Utf8JsonWriter json, string name, ulong? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>An array of strings, or JSON null when <paramref name="values"/> is null.</summary>
    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string>? values)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
