namespace Strata.Reporting.Tests;

using System.Text;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>Scan reports built by hand, and a writer run into a string.</summary>
internal static class Reports
{
    public static Finding Finding(string ruleId, string target, Location location, string message = "found it", Severity severity = Severity.High, StackLayer layer = StackLayer.Runtime, Evidence? evidence = null) => new()
    {
        RuleId = ruleId,
        Severity = severity,
        Layer = layer,
        Title = $"Title of {ruleId}",
        Message = message,
        Target = target,
        Location = location,
        Evidence = evidence,
    };

    public static ScanDocument Document(IEnumerable<ScanTarget> targets, IEnumerable<Finding> findings, params string[] warnings)
    {
        var ordered = ScanReport.Order(findings);
        var results = targets.Select(t => new TargetResult(t, ["test"], ordered.Count(f => f.Target == t.Name), null)).ToList();
        var report = new ScanReport
        {
            ToolVersion = "1.2.3",
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Targets = results,
            Findings = ordered,
            Warnings = warnings,
        };
        return new ScanDocument(report, new RuleCatalog([]));
    }

    public static async Task<string> WriteAsync<T>(IReportWriter<T> writer, T document)
    {
        using var stream = new MemoryStream();
        await writer.WriteAsync(document, stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
