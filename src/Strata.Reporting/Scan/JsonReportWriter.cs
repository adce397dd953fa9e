namespace Strata.Reporting.Scan;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Targets;

/// <summary>
/// The JSON scan report (<c>kind: scan</c>) in the schema of <see cref="ReportSchema"/>; documented in
/// docs/json-schema.md and formally in docs/schema/strata-report.schema.json.
/// </summary>
public sealed class JsonReportWriter : IReportWriter<ScanDocument>
{
    public string Format => "json";

    public async Task WriteAsync(ScanDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var report = document.Report;
        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        ReportSchema.WriteStart(json, "scan", report.ToolVersion);
        json.WriteString("createdAt", report.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

        var foldedByTarget = report.Findings.Where(f => f.Folded > 0).GroupBy(f => f.Target).ToDictionary(g => g.Key, g => g.Sum(f => f.Folded), StringComparer.Ordinal);
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
            if (foldedByTarget.TryGetValue(target.Target.Name, out var folded))
            {
                json.WriteNumber("folded", folded);
            }

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
        json.WriteNumber("warnings", report.Warnings.Count);
        json.WriteNumber("folded", report.Folded);
        json.WriteEndObject();

        json.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            cancellationToken.ThrowIfCancellationRequested();
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
        ReportSchema.WriteIfSet(json, "file", location.File);
        ReportSchema.WriteIfSet(json, "path", location.Path);
        ReportSchema.WriteIfSet(json, "imageLayerDigest", location.LayerDigest);
        if (location.LayerIndex is int layerIndex)
        {
            json.WriteNumber("imageLayerIndex", layerIndex);
        }

        ReportSchema.WriteIfSet(json, "createdBy", location.CreatedBy);
        ReportSchema.WriteIfSet(json, "jsonPath", location.JsonPath);
        if (location.Line is int line)
        {
            json.WriteNumber("line", line);
        }

        if (location.Column is int column)
        {
            json.WriteNumber("column", column);
        }

        ReportSchema.WriteIfSet(json, "subject", location.Subject);
        json.WriteEndObject();
        if (finding.Evidence is { } evidence)
        {
            json.WriteStartObject("evidence");
            json.WriteString("text", evidence.Text);
            json.WriteBoolean("redacted", evidence.IsRedacted);
            if (evidence.Kind is { } kind)
            {
                json.WriteString("kind", kind.ToName());
            }

            json.WriteEndObject();
        }

        json.WriteString("fingerprint", finding.Fingerprint);
        if (finding.Folded > 0)
        {
            json.WriteNumber("folded", finding.Folded);
        }

        json.WriteEndObject();
    }
}
