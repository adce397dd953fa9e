namespace Strata.Oci.Model;

using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;

/// <summary>
/// Typed reads from a JSON document that fail with one line naming the document and the JSON path at fault.
/// </summary>
internal readonly struct JsonFields
{
    private readonly string what;

    private JsonFields(JsonElement element, string what, string path)
    {
        Element = element;
        this.what = what;
        Path = path;
    }

    public JsonElement Element { get; }

    public string Path { get; }

    /// <summary>
    /// Parses a JSON document bounded by <paramref name="limits"/> (depth, nodes; its size was bounded where it was read,
    /// by the manifest, config or document limit); <paramref name="what"/> names it in errors.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string what, Limits? limits = null)
    {
        limits ??= Limits.Default;
        var largest = Math.Max(limits.MaxDocumentBytes, Math.Max(limits.MaxManifestBytes, limits.MaxConfigBytes));
        if (bytes.Length > largest)
        {
            throw StrataException.BadInput($"{what}: {bytes.Length} bytes is more than the {largest} bytes allowed for a JSON document.");
        }

        try
        {
            // Malformed JSON fails here as in the parse (a JsonException), with the same message.
            JsonStrings.Validate(bytes.Span, what, limits);
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException error)
        {
            throw StrataException.BadInput($"{what}: malformed JSON at line {(error.LineNumber ?? 0) + 1}, byte {(error.BytePositionInLine ?? 0) + 1}: {FirstLine(error.Message)}", error);
        }
    }

    public static JsonFields Root(JsonDocument document, string what)
    {
        var root = new JsonFields(document.RootElement, what, "$");
        root.RequireKind(JsonValueKind.Object);
        return root;
    }

    /// <summary>The objects of a top-level JSON array (docker-archive's manifest.json).</summary>
    public static IReadOnlyList<JsonFields> Elements(JsonElement array, string what)
    {
        var items = new List<JsonFields>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = new JsonFields(item, what, $"$[{index}]");
            field.RequireKind(JsonValueKind.Object);
            items.Add(field);
            index++;
        }

        return items;
    }

    public StrataException Fail(string message) => StrataException.BadInput($"{what}: {Path}: {message}");

    public bool Has(string name) => TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonFields? Object(string name)
    {
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var child = new JsonFields(value, what, Path + "." + name);
        child.RequireKind(JsonValueKind.Object);
        return child;
    }

    public string? String(string name)
    {
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw StrataException.BadInput($"{what}: {Path}.{name}: expected a string, found {value.ValueKind}.");
    }

    public string RequiredString(string name) =>
        String(name) ?? throw StrataException.BadInput($"{what}: {Path}.{name}: required string is missing.");

    public long? Int64(string name)
    {
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw StrataException.BadInput($"{what}: {Path}.{name}: expected an integer, found {value.ValueKind}.");
    }

    public bool? Boolean(string name)
    {
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw StrataException.BadInput($"{what}: {Path}.{name}: expected true or false, found {value.ValueKind}."),
        };
    }

    public IReadOnlyList<JsonFields> Array(string name)
    {
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw StrataException.BadInput($"{what}: {Path}.{name}: expected an array, found {value.ValueKind}.");
        }

        var items = new List<JsonFields>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add(new JsonFields(item, what, $"{Path}.{name}[{index}]"));
            index++;
        }

        return items;
    }

    public IReadOnlyList<string> StringArray(string name)
    {
        var items = Array(name);
        var strings = new List<string>(items.Count);
        foreach (var item in items)
        {
            strings.Add(item.Element.ValueKind == JsonValueKind.String
                ? item.Element.GetString() ?? string.Empty
                : throw item.Fail($"expected a string, found {item.Element.ValueKind}."));
        }

        return strings;
    }

    /// <summary>A JSON object of strings (labels, annotations).</summary>
    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(name) is not { } child)
        {
            return map;
        }

        foreach (var property in child.Element.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString() ?? string.Empty
                : throw StrataException.BadInput($"{what}: {child.Path}.{property.Name}: expected a string, found {property.Value.ValueKind}.");
        }

        return map;
    }

    /// <summary>The keys of a JSON object used as a set (ExposedPorts, Volumes).</summary>
    public IReadOnlyList<string> KeySet(string name)
    {
        if (Object(name) is not { } child)
        {
            return [];
        }

        var keys = new List<string>();
        foreach (var property in child.Element.EnumerateObject())
        {
            keys.Add(property.Name);
        }

        return keys;
    }

    public JsonFields Item(int index) => new(Element[index], what, $"{Path}[{index}]");

    // A field read from an array item or value that is not an object fails naming its path (found by fuzzing: "layers": ["x"]),
    // where JsonElement.TryGetProperty would throw InvalidOperationException.
    private bool TryGetProperty(string name, out JsonElement value)
    {
        RequireKind(JsonValueKind.Object);
        return Element.TryGetProperty(name, out value);
    }

    private void RequireKind(JsonValueKind kind)
    {
        if (Element.ValueKind != kind)
        {
            throw Fail($"expected {(kind == JsonValueKind.Object ? "an object" : kind.ToString())}, found {Element.ValueKind}.");
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
