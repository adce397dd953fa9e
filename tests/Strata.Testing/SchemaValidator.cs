namespace Strata.Testing;

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;

/// <summary>Validates documents Strata writes against the official schemas in ../shared/schemas.</summary>
public static class SchemaValidator
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);

    /// <summary>SARIF 2.1.0 (../shared/schemas/sarif-schema-2.1.0.json).</summary>
    public static IReadOnlyList<string> ValidateSarif(string json) => Validate(json, Path.Combine(RepoPaths.Shared, "schemas", "sarif-schema-2.1.0.json"));

    /// <summary>Strata's own JSON report schema (docs/schema/strata-report.schema.json).</summary>
    public static IReadOnlyList<string> ValidateStrataReport(string json) => Validate(json, Path.Combine(RepoPaths.Root, "docs", "schema", "strata-report.schema.json"));

    /// <summary>Returns one line per error; empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(string json, string schemaPath)
    {
        var schema = Schemas.GetOrAdd(schemaPath, p => new Lazy<JsonSchema>(() => Load(p))).Value;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)")];
    }

    private static JsonSchema Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        // The SARIF schema is draft-04, which JsonSchema.Net does not implement. The only draft-04
        // keyword it uses that later drafts renamed is the top-level "id" (now "$id"), which only names the
        // schema; it uses no boolean exclusiveMinimum/Maximum. So it is evaluated as draft-07 without that name.
        if (root["$schema"]?.GetValue<string>() == "http://json-schema.org/draft-04/schema#")
        {
            root["$schema"] = "http://json-schema.org/draft-07/schema#";
            root.Remove("id");
        }

        // A private registry per schema: the global one refuses a second schema with the same $id.
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
