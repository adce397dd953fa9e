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
