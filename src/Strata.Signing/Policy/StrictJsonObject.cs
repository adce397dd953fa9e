namespace Strata.Signing.Policy;

using System.Text.Json;

/// <summary>
/// One JSON object read as containers/image's policy parser reads it: duplicate keys and unknown keys are errors,
/// "exact field" objects must name every field, and values have Go's types (a JSON null leaves a string empty).
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly Dictionary<string, JsonElement> fields;

    private StrictJsonObject(Dictionary<string, JsonElement> fields) => this.fields = fields;

    /// <summary>Reads an object whose keys must satisfy <paramref name="isKnown"/>.</summary>
    public static StrictJsonObject Read(JsonElement element, string where, Func<string, bool> isKnown)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where}: JSON object expected, got {Describe(element)}");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (fields.ContainsKey(property.Name))
            {
                throw new PolicyFormatException($"{where}: duplicate key \"{property.Name}\"");
            }

            if (!isKnown(property.Name))
            {
                throw new PolicyFormatException($"{where}: unknown key \"{property.Name}\"");
            }

            fields.Add(property.Name, property.Value);
        }

        return new StrictJsonObject(fields);
    }

    /// <summary>Reads an object that must have exactly <paramref name="names"/>, each of them.</summary>
    public static StrictJsonObject ReadExact(JsonElement element, string where, params string[] names)
    {
        var read = Read(element, where, names.Contains);
        foreach (var name in names)
        {
            if (!read.Has(name))
            {
                throw new PolicyFormatException($"{where}: key \"{name}\" missing");
            }
        }

        return read;
    }

    /// <summary>The "type" of a polymorphic object, read leniently first as Go does to choose the concrete type.</summary>
    public static string TypeOf(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException($"{where}: JSON object expected, got {Describe(element)}");
        }

        string type = string.Empty;
        foreach (var property in element.EnumerateObject())
        {
            // encoding/json matches field names case-insensitively and keeps the last value.
            if (string.Equals(property.Name, "type", StringComparison.OrdinalIgnoreCase))
            {
                type = AsString(property.Value, $"{where}.{property.Name}");
            }
        }

        return type;
    }

    public bool Has(string name) => fields.ContainsKey(name);

    public JsonElement? Element(string name) => fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>The string value, "" when absent or null (Go's zero value).</summary>
    public string String(string name, string where) => fields.TryGetValue(name, out var value) ? AsString(value, $"{where}.{name}") : string.Empty;

    /// <summary>The string array, null when absent or JSON null.</summary>
    public IReadOnlyList<string>? StringArray(string name, string where)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PolicyFormatException($"{where}.{name}: expected an array of strings, got {Describe(value)}");
        }

        return [.. value.EnumerateArray().Select((item, i) => AsString(item, $"{where}.{name}[{i}]"))];
    }

    /// <summary>Base64 bytes (Go's []byte), null when absent or JSON null.</summary>
    public byte[]? Bytes(string name, string where)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return AsBytes(value, $"{where}.{name}");
    }

    /// <summary>An array of base64 byte strings, null when absent or JSON null.</summary>
    public IReadOnlyList<byte[]>? BytesArray(string name, string where)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PolicyFormatException($"{where}.{name}: expected an array of base64 strings, got {Describe(value)}");
        }

        return [.. value.EnumerateArray().Select((item, i) => AsBytes(item, $"{where}.{name}[{i}]"))];
    }

    private static string AsString(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null => string.Empty,
        _ => throw new PolicyFormatException($"{where}: expected a string, got {Describe(value)}"),
    };

    private static byte[] AsBytes(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new PolicyFormatException($"{where}: expected a base64 string, got {Describe(value)}");
        }

        var text = value.GetString() ?? string.Empty;
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? buffer[..written]
            : throw new PolicyFormatException($"{where}: not valid base64");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
