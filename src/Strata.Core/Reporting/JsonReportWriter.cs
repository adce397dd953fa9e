namespace Strata.Core.Reporting;

using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>
/// The JSON report, schema version <see cref="ScanReport.SchemaVersion"/>; documented in docs/json-schema.md
/// and formally in docs/schema/strata-report.schema.json.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    public string Format => "json";

    public async Task WriteAsync(ScanReport report, RuleCatalog catalog, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("schemaVersion", ScanReport.SchemaVersion);
        json.WriteString("tool", "strata");
        json.WriteString("toolVersion", report.ToolVersion);
        json.WriteString("createdAt", report.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

        json.WriteStartArray("targets");
        foreach (var target in report.Targets)
        {
            json.WriteStartObject();
            json.WriteString("name", target.Target.Name);
            json.WriteString("kind", target.Target.Kind.ToName());
            json.WriteStartArray("scanners");
            foreach (var scanner in target.Scanners)
            {
                json.WriteStringValue(scanner);
            }

            json.WriteEndArray();
            json.WriteNumber("findings", target.FindingCount);
            if (target.Error is not null)
            {
                json.WriteString("error", target.Error);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartObject("summary");
        foreach (var severity in Enum.GetValues<Severity>().Reverse())
        {
            json.WriteNumber(severity.ToName(), report.Findings.Count(f => f.Severity == severity));
        }

        json.WriteNumber("suppressed", report.Suppressed.Count);
        json.WriteEndObject();

        json.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            WriteFinding(json, finding);
        }

        json.WriteEndArray();

        json.WriteStartArray("suppressed");
        foreach (var suppressed in report.Suppressed)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", suppressed.Finding.RuleId);
            json.WriteString("fingerprint", suppressed.Finding.Fingerprint);
            json.WriteString("target", suppressed.Finding.Target);
            json.WriteString("location", suppressed.Finding.Location.Describe());
            json.WriteString("reason", suppressed.Entry.Reason);
            if (suppressed.Entry.Expires is DateOnly expires)
            {
                json.WriteString("expires", expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("warnings");
        foreach (var warning in report.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteString("family", RuleFamilies.FamilyOf(finding.RuleId));
        json.WriteString("severity", finding.Severity.ToName());
        json.WriteString("layer", finding.Layer.ToName());
        json.WriteString("title", finding.Title);
        json.WriteString("message", finding.Message);
        if (finding.Explanation is not null)
        {
            json.WriteString("explanation", finding.Explanation);
        }

        if (finding.Remediation is not null)
        {
            json.WriteString("remediation", finding.Remediation);
        }

        json.WriteStartArray("references");
        foreach (var reference in finding.References)
        {
            json.WriteStringValue(reference);
        }

        json.WriteEndArray();
        json.WriteString("target", finding.Target);
        json.WriteStartObject("location");
        var location = finding.Location;
        WriteIfSet(json, "file", location.File);
        WriteIfSet(json, "path", location.Path);
        WriteIfSet(json, "layerDigest", location.LayerDigest);
        if (location.LayerIndex is int layerIndex)
        {
            json.WriteNumber("layerIndex", layerIndex);
        }

        WriteIfSet(json, "createdBy", location.CreatedBy);
        WriteIfSet(json, "jsonPath", location.JsonPath);
        if (location.Line is int line)
        {
            json.WriteNumber("line", line);
        }

        if (location.Column is int column)
        {
            json.WriteNumber("column", column);
        }

        WriteIfSet(json, "subject", location.Subject);
        json.WriteEndObject();
        if (finding.Evidence is { } evidence)
        {
            json.WriteStartObject("evidence");
            json.WriteString("text", evidence.Text);
            json.WriteBoolean("redacted", evidence.IsRedacted);
            json.WriteEndObject();
        }

        json.WriteString("fingerprint", finding.Fingerprint);
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
