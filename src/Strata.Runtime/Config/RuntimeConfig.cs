namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;

/// <summary>An OCI runtime-spec config.json, read with line numbers; checks query it by JSON path.</summary>
public sealed class RuntimeConfig
{
    public RuntimeConfig(JsonSource source, string file)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Root.ValueKind != JsonValueKind.Object)
        {
            throw StrataException.BadInput($"{file}:1: an OCI runtime config must be a JSON object.");
        }

        Source = source;
        File = file;
    }

    public JsonSource Source { get; }

    /// <summary>The file as findings name it.</summary>
    public string File { get; }

    /// <summary>The element at a simple dotted path such as <c>process.user.uid</c>, or null.</summary>
    public JsonElement? Get(string dottedPath)
    {
        var current = Source.Root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The array at <paramref name="dottedPath"/>, or null when absent; any other type fails the target, naming file, line and path.</summary>
    public JsonElement? ArrayAt(string dottedPath) => Typed(dottedPath, JsonValueKind.Array, "an array");

    /// <summary>The object at <paramref name="dottedPath"/>, or null when absent; any other type fails the target.</summary>
    public JsonElement? ObjectAt(string dottedPath) => Typed(dottedPath, JsonValueKind.Object, "an object");

    /// <summary>The strings of the array at <paramref name="dottedPath"/> with their indexes; an element of another type fails the target.</summary>
    public IEnumerable<(string Value, int Index)> StringsAt(string dottedPath)
    {
        if (ArrayAt(dottedPath) is not { } array)
        {
            yield break;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                throw WrongType($"$.{dottedPath}[{index}]", "a string", element.ValueKind);
            }

            yield return (element.GetString()!, index++);
        }
    }

    /// <summary>A location for an element of an array, e.g. <c>$.mounts[3].source</c>.</summary>
    public Location AtPath(string jsonPath, string? subject = null) =>
        new() { File = File, JsonPath = jsonPath, Line = Source.LineOf(jsonPath), Subject = subject };

    public StrataException WrongType(string jsonPath, string expected, JsonValueKind found) =>
        StrataException.BadInput($"{File}:{Source.LineOf(jsonPath) ?? 1}: {jsonPath}: expected {expected}, found {found.ToString().ToLowerInvariant()}.");

    private JsonElement? Typed(string dottedPath, JsonValueKind kind, string expected)
    {
        if (Get(dottedPath) is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == kind ? element : throw WrongType("$." + dottedPath, expected, element.ValueKind);
    }

    /// <summary>A location for the value at <paramref name="dottedPath"/>, or its nearest existing parent's line.</summary>
    public Location At(string dottedPath, string? subject = null)
    {
        var jsonPath = "$." + dottedPath;
        var line = Source.LineOf(jsonPath);
        var parent = dottedPath;
        while (line is null && parent.Contains('.', StringComparison.Ordinal))
        {
            parent = parent[..parent.LastIndexOf('.')];
            line = Source.LineOf("$." + parent);
        }

        return new Location { File = File, JsonPath = jsonPath, Line = line, Subject = subject };
    }
}
