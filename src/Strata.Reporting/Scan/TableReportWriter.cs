namespace Strata.Reporting.Scan;

using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;

/// <summary>
/// The human report, as wide as the terminal: a summary per target and per rule, then the findings by layer
/// and severity. Findings that differ only in their subject (18 syscalls on one line of one profile) are one row
/// listing the subjects. Every text that came from scanned input is made printable first (<see cref="DisplayText"/>).
/// </summary>
public sealed class TableReportWriter : IReportWriter<ScanDocument>
{
    /// <summary>Evidence is a hint next to the message, not a copy of the input: longer evidence is cut.</summary>
    private const int EvidenceLength = 100;

    private readonly ReportSettings settings;

    public TableReportWriter(ReportSettings settings)
    {
        this.settings = settings;
    }

    public string Format => "table";

    public async Task WriteAsync(ScanDocument document, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await SpectreOutput.WriteAsync(output, settings, console => Render(console, document.Report, cancellationToken), cancellationToken);
    }

    private static void Render(IAnsiConsole console, ScanReport report, CancellationToken cancellationToken)
    {
        var targets = report.Targets.Select(t => t.Target).DistinctBy(t => t.Name).ToDictionary(t => t.Name, StringComparer.Ordinal);

        // With one target, the summary names it once and the rows need not repeat it.
        var nameTargets = targets.Count > 1;
        console.Write(TargetSummary(report, cancellationToken));
        if (report.Findings.Count > 0)
        {
            console.Write(RuleSummary(report.Findings, cancellationToken));
        }

        foreach (var layer in report.Findings.GroupBy(f => f.Layer).OrderBy(g => g.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            console.WriteLine();
            console.Write(new Spectre.Console.Rule($"[bold]Layer: {layer.Key.ToName()}[/] ({Count(layer.Count(), "finding")})") { Justification = Justify.Left });
            foreach (var severity in layer.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
            {
                var table = new Table { Border = TableBorder.Rounded, Expand = false };
                table.Title = new TableTitle($"{severity.Key.ToName()} ({severity.Count()})", new Style(ColourOf(severity.Key), decoration: Decoration.Bold));
                table.AddColumn("Rule");
                table.AddColumn("Location");
                table.AddColumn("Finding");
                foreach (var group in severity.GroupBy(f => (f.RuleId, f.Target, Summary: f.Folded > 0, Location: f.Location with { Subject = null })))
                {
                    var findings = group.ToList();
                    var first = findings[0];
                    targets.TryGetValue(first.Target, out var target);
                    var where = findings.Count == 1 ? first.Location : group.Key.Location;
                    table.AddRow(Cells(cancellationToken, new Text(first.RuleId), new Text(Where(first.Target, target, where, nameTargets)), new Text(Detail(findings))));
                }

                console.Write(table);
            }
        }

        console.WriteLine();
        var counts = Enum.GetValues<Severity>().Reverse().Select(s => $"{report.Findings.Count(f => f.Severity == s)} {s.ToName().ToLowerInvariant()}");
        var folded = report.Folded > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {report.Folded:N0} more folded into {Count(report.Findings.Count(f => f.Folded > 0), "summary finding")}")
            : string.Empty;
        console.Write(new Text($"Total: {Count(report.Findings.Count, "finding")} ({string.Join(", ", counts)}){folded}; {report.Suppressed.Count} suppressed{Warned(report.Warnings.Count)}.\n"));
        foreach (var warning in report.Warnings)
        {
            console.Write(new Markup($"[yellow]warning:[/] {Markup.Escape(DisplayText.OneLine(warning))}\n"));
        }
    }

    /// <summary>One row per target: its kind and its findings by severity, or why it could not be scanned.</summary>
    private static Table TargetSummary(ScanReport report, CancellationToken cancellationToken)
    {
        var byTarget = report.Findings.ToLookup(f => f.Target, StringComparer.Ordinal);
        var table = new Table { Border = TableBorder.Rounded, Expand = false, Title = new TableTitle("Targets") };
        table.AddColumn("Target");
        table.AddColumn("Kind");
        table.AddColumn("Findings");
        foreach (var result in report.Targets)
        {
            var findings = byTarget[result.Target.Name].ToList();
            var text = Count(findings.Count, "finding");
            if (findings.Count > 0)
            {
                var bySeverity = findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToName().ToLowerInvariant()}");
                text += $": {string.Join(", ", bySeverity)}";
            }

            if (findings.Sum(f => f.Folded) is > 0 and var folded)
            {
                text += string.Create(CultureInfo.InvariantCulture, $" (and {folded:N0} more, folded)");
            }

            if (result.Error is not null)
            {
                text = $"error: {DisplayText.OneLine(result.Error)}";
            }

            table.AddRow(Cells(
                cancellationToken,
                new Text(DisplayText.OneLine(result.Target.Name)),
                new Text(result.Target.Kind.ToName()),
                result.Error is null ? new Text(text) : new Text(text, new Style(Color.Red))));
        }

        return table;
    }

    /// <summary>One row per rule that found something, most severe and most frequent first.</summary>
    private static Table RuleSummary(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        var table = new Table { Border = TableBorder.Rounded, Expand = false, Title = new TableTitle("Rules") };
        table.AddColumn("Rule");
        table.AddColumn("Severity");
        table.AddColumn(new TableColumn("Findings").RightAligned());
        table.AddColumn("Title");
        var rules = findings
            .GroupBy(f => (f.RuleId, f.Severity))
            .OrderByDescending(g => g.Key.Severity)
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key.RuleId, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var folded = rule.Sum(f => f.Folded);
            table.AddRow(Cells(
                cancellationToken,
                new Text(rule.Key.RuleId),
                new Text(rule.Key.Severity.ToName()),
                new Text(folded > 0 ? string.Create(CultureInfo.InvariantCulture, $"{rule.Count()} (+{folded:N0} folded)") : rule.Count().ToString(CultureInfo.InvariantCulture)),
                new Text(DisplayText.OneLine(rule.First().Title))));
        }

        return table;
    }

