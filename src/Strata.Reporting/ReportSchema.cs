namespace Strata.Reporting;

using System.Text.Encodings.Web;
using System.Text.Json;

/// <summary>
/// The one versioned schema of every JSON document Strata writes (docs/json-schema.md,
/// docs/schema/strata-report.schema.json). Fields are only added within a major version; a removal or a change
/// of meaning raises the major version.
/// </summary>
public static class ReportSchema
{
    public const string Version = "2.0";

    /// <summary>Indented, and non-ASCII text written as it is (JSON strings stay valid; redaction happened before).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Starts the document object with what every document has: <c>schemaVersion</c>, <c>kind</c>, <c>tool</c>, <c>toolVersion</c>.</summary>
    public static void WriteStart(Utf8JsonWriter json, string kind, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("schemaVersion", Version);
        json.WriteString("kind", kind);
        json.WriteString("tool", "strata");
        json.WriteString("toolVersion", toolVersion);
    }

    /// <summary>The value, or JSON <c>null</c>: a field that does not apply is <c>null</c>, never missing.</summary>
    public static void WriteNullable(Utf8JsonWriter json, string name, string? value) => Core.Documents.JsonText.WriteNullable(json, name, value);

    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string>? values) => Core.Documents.JsonText.WriteStrings(json, name, values);

    public static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>Only when set (scan findings omit what does not apply, as their schema says).</summary>
    public static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
