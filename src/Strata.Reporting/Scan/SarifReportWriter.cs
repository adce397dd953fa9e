namespace Strata.Reporting.Scan;

using System.Globalization;
using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// SARIF 2.1.0: one run, the catalog's rules in tool.driver.rules (with help text), one result per finding.
/// Files are artifact URIs relative to <see cref="SourceRoot"/> (the working directory) or absolute file URIs
/// when outside it; what is inside an image is a logical location (image, image layer, path) and a nested artifact
/// (see <see cref="SarifLocations"/>).
/// </summary>
public sealed class SarifReportWriter : IReportWriter<ScanDocument>
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The one <c>originalUriBaseIds</c> entry; GitHub code scanning and the SARIF viewers know it.</summary>
    public const string SourceRoot = "%SRCROOT%";

    private readonly string workingDirectory;

    public SarifReportWriter(string workingDirectory)
    {
        this.workingDirectory = workingDirectory;
    }

    public string Format => "sarif";

    public async Task WriteAsync(ScanDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var report = document.Report;

        // Every catalog rule is listed, so a consumer can show help for rules that found nothing;
        // advisory IDs (CVE-…) that are not in the catalog get a rule made from their first finding.
        var rules = new List<Rule>(document.Catalog.Rules);
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        foreach (var finding in report.Findings.Concat(report.Suppressed.Select(s => s.Finding)))
        {
            if (!index.ContainsKey(finding.RuleId))
            {
                index[finding.RuleId] = rules.Count;
                rules.Add(new Rule
                {
                    Id = finding.RuleId,
                    Title = finding.Title,
                    Severity = finding.Severity,
                    Layer = finding.Layer,
                    Explanation = finding.Explanation ?? finding.Title,
                    Remediation = finding.Remediation ?? "See the references.",
                    References = finding.References,
                });
            }
        }

        var locations = new SarifLocations(workingDirectory, report.Targets.Select(t => t.Target));
        var results = new List<(Finding Finding, string? Suppression, SarifLocations.Placed Where)>();
        foreach (var finding in report.Findings)
        {
            results.Add((finding, null, locations.Place(finding)));
        }

        foreach (var suppressed in report.Suppressed)
        {
            results.Add((suppressed.Finding, suppressed.Entry.Reason, locations.Place(suppressed.Finding)));
        }

        await using var json = new Utf8JsonWriter(output, ReportSchema.WriterOptions);
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "Strata");
        json.WriteString("semanticVersion", report.ToolVersion);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(json, rule);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", report.Targets.All(t => t.Error is null));
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var target in report.Targets.Where(t => t.Error is not null))
        {
            WriteNotification(json, "error", $"{target.Target.Name}: {target.Error}");
        }

        foreach (var warning in report.Warnings)
        {
            WriteNotification(json, "warning", warning);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRoot);
        json.WriteString("uri", locations.RootUri);
        json.WriteEndObject();
        json.WriteEndObject();

        locations.WriteRunArrays(json);

        json.WriteStartArray("results");
        foreach (var (finding, suppression, where) in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteResult(json, finding, index[finding.RuleId], suppression, where);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static string LevelOf(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    // GitHub code scanning reads this property to rank security results.
    private static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "0.0",
    };

    private static void WriteRule(Utf8JsonWriter json, Rule rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", PascalName(rule.Title));
        json.WriteStartObject("shortDescription");
        json.WriteString("text", rule.Title);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", rule.Explanation);
        json.WriteEndObject();
        json.WriteStartObject("help");
        json.WriteString("text", $"{rule.Explanation}\n\nRemediation: {rule.Remediation}");
        json.WriteString("markdown", RuleMarkdown.Help(rule));
        json.WriteEndObject();
        if (rule.References.FirstOrDefault(r => r.StartsWith("https://", StringComparison.Ordinal)) is { } helpUri)
        {
            json.WriteString("helpUri", helpUri);
        }

        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", LevelOf(rule.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("family", rule.Family);
        json.WriteString("layer", rule.Layer.ToName());
        json.WriteString("severity", rule.Severity.ToName());
        json.WriteString("security-severity", SecuritySeverity(rule.Severity));
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue(rule.Layer.ToName());
        json.WriteStringValue(rule.Family);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, int ruleIndex, string? suppression, SarifLocations.Placed where)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", LevelOf(finding.Severity));
        json.WriteStartObject("message");
        var text = finding.Evidence is { } evidence ? $"{finding.Message} Evidence: {evidence.Text}" : finding.Message;
        json.WriteString("text", text);
        json.WriteEndObject();

        json.WriteStartArray("locations");
        SarifLocations.WriteLocation(json, finding.Location, where);
        json.WriteEndArray();

        json.WriteStartObject("partialFingerprints");
        json.WriteString("strataFingerprint/v1", finding.Fingerprint);
        json.WriteEndObject();

        if (suppression is not null)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", "external");
            json.WriteString("justification", suppression);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        var location = finding.Location;
        json.WriteStartObject("properties");
        json.WriteString("severity", finding.Severity.ToName());
        json.WriteString("layer", finding.Layer.ToName());
        json.WriteString("family", RuleFamilies.FamilyOf(finding.RuleId));
        json.WriteString("target", finding.Target);
        ReportSchema.WriteIfSet(json, "path", location.Path);
        ReportSchema.WriteIfSet(json, "imageLayerDigest", location.LayerDigest);
        if (location.LayerIndex is int layerIndex)
        {
            json.WriteNumber("imageLayerIndex", layerIndex);
        }

        ReportSchema.WriteIfSet(json, "createdBy", location.CreatedBy);
        if (finding.Evidence is { } shown)
        {
            json.WriteString("evidence", shown.Text);
            if (shown.Kind is { } kind)
            {
                json.WriteString("evidenceKind", kind.ToName());
            }
        }

        // A summary result: how many more results of its rule on its target are not written one by one.
        if (finding.Folded > 0)
        {
            json.WriteNumber("folded", finding.Folded);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNotification(Utf8JsonWriter json, string level, string message)
    {
        json.WriteStartObject();
        json.WriteString("level", level);
        json.WriteStartObject("message");
        json.WriteString("text", message);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string PascalName(string title)
    {
        var words = title.Split([' ', '-', '_', '/', '.', ',', '(', ')', ':', '\''], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select(w => char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..]));
    }
}