    /// <summary>
    /// The location, naming each path once: a file that is the target itself is not preceded by the target's name;
    /// anything inside a target (a path in an image, a host file, a subject) is, when the report has several targets.
    /// </summary>
    private static string Where(string targetName, ScanTarget? target, Location location, bool nameTarget)
    {
        var file = location.File is null ? null : location.Line is int line ? $"{location.File}:{line}" : location.File;
        var isTargetItself = location.File is not null && (location.File == targetName || location.File == target?.Locator);
        var parts = new List<string>();
        if (!isTargetItself && (nameTarget || (file ?? location.Path ?? location.JsonPath ?? location.Subject) is null))
        {
            parts.Add(targetName);
        }

        if (file is not null)
        {
            parts.Add(file);
        }

        if (location.Path is not null)
        {
            parts.Add(location.LayerIndex is int index ? string.Create(CultureInfo.InvariantCulture, $"{location.Path} (image layer {index})") : location.Path);
        }

        if (location.JsonPath is not null)
        {
            parts.Add(location.JsonPath);
        }

        if (location.Subject is not null)
        {
            parts.Add(location.Subject);
        }

        return string.Join('\n', parts.Select(DisplayText.OneLine));
    }

    private static string Detail(List<Finding> findings)
    {
        var first = findings[0];
        if (findings.Count > 1)
        {
            var subjects = findings.Select(f => f.Location.Subject).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var listed = subjects.Count > 0 ? $": {string.Join(", ", subjects)}" : string.Empty;
            return DisplayText.OneLine($"{first.Title} ({Count(findings.Count, "finding")}){listed}");
        }

        var message = DisplayText.OneLine(first.Message);
        if (first.Evidence is { } evidence && !first.Message.Contains(evidence.Text, StringComparison.Ordinal))
        {
            return $"{message}\nevidence: {DisplayText.Shorten(evidence.Text, EvidenceLength)}";
        }

        return message;
    }

    /// <summary>
    /// A table row whose cells check for cancellation when Spectre measures and renders them: a table of many rows is
    /// laid out inside one <c>Write</c>, which has no cancellation of its own.
    /// </summary>
    private static IRenderable[] Cells(CancellationToken cancellationToken, params IRenderable[] cells)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return [.. cells.Select(c => new CancellableRenderable(c, cancellationToken))];
    }

    /// <summary>"; 2 warnings (below)" when there are any: a scan that skipped something says so in its total.</summary>
    private static string Warned(int count) => count == 0 ? string.Empty : $"; {Count(count, "warning")} (below)";

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static Color ColourOf(Severity severity) => severity switch
    {
        Severity.Critical => Color.Red,
        Severity.High => Color.Maroon,
        Severity.Medium => Color.Yellow,
        Severity.Low => Color.Blue,
        _ => Color.Grey,
    };
}

/// <summary>Renders <paramref name="inner"/>, first throwing if the report is cancelled.</summary>
internal sealed class CancellableRenderable(IRenderable inner, CancellationToken cancellationToken) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Measure(options, maxWidth);
    }

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Render(options, maxWidth);
    }
}
