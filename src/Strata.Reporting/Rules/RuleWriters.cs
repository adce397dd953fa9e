namespace Strata.Reporting.Rules;

using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary><c>strata rules list</c> as text: one row per rule, the title cut to the width.</summary>
public sealed class RuleListTableWriter(ReportSettings settings) : IReportWriter<RuleListDocument>
{
    private static readonly string[] Header = ["ID", "SEVERITY", "LAYER", "TITLE"];

    public string Format => "table";

    public async Task WriteAsync(RuleListDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var rows = new List<string[]> { Header };
        rows.AddRange(document.Rules.Select(r => new[] { r.Id, r.Severity.ToName(), r.Layer.ToName(), r.Title }));
        var text = new StringBuilder();
        TextTable.Append(text, rows, [0, 1, 2], settings.Width);
        var layer = document.Layer is StackLayer only ? $" of the {only.ToName()} layer" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"{document.Rules.Count} rules{layer}\n");
        await DisplayText.WriteAsync(text.ToString(), output, cancellationToken);
    }
}

/// <summary><c>strata rules list --format json</c> (<c>kind: rule-list</c>), documented in docs/json-schema.md.</summary>
public sealed class RuleListJsonWriter(ReportSettings settings) : IReportWriter<RuleListDocument>
{
    public string Format => "json";

    public async Task WriteAsync(RuleListDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "rule-list", settings.ToolVersion);
        ReportSchema.WriteNullable(json, "layer", document.Layer?.ToName());
        json.WriteStartArray("rules");
        foreach (var rule in document.Rules)
        {
            json.WriteStartObject();
            RuleJsonWriter.WriteSummary(json, rule);
            ReportSchema.WriteStrings(json, "equivalents", rule.Equivalents);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }
}

/// <summary><c>strata rules explain</c>: the rule's page, as in docs/rules/.</summary>
public sealed class RuleMarkdownWriter : IReportWriter<RuleDocument>
{
    public string Format => "markdown";

    public Task WriteAsync(RuleDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return DisplayText.WriteAsync(RuleMarkdown.Page(document.Rule), output, cancellationToken);
    }
}

/// <summary><c>strata rules explain --format json</c> (<c>kind: rule</c>), documented in docs/json-schema.md.</summary>
public sealed class RuleJsonWriter(ReportSettings settings) : IReportWriter<RuleDocument>
{
    public string Format => "json";

    public async Task WriteAsync(RuleDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var rule = document.Rule;
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "rule", settings.ToolVersion);
        json.WriteStartObject("rule");
        WriteSummary(json, rule);
        json.WriteString("explanation", rule.Explanation);
        json.WriteString("remediation", rule.Remediation);
        ReportSchema.WriteStrings(json, "references", rule.References);
        ReportSchema.WriteStrings(json, "equivalents", rule.Equivalents);
        json.WriteStartArray("examples");
        foreach (var example in rule.Examples)
        {
            json.WriteStartObject();
            json.WriteString("text", example.Text);
            json.WriteBoolean("flagged", example.Flagged);
            ReportSchema.WriteNullable(json, "note", example.Note);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>What <c>rules list</c> shows of each rule, and <c>rules explain</c> starts with.</summary>
    internal static void WriteSummary(Utf8JsonWriter json, Rule rule)
    {
        json.WriteString("id", rule.Id);
        json.WriteString("title", rule.Title);
        json.WriteString("severity", rule.Severity.ToName());
        json.WriteString("layer", rule.Layer.ToName());
        json.WriteString("family", rule.Family);
    }
}
